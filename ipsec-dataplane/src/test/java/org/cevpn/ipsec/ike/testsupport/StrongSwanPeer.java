package org.cevpn.ipsec.ike.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cevpn.testing.ExternalTools;

/**
 * A strongSwan charon in its own network namespace, joined to ours by a veth pair
 * (ours: 10.231.N.1/24, charon's: 10.231.N.2/24), as DESIGN.md describes. Needs root, ip, charon
 * and swanctl: {@link #start} applies the house rule of {@link ExternalTools}. charon logs IKE at level 4
 * so that tests can compare its derived keys with ours.
 */
public final class StrongSwanPeer implements AutoCloseable {
    public static final String CHARON = "/usr/lib/ipsec/charon";
    private static final String SWANCTL = "/usr/sbin/swanctl";
    private static final String IP = "/usr/sbin/ip";

    private final String ns;
    private final String veth;
    private final Path dir;
    private final InetAddress ours;
    private final InetAddress theirs;
    private Process charon;

    private StrongSwanPeer(int n) throws IOException {
        this.ns = "cevpn-ike-" + n;
        this.veth = "cvike" + n;
        this.dir = Files.createTempDirectory("cevpn-ike-charon");
        this.ours = InetAddress.getByName("10.231." + n + ".1");
        this.theirs = InetAddress.getByName("10.231." + n + ".2");
    }

    /**
     * What charon is given.
     *
     * @param charonOptions     extra lines inside {@code charon { }} of strongswan.conf
     * @param proposals         the connection's IKE proposals, swanctl syntax
     * @param connectionOptions extra lines in the swanctl connection (e.g. {@code remote_port = 41000})
     * @param local             the {@code local { }} block's body
     * @param remote            the {@code remote { }} block's body
     * @param files             credentials next to swanctl.conf, by relative path (x509ca/ca.pem, ...)
     * @param espProposals      the child SA's ESP proposals, swanctl syntax (a DH group there means PFS on rekeys)
     * @param childOptions      extra lines in the child {@code net}; they override its defaults (e.g. {@code mode},
     *                          {@code local_ts}, {@code remote_ts}: the last setting of a key wins)
     */
    public record Config(String charonOptions, String proposals, String connectionOptions, String local, String remote,
                         Map<String, String> files, String espProposals, String childOptions) {
        public Config(String charonOptions, String proposals, String connectionOptions, String local, String remote,
                      Map<String, String> files, String espProposals) {
            this(charonOptions, proposals, connectionOptions, local, remote, files, espProposals, "");
        }

        public Config(String charonOptions, String proposals, String connectionOptions, String local, String remote,
                      Map<String, String> files) {
            this(charonOptions, proposals, connectionOptions, local, remote, files, "aes128gcm16");
        }

        /** PSK authentication both ways; charon is ce2.example.net. */
        public static Config psk(String charonOptions, String proposals, String connectionOptions) {
            return new Config(charonOptions, proposals, connectionOptions,
                    "auth = psk\n id = ce2.example.net", "auth = psk", Map.of());
        }
    }

    /**
     * @param n             a small number unique among concurrently running peers (subnet, names)
     * @param charonOptions extra lines inside {@code charon { }} of strongswan.conf
     * @param proposals     the connection's IKE proposals, swanctl syntax
     */
    public static StrongSwanPeer start(int n, String charonOptions, String proposals) throws Exception {
        return start(n, Config.psk(charonOptions, proposals, ""));
    }

    public static StrongSwanPeer start(int n, Config config) throws Exception {
        ExternalTools.requireRoot("strongSwan in a network namespace");
        for (String tool : List.of(IP, CHARON, SWANCTL)) {
            ExternalTools.require(Files.isExecutable(Path.of(tool)), tool + " not found (Debian packages iproute2, "
                    + "strongswan-charon, strongswan-swanctl, libstrongswan-standard-plugins, libcharon-extra-plugins)");
        }
        StrongSwanPeer p = new StrongSwanPeer(n);
        try {
            p.setUp(config);
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void setUp(Config config) throws Exception {
        run(IP, "netns", "del", ns); // left over from an aborted run; failure is fine
        run(IP, "link", "del", veth + "a");
        must(IP, "netns", "add", ns);
        must(IP, "link", "add", veth + "a", "type", "veth", "peer", "name", veth + "b", "netns", ns);
        must(IP, "addr", "add", ours.getHostAddress() + "/24", "dev", veth + "a");
        must(IP, "link", "set", veth + "a", "up");
        must(IP, "-n", ns, "addr", "add", theirs.getHostAddress() + "/24", "dev", veth + "b");
        must(IP, "-n", ns, "link", "set", veth + "b", "up");
        must(IP, "-n", ns, "link", "set", "lo", "up");
        // kernel-libipsec routes a child SA's remote traffic selector through its TUN device with
        // a source address taken from the local traffic selector: charon's side owns 10.10.2.1.
        must(IP, "-n", ns, "addr", "add", "10.10.2.1/24", "dev", "lo");
        Files.writeString(dir.resolve("strongswan.conf"), """
                charon {
                  load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 pubkey kdf pkcs8 kernel-libipsec kernel-netlink socket-default vici
                  filelog { f { path = %s
                                flush_line = yes
                                default = 1
                                ike = 4
                                chd = 4
                                cfg = 2 } }
                  plugins { vici { socket = unix://%s } }
                  %s
                }
                """.formatted(dir.resolve("charon.log"), dir.resolve("charon.vici"), config.charonOptions()));
        Files.writeString(dir.resolve("swanctl.conf"), """
                connections { peer {
                  version = 2
                  local_addrs = %s
                  remote_addrs = %s
                  proposals = %s
                  %s
                  local { %s }
                  remote { %s }
                  children { net { local_ts = 10.10.2.0/24
                                   remote_ts = 10.10.1.0/24
                                   esp_proposals = %s
                                   %s } }
                } }
                secrets { ike-1 { secret = "throwaway-test-psk-0123456789" } }
                """.formatted(theirs.getHostAddress(), ours.getHostAddress(), config.proposals(), config.connectionOptions(),
                        config.local(), config.remote(), config.espProposals(), config.childOptions()));
        for (Map.Entry<String, String> f : config.files().entrySet()) {
            Path target = dir.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.getValue());
        }
        charon = new ProcessBuilder(IP, "netns", "exec", ns, "env", "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"),
                "sh", "-c", "mount -t tmpfs tmpfs /run && exec " + CHARON)
                .redirectErrorStream(true).redirectOutput(dir.resolve("charon.out").toFile()).start();
        Path vici = dir.resolve("charon.vici");
        for (int i = 0; i < 100 && !Files.exists(vici); i++) {
            Thread.sleep(50);
        }
        if (!Files.exists(vici)) {
            throw new IllegalStateException("charon did not start: " + Files.readString(dir.resolve("charon.out")));
        }
        must(SWANCTL, "--load-all", "--file", dir.resolve("swanctl.conf").toString(), "--uri", "unix://" + vici);
    }

    /** Asks charon to initiate the connection (and its child); returns without waiting for the outcome. */
    public Process initiate() throws IOException {
        return new ProcessBuilder(SWANCTL, "--initiate", "--child", "net", "--timeout", "5",
                "--uri", "unix://" + dir.resolve("charon.vici"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** charon's IKE address (port 500). */
    public InetSocketAddress address() {
        return new InetSocketAddress(theirs, 500);
    }

    /** Our address on the shared link. */
    public InetAddress localAddress() {
        return ours;
    }

    public String log() throws IOException {
        Path log = dir.resolve("charon.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    private static final Pattern DUMP = Pattern.compile("\\] (.+?) => (\\d+) bytes @ \\S+");
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+: ((?:[0-9A-F]{2} ){1,16})");

    /** charon's level-4 hex dumps ("SKEYSEED", "Sk_d secret", ...), the last of each name. */
    public Map<String, byte[]> loggedSecrets() throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        String name = null;
        int need = 0;
        StringBuilder hex = new StringBuilder();
        for (String line : log().split("\n")) {
            Matcher m = DUMP.matcher(line);
            if (m.find()) {
                name = m.group(1);
                need = Integer.parseInt(m.group(2));
                hex.setLength(0);
                if (need == 0) {
                    out.put(name, new byte[0]);
                    name = null;
                }
                continue;
            }
            if (name == null) {
                continue;
            }
            String body = line.contains("]") && line.indexOf(']') < 40 ? line.substring(line.indexOf(']') + 1) : line;
            Matcher r = ROW.matcher(body);
            if (!r.find()) {
                continue;
            }
            hex.append(r.group(1).replace(" ", ""));
            if (hex.length() >= 2 * need) {
                out.put(name, HexFormat.of().parseHex(hex.substring(0, 2 * need)));
                name = null;
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        if (charon != null) {
            charon.destroy();
            try {
                if (!charon.waitFor(5, TimeUnit.SECONDS)) {
                    charon.destroyForcibly();
                    charon.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        run(IP, "netns", "del", ns);
        run(IP, "link", "del", veth + "a");
        try (var files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void must(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

package org.cevpn.ipsec.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;

/**
 * The namespace topology of the design notes, {@code h1 — ce1 — pe — ce2 — h2}, with our data plane
 * on ce1 and ce2 (one JVM each, inside {@code ip netns exec}, TUN device {@code tun0}, static SAs with
 * fresh random keys). Sites are 10.1.0.0/24 (h1) and 10.2.0.0/24 (h2); the SP side is
 * 192.0.2.0/30 (ce1–pe) and 198.51.100.0/30 (pe–ce2). Needs root. Everything it creates lives in
 * namespaces named with a random prefix and is deleted by {@link #close()}.
 */
public final class TunnelTopology implements AutoCloseable {
    private static final String[] NODES = {"h1", "ce1", "pe", "ce2", "h2"};

    private final String prefix;
    private final Path workDir;
    private final List<Process> dataPlanes = new ArrayList<>();
    /** Namespaces beyond the five of {@link #NODES} ({@link #addThirdSite}), deleted with them. */
    private final List<String> extraNodes = new ArrayList<>();
    private boolean closed;

    private final boolean offload;

    private TunnelTopology(String prefix, Path workDir, boolean offload) {
        this.prefix = prefix;
        this.workDir = workDir;
        this.offload = offload;
    }

    public String ns(String node) {
        return prefix + node;
    }

    public Path workDir() {
        return workDir;
    }

    /** Builds the namespaces and links, then starts both data planes with {@code alg} and waits until they run. */
    public static TunnelTopology start(EncryptionAlgorithm alg, int tunMtu) throws IOException, InterruptedException {
        return start(alg, tunMtu, true);
    }

    /**
     * @param offload TUN offloads (TSO super-packets carried as one ESP packet, IP-fragmented on the SP
     *                side); the TUN's gso_max_size is set so such an ESP packet still fits one UDP datagram
     */
    public static TunnelTopology start(EncryptionAlgorithm alg, int tunMtu, boolean offload) throws IOException, InterruptedException {
        return start(alg, tunMtu, offload, offload);
    }

    /** @param superPackets whether the static SAs mark the peer as taking super-packets (only with offload) */
    public static TunnelTopology start(EncryptionAlgorithm alg, int tunMtu, boolean offload, boolean superPackets)
            throws IOException, InterruptedException {
        String prefix = "cve" + Integer.toHexString(new SecureRandom().nextInt(0x10000) | 0x10000).substring(1);
        Path dir = Files.createTempDirectory("cevpn-tunnel-");
        TunnelTopology t = new TunnelTopology(prefix, dir, offload);
        try {
            t.build(tunMtu);
            t.startDataPlanes(alg, superPackets);
            return t;
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void build(int tunMtu) throws IOException, InterruptedException {
        buildLinks();
        for (String n : new String[] {"ce1", "ce2"}) {
            run("ip", "-n", ns(n), "tuntap", "add", "dev", "tun0", "mode", "tun");
            run("ip", "-n", ns(n), "link", "set", "tun0", "mtu", Integer.toString(tunMtu), "up");
            if (offload) {
                // Above the GSO size Linux TCP builds (64 KiB minus headers), so super-packets reach us whole
                // (the kernel segments anything at or above gso_max_size in software), and at most the
                // largest inner packet one ESP-in-UDP datagram can carry.
                run("ip", "-n", ns(n), "link", "set", "tun0", "gso_max_size",
                        Integer.toString(org.cevpn.ipsec.dataplane.DataPlane.MAX_INNER_PACKET));
            }
        }
        useTunnel(true);
    }

    private void buildLinks() throws IOException, InterruptedException {
        for (String n : NODES) {
            run("ip", "netns", "add", ns(n));
            run("ip", "-n", ns(n), "link", "set", "lo", "up");
        }
        link("h1", "eth0", "ce1", "lan");
        link("ce1", "wan", "pe", "to1");
        link("pe", "to2", "ce2", "wan");
        link("ce2", "lan", "h2", "eth0");
        addr("h1", "eth0", "10.1.0.2/24");
        addr("ce1", "lan", "10.1.0.1/24");
        addr("ce1", "wan", "192.0.2.1/30");
        addr("pe", "to1", "192.0.2.2/30");
        addr("pe", "to2", "198.51.100.2/30");
        addr("ce2", "wan", "198.51.100.1/30");
        addr("ce2", "lan", "10.2.0.1/24");
        addr("h2", "eth0", "10.2.0.2/24");
        run("ip", "-n", ns("h1"), "route", "add", "default", "via", "10.1.0.1");
        run("ip", "-n", ns("h2"), "route", "add", "default", "via", "10.2.0.1");
        run("ip", "-n", ns("ce1"), "route", "add", "default", "via", "192.0.2.2");
        run("ip", "-n", ns("ce2"), "route", "add", "default", "via", "198.51.100.2");
        for (String n : new String[] {"ce1", "pe", "ce2"}) {
            run("ip", "netns", "exec", ns(n), "sysctl", "-qw", "net.ipv4.ip_forward=1");
        }
    }

    /** Routes the sites through the TUN devices (our ESP), or in the clear over pe (the veth baseline). */
    public void useTunnel(boolean tunnel) throws IOException, InterruptedException {
        run("ip", "-n", ns("ce1"), "route", "replace", "10.2.0.0/24",
                tunnel ? "dev" : "via", tunnel ? "tun0" : "192.0.2.2");
        run("ip", "-n", ns("ce2"), "route", "replace", "10.1.0.0/24",
                tunnel ? "dev" : "via", tunnel ? "tun0" : "198.51.100.2");
        // pe only knows the sites in the baseline: in tunnel mode it can forward nothing but ESP between CEs.
        if (tunnel) {
            runQuiet("ip", "-n", ns("pe"), "route", "del", "10.1.0.0/24");
            runQuiet("ip", "-n", ns("pe"), "route", "del", "10.2.0.0/24");
        } else {
            run("ip", "-n", ns("pe"), "route", "replace", "10.1.0.0/24", "via", "192.0.2.1");
            run("ip", "-n", ns("pe"), "route", "replace", "10.2.0.0/24", "via", "198.51.100.1");
        }
    }

    /**
     * The comparison: the same topology without our data planes, strongSwan's charon on ce1 and ce2
     * with kernel-libipsec (its user-space ESP over UDP/4500) and an IKEv2 PSK tunnel with AES-256-GCM.
     */
    public static TunnelTopology startStrongSwan() throws IOException, InterruptedException {
        String prefix = "cvs" + Integer.toHexString(new SecureRandom().nextInt(0x10000) | 0x10000).substring(1);
        Path dir = Files.createTempDirectory("cevpn-strongswan-");
        TunnelTopology t = new TunnelTopology(prefix, dir, false);
        try {
            t.buildLinks();
            t.startCharons();
            return t;
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * Only the five namespaces and their links, sites routed nowhere (pe forwards nothing but
     * traffic between the CEs' WAN addresses): for tests that bring their own CE software, e.g. our
     * IKE + ESP on ce1 against strongSwan on ce2. Processes given to {@link #adopt} die with it.
     */
    public static TunnelTopology startLinks() throws IOException, InterruptedException {
        String prefix = "cvi" + Integer.toHexString(new SecureRandom().nextInt(0x10000) | 0x10000).substring(1);
        Path dir = Files.createTempDirectory("cevpn-links-");
        TunnelTopology t = new TunnelTopology(prefix, dir, false);
        try {
            t.buildLinks();
            return t;
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * A third site for mesh tests: {@code pe —to3— ce3 —lan/eth0— h3}, the SP side 203.0.113.0/30 (ce3 .1,
     * pe .2) and the site 10.3.0.0/24 (ce3 .1, h3 .2), routed like the other two: h3's default route is
     * ce3, ce3's is pe, pe knows no site prefix.
     */
    public void addThirdSite() throws IOException, InterruptedException {
        for (String n : new String[] {"ce3", "h3"}) {
            run("ip", "netns", "add", ns(n));
            extraNodes.add(n);
            run("ip", "-n", ns(n), "link", "set", "lo", "up");
        }
        link("pe", "to3", "ce3", "wan");
        link("ce3", "lan", "h3", "eth0");
        addr("pe", "to3", "203.0.113.2/30");
        addr("ce3", "wan", "203.0.113.1/30");
        addr("ce3", "lan", "10.3.0.1/24");
        addr("h3", "eth0", "10.3.0.2/24");
        run("ip", "-n", ns("h3"), "route", "add", "default", "via", "10.3.0.1");
        run("ip", "-n", ns("ce3"), "route", "add", "default", "via", "203.0.113.2");
        run("ip", "netns", "exec", ns("ce3"), "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }

    /** Adds a TUN device {@code name} in {@code node}, up, with {@code mtu}, and routes {@code remoteSite} through it. */
    public void addTun(String node, String name, int mtu, String remoteSite) throws IOException, InterruptedException {
        run("ip", "-n", ns(node), "tuntap", "add", "dev", name, "mode", "tun");
        run("ip", "-n", ns(node), "link", "set", name, "mtu", Integer.toString(mtu), "up");
        run("ip", "-n", ns(node), "route", "replace", remoteSite, "dev", name);
    }

    /** A process this topology stops (SIGTERM, then SIGKILL) when it closes. */
    public void adopt(Process p) {
        dataPlanes.add(p);
    }

    private void startCharons() throws IOException, InterruptedException {
        String psk = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        String[][] sides = {{"ce1", "192.0.2.1", "198.51.100.1", "10.1.0.0/24", "10.2.0.0/24"},
                {"ce2", "198.51.100.1", "192.0.2.1", "10.2.0.0/24", "10.1.0.0/24"}};
        for (String[] s : sides) {
            Path d = workDir.resolve(s[0]);
            Files.createDirectories(d);
            Files.writeString(d.resolve("strongswan.conf"), """
                    charon {
                      load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 pubkey kdf kernel-libipsec kernel-netlink socket-default vici updown
                      plugins { vici { socket = unix://%s/charon.vici } }
                      filelog { log { path = %s/charon.log
                                      default = 1 } }
                    }
                    """.formatted(d, d));
            Files.writeString(d.resolve("swanctl.conf"), """
                    connections {
                      net {
                        local_addrs = %s
                        remote_addrs = %s
                        proposals = aes256-sha256-modp2048
                        local { auth = psk
                                id = %s }
                        remote { auth = psk
                                 id = %s }
                        children { net { local_ts = %s
                                         remote_ts = %s
                                         esp_proposals = aes256gcm16 } }
                      }
                    }
                    secrets { ike-1 { id-1 = ce1
                                      id-2 = ce2
                                      secret = 0x%s } }
                    """.formatted(s[1], s[2], s[0], s[0].equals("ce1") ? "ce2" : "ce1", s[3], s[4], psk));
            Process charon = new ProcessBuilder("ip", "netns", "exec", ns(s[0]), "env", "STRONGSWAN_CONF=" + d.resolve("strongswan.conf"),
                    "sh", "-c", "mount -t tmpfs tmpfs /run && exec /usr/lib/ipsec/charon")
                    .redirectErrorStream(true).redirectOutput(d.resolve("charon.out").toFile()).start();
            dataPlanes.add(charon);
        }
        for (String[] s : sides) {
            Path d = workDir.resolve(s[0]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(d.resolve("charon.vici"))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("charon in " + s[0] + " did not start: " + Files.readString(d.resolve("charon.out")));
                }
                Thread.sleep(100);
            }
            run(30, "swanctl", "--load-all", "--file", d.resolve("swanctl.conf").toString(), "--uri", "unix://" + d.resolve("charon.vici"));
        }
        run(30, "swanctl", "--initiate", "--child", "net", "--uri", "unix://" + workDir.resolve("ce1").resolve("charon.vici"));
    }

    private void link(String a, String ifA, String b, String ifB) throws IOException, InterruptedException {
        String tmpA = prefix + a + "x";
        String tmpB = prefix + b + "y";
        run("ip", "link", "add", tmpA, "type", "veth", "peer", "name", tmpB);
        run("ip", "link", "set", tmpA, "netns", ns(a), "name", ifA);
        run("ip", "link", "set", tmpB, "netns", ns(b), "name", ifB);
    }

    private void addr(String node, String dev, String cidr) throws IOException, InterruptedException {
        run("ip", "-n", ns(node), "addr", "add", cidr, "dev", dev);
        run("ip", "-n", ns(node), "link", "set", dev, "up");
    }

    private void startDataPlanes(EncryptionAlgorithm alg, boolean superPackets) throws IOException, InterruptedException {
        SecureRandom random = new SecureRandom();
        String k12 = key(random, alg);
        String k21 = key(random, alg);
        String enc = switch (alg) {
            case AES_GCM_16_128 -> "aes-gcm-16-128";
            case AES_GCM_16_256 -> "aes-gcm-16-256";
            case CHACHA20_POLY1305 -> "chacha20-poly1305";
            case AES_CBC_128 -> "aes-cbc-128";
            case AES_CBC_256 -> "aes-cbc-256";
        };
        String integ12 = alg.isAead() ? "" : " integ=hmac-sha2-256-128 integ-key=" + HexFormat.of().formatHex(random.generateSeed(32));
        String integ21 = alg.isAead() ? "" : " integ=hmac-sha2-256-128 integ-key=" + HexFormat.of().formatHex(random.generateSeed(32));
        Files.writeString(workDir.resolve("ce1.sas"), String.join("\n",
                "sa out spi=0x1001 peer=198.51.100.1:4500 enc=" + enc + " key=" + k12 + integ12 + " local=10.1.0.0/24 remote=10.2.0.0/24",
                "sa in spi=0x2002 peer=198.51.100.1 enc=" + enc + " key=" + k21 + integ21 + " local=10.1.0.0/24 remote=10.2.0.0/24", ""));
        Files.writeString(workDir.resolve("ce2.sas"), String.join("\n",
                "sa out spi=0x2002 peer=192.0.2.1:4500 enc=" + enc + " key=" + k21 + integ21 + " local=10.2.0.0/24 remote=10.1.0.0/24",
                "sa in spi=0x1001 peer=192.0.2.1 enc=" + enc + " key=" + k12 + integ12 + " local=10.2.0.0/24 remote=10.1.0.0/24", ""));
        if (superPackets) {
            // Both ends are this data plane with TUN offloads: super-packets may cross as one ESP packet.
            for (String n : new String[] {"ce1.sas", "ce2.sas"}) {
                Path f = workDir.resolve(n);
                Files.writeString(f, Files.readString(f).replace("sa out ", "sa out super-packets=yes "));
            }
        }
        dataPlanes.add(spawnDataPlane("ce1", "192.0.2.1"));
        dataPlanes.add(spawnDataPlane("ce2", "198.51.100.1"));
        for (String n : new String[] {"ce1", "ce2"}) {
            Path log = workDir.resolve(n + ".log");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("ready")) {
                if (System.nanoTime() > deadline || !dataPlanes.get(n.equals("ce1") ? 0 : 1).isAlive()) {
                    throw new IOException(n + " data plane did not start: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    private static String key(SecureRandom r, EncryptionAlgorithm alg) {
        byte[] k = new byte[alg.keyMaterialLength()];
        r.nextBytes(k);
        return HexFormat.of().formatHex(k);
    }

    private Process spawnDataPlane(String node, String local) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(node), java, "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseParallelGC", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.cevpn.ipsec.dataplane.DataPlaneMain", "--tun", "tun0", "--local", local,
                "--sa-file", workDir.resolve(node + ".sas").toString()));
        if (offload) {
            cmd.add("--offload");
        }
        Path log = workDir.resolve(node + ".log");
        Files.writeString(log, "");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The data plane's log (counters are printed on exit). */
    public String dataPlaneLog(String node) throws IOException {
        return Files.readString(workDir.resolve(node + ".log"));
    }

    /** Runs a command inside a namespace and returns its output; a non-zero exit is an IOException. */
    public String exec(String node, long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
        full.addAll(List.of(cmd));
        return run(timeoutSeconds, full.toArray(String[]::new));
    }

    /** Starts a command inside a namespace (standard error merged into its output). */
    public Process spawn(String node, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
        full.addAll(List.of(cmd));
        return new ProcessBuilder(full).redirectErrorStream(true).start();
    }

    /** Starts a command inside a namespace whose standard error is discarded (clean machine-readable output). */
    public Process spawnQuiet(String node, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
        full.addAll(List.of(cmd));
        return new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * An iperf3 TCP transfer from h1 to h2 for {@code seconds} after a 2-second warm-up that iperf3
     * leaves out of the result ({@code -O 2}: TCP slow start, and the JIT compiling the data plane);
     * returns the receiver's rate in Gbit/s.
     */
    public double iperf(int seconds) throws IOException, InterruptedException {
        Process server = spawn("h2", "iperf3", "-s", "-1", "-p", "5201");
        try {
            Thread.sleep(300);
            String json = exec("h1", seconds + 20L, "iperf3", "-c", "10.2.0.2", "-p", "5201", "-t", Integer.toString(seconds), "-O", "2", "-J");
            Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)", Pattern.DOTALL).matcher(json);
            if (!m.find()) {
                throw new IOException("no iperf3 result: " + json);
            }
            return Double.parseDouble(m.group(1)) / 1e9;
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        return run(30, cmd);
    }

    private static void runQuiet(String... cmd) throws InterruptedException {
        try {
            run(cmd);
        } catch (IOException ignored) {
            // absent already: fine
        }
    }

    static String run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + s.strip());
        }
        return s;
    }

    /** Stops the data planes (they print their counters) and deletes every namespace. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : dataPlanes) {
            // ip netns exec replaces itself with the program, so this signals the data plane JVM (or charon) itself.
            p.destroy();
        }
        boolean interrupted = false;
        for (Process p : dataPlanes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                p.destroyForcibly();
            }
        }
        List<String> nodes = new ArrayList<>(List.of(NODES));
        nodes.addAll(extraNodes);
        for (String n : nodes) {
            try {
                run("ip", "netns", "del", ns(n));
            } catch (IOException e) {
                // absent already: fine
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // The key material (throwaway, but keys) does not outlive the run; the logs stay for reading.
        for (Path f : List.of(workDir.resolve("ce1.sas"), workDir.resolve("ce2.sas"),
                workDir.resolve("ce1").resolve("swanctl.conf"), workDir.resolve("ce2").resolve("swanctl.conf"))) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // best effort: the directory is private to root (0700)
            }
        }
        try {
            Files.deleteIfExists(workDir); // only when nothing was left to read (startLinks: nothing is written)
        } catch (IOException e) {
            // logs inside: they stay
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

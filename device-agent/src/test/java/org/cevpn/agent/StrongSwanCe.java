package org.cevpn.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cevpn.agent.config.Algorithms;
import org.cevpn.agent.config.ChildSaProposal;
import org.cevpn.agent.config.IkeProposal;
import org.cevpn.ipsec.bench.TunnelTopology;

/**
 * strongSwan's charon as one CE of a VPN, in a network namespace with kernel-libipsec (user-space ESP
 * in UDP/4500, so this kernel's missing ESP does not matter). Its swanctl.conf is written from the same
 * peer tuples the agents are given: the PSK, the identities as our agents send them (ID_KEY_ID carrying
 * the ce-id) and the one IKE and Child SA proposal of the sa-information, in strongSwan's keywords.
 */
final class StrongSwanCe implements AutoCloseable {
    static final String CHARON = "/usr/lib/ipsec/charon";

    /**
     * One tunnel as strongSwan sees it: connection and child are both named {@code name}.
     *
     * @param psk the pre-shared key's octets (the model's base64 decoded)
     */
    record Connection(String name, InetAddress local, InetAddress remote, String localCeId, String remoteCeId, byte[] psk,
                      IkeProposal ike, ChildSaProposal childSa, String localTs, String remoteTs) {
        @Override
        public String toString() {
            return "Connection[" + name + " " + local.getHostAddress() + " -> " + remote.getHostAddress() + "]";
        }
    }

    private final TunnelTopology topology;
    private final String node;
    private final Path dir;
    private final Process charon;

    private StrongSwanCe(TunnelTopology topology, String node, Path dir, Process charon) {
        this.topology = topology;
        this.node = node;
        this.dir = dir;
        this.charon = charon;
    }

    /** Starts charon in {@code node} with these connections loaded (none initiated: strongSwan waits until told). */
    static StrongSwanCe start(TunnelTopology topology, String node, Path dir, List<Connection> connections)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("strongswan.conf"), """
                charon {
                  load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 pubkey kdf kernel-libipsec kernel-netlink socket-default vici updown
                  filelog { log { path = %s
                                  flush_line = yes
                                  default = 1
                                  ike = 2
                                  chd = 2 } }
                  plugins { vici { socket = unix://%s } }
                }
                """.formatted(dir.resolve("charon.log"), dir.resolve("charon.vici")));
        Files.writeString(dir.resolve("swanctl.conf"), swanctlConf(connections));
        Process p = new ProcessBuilder("ip", "netns", "exec", topology.ns(node), "env",
                "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"), "sh", "-c", "mount -t tmpfs tmpfs /run && exec " + CHARON)
                .redirectErrorStream(true).redirectOutput(dir.resolve("charon.out").toFile()).start();
        topology.adopt(p);
        StrongSwanCe ce = new StrongSwanCe(topology, node, dir, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(dir.resolve("charon.vici"))) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                throw new IOException("charon in " + node + " did not start: " + Files.readString(dir.resolve("charon.out")));
            }
            Thread.sleep(50);
        }
        ce.swanctl("--load-all", "--file", dir.resolve("swanctl.conf").toString());
        return ce;
    }

    /** swanctl.conf: one connection with one child per tunnel, and one secret per tunnel keyed by both identities. */
    static String swanctlConf(List<Connection> connections) {
        StringBuilder conns = new StringBuilder("connections {\n");
        StringBuilder secrets = new StringBuilder("secrets {\n");
        for (Connection c : connections) {
            conns.append("""
                      %s {
                        version = 2
                        local_addrs = %s
                        remote_addrs = %s
                        proposals = %s
                        local { auth = psk
                                id = "%s" }
                        remote { auth = psk
                                 id = "%s" }
                        children { %s { local_ts = %s
                                        remote_ts = %s
                                        esp_proposals = %s } }
                      }
                    """.formatted(c.name(), c.local().getHostAddress(), c.remote().getHostAddress(), ikeProposal(c.ike()),
                    keyId(c.localCeId()), keyId(c.remoteCeId()), c.name(), c.localTs(), c.remoteTs(), espProposal(c.childSa())));
            secrets.append("""
                      ike-%s { id-1 = "%s"
                               id-2 = "%s"
                               secret = 0x%s }
                    """.formatted(c.name(), keyId(c.localCeId()), keyId(c.remoteCeId()), HexFormat.of().formatHex(c.psk())));
        }
        return conns.append("}\n").append(secrets).append("}\n").toString();
    }

    /** The identity our agent sends for {@code ceId} (ID_KEY_ID, the ce-id's UTF-8 octets), in strongSwan's syntax. */
    static String keyId(String ceId) {
        return "@#" + HexFormat.of().formatHex(ceId.getBytes(StandardCharsets.UTF_8));
    }

    /** The sa-information's IKE proposal as one strongSwan proposal, e.g. aes256gcm16-prfsha256-ecp256. */
    static String ikeProposal(IkeProposal p) {
        List<String> parts = new ArrayList<>();
        parts.add(encryption(p.encryption(), p.keyLength()));
        integrity(p.integrity()).ifPresent(parts::add);
        parts.add(switch (p.prf()) {
            case HMAC_SHA2_256 -> "prfsha256";
            case HMAC_SHA2_384 -> "prfsha384";
            case HMAC_SHA2_512 -> "prfsha512";
        });
        parts.add(group(p.dhGroup()));
        return String.join("-", parts);
    }

    /**
     * The sa-information's Child SA proposal. With a PFS group it is part of the proposal: strongSwan leaves it
     * out of the first child SA (created with IKE_AUTH, no KE payload) and requires it on rekeys, as we do.
     */
    static String espProposal(ChildSaProposal p) {
        List<String> parts = new ArrayList<>();
        parts.add(encryption(p.encryption(), p.keyLength()));
        integrity(p.integrity()).ifPresent(parts::add);
        p.pfsGroup().ifPresent(g -> parts.add(group(g)));
        return String.join("-", parts);
    }

    private static String encryption(Algorithms.Encryption e, int keyLength) {
        return switch (e) {
            case AES_CBC -> "aes" + keyLength;
            case AES_GCM_16 -> "aes" + keyLength + "gcm16";
            case CHACHA20_POLY1305 -> "chacha20poly1305";
        };
    }

    private static java.util.Optional<String> integrity(Algorithms.Integrity i) {
        return switch (i) {
            case NONE -> java.util.Optional.empty();
            case HMAC_SHA2_256_128 -> java.util.Optional.of("sha256");
            case HMAC_SHA2_384_192 -> java.util.Optional.of("sha384");
            case HMAC_SHA2_512_256 -> java.util.Optional.of("sha512");
        };
    }

    private static String group(Algorithms.DhGroup g) {
        return switch (g) {
            case MODP_2048 -> "modp2048";
            case ECP_256 -> "ecp256";
            case ECP_384 -> "ecp384";
            case ECP_521 -> "ecp521";
            case CURVE25519 -> "curve25519";
        };
    }

    /** Runs swanctl against this charon; a non-zero exit is an IOException carrying its output. */
    String swanctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("swanctl"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + dir.resolve("charon.vici")));
        return topology.exec(node, 30, cmd.toArray(String[]::new));
    }

    /** Whether charon lists an established IKE SA with an installed child for connection {@code name}. */
    boolean established(String name) throws IOException, InterruptedException {
        String sas = swanctl("--list-sas", "--ike", name);
        return sas.contains(name + ": #") && sas.contains("ESTABLISHED") && sas.contains("INSTALLED");
    }

    /** How many IKE SAs charon holds for connection {@code name} (child SAs are the indented lines). */
    long ikeSaCount(String name) throws IOException, InterruptedException {
        return swanctl("--list-sas", "--ike", name).lines().filter(l -> l.startsWith(name + ": #")).count();
    }

    /** charon's file log (IKE and CHILD at level 2: exchanges and SAs, no keys). */
    String log() {
        try {
            Path log = dir.resolve("charon.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    String logTail() {
        String s = log();
        return s.substring(Math.max(0, s.length() - 6000));
    }

    /** Stops charon (SIGTERM: it deletes its SAs) and removes the configuration, which holds the PSKs. */
    @Override
    public void close() throws InterruptedException {
        charon.destroy();
        if (!charon.waitFor(10, TimeUnit.SECONDS)) {
            charon.destroyForcibly();
        }
        try {
            Files.deleteIfExists(dir.resolve("swanctl.conf"));
        } catch (IOException e) {
            // best effort: a temporary directory of root's
        }
    }
}

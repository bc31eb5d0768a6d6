package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.agent.config.Algorithms;
import org.cevpn.agent.config.ChildSaProposal;
import org.cevpn.agent.config.IkeProposal;
import org.cevpn.ipsec.bench.TunnelTopology;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * A three-site VPN in network namespaces where one CE is strongSwan: {@code h1 — ce1 — pe — ce2 — h2} plus
 * {@code pe — ce3 — h3}. ce1 and ce2 run our agent as a process ({@link AgentMain}, VPN side on a TUN device),
 * configured only over NETCONF (ncclient inside the CE's namespace); ce3 runs charon with kernel-libipsec,
 * its swanctl.conf written from the same tunnel list the agents' configurations come from. Full mesh:
 * ce1–ce2 (ours both ends, permanent), ce1–ce3 (our agent initiates: permanent on ce1) and ce2–ce3
 * (strongSwan initiates: traffic-driven on ce2, torn down when idle). Each tunnel carries ping and a TCP transfer in both
 * directions; on the pe links only ESP in UDP/4500 between the CEs' SP addresses is seen.
 */
class MixedVpnNamespaceTest {
    static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    static final int NETCONF_PORT = 8300;
    /** Seconds without traffic before a traffic-driven tunnel is torn down: the model's minimum, to keep the run short. */
    static final int IDLE_TIMEOUT = 10;
    static final SecureRandom RANDOM = new SecureRandom();

    /** A site: its CE (namespace, ce-id, SP address), its host namespace and address, its prefix. */
    record Site(String ce, InetAddress sp, String host, String hostAddress, String prefix) {
    }

    static final Site S1 = new Site("ce1", InetAddress.ofLiteral("192.0.2.1"), "h1", "10.1.0.2", "10.1.0.0/24");
    static final Site S2 = new Site("ce2", InetAddress.ofLiteral("198.51.100.1"), "h2", "10.2.0.2", "10.2.0.0/24");
    static final Site S3 = new Site("ce3", InetAddress.ofLiteral("203.0.113.1"), "h3", "10.3.0.2", "10.3.0.0/24");

    /**
     * One tunnel of the VPN as the VPN server would provision it: both ends, the PSK, the one IKE and Child SA
     * proposal, and at each of our agents' ends whether it is permanent or traffic-driven.
     */
    record Tunnel(Site a, Site b, byte[] psk, IkeProposal ike, ChildSaProposal childSa, String establishmentAtA,
                  String establishmentAtB) {
        Optional<Site> other(Site s) {
            return s == a ? Optional.of(b) : s == b ? Optional.of(a) : Optional.empty();
        }

        String establishmentAt(Site s) {
            return s == a ? establishmentAtA : establishmentAtB;
        }
    }

    static final List<Tunnel> TUNNELS = List.of(
            new Tunnel(S1, S2, psk(), IkeProposal.DEFAULT, ChildSaProposal.DEFAULT, "permanent", "permanent"),
            // ce1 initiates to strongSwan: AES-CBC + HMAC-SHA2 for IKE (Curve25519, SHA-512) and ESP, PFS on rekeys.
            new Tunnel(S1, S3, psk(),
                    new IkeProposal(Algorithms.Encryption.AES_CBC, 256, Algorithms.Integrity.HMAC_SHA2_512_256,
                            Algorithms.Prf.HMAC_SHA2_512, Algorithms.DhGroup.CURVE25519, Duration.ofHours(24)),
                    new ChildSaProposal(Algorithms.Encryption.AES_CBC, 256, Algorithms.Integrity.HMAC_SHA2_256_128,
                            Optional.of(Algorithms.DhGroup.ECP_256), Duration.ofHours(1), 0),
                    "permanent", null),
            // strongSwan initiates to ce2 (traffic-driven there, so ce2 waits): AES-GCM-128, PRF SHA-384, ECP-384.
            new Tunnel(S2, S3, psk(),
                    new IkeProposal(Algorithms.Encryption.AES_GCM_16, 128, Algorithms.Integrity.NONE,
                            Algorithms.Prf.HMAC_SHA2_384, Algorithms.DhGroup.ECP_384, Duration.ofHours(24)),
                    new ChildSaProposal(Algorithms.Encryption.AES_GCM_16, 128, Algorithms.Integrity.NONE,
                            Optional.empty(), Duration.ofHours(1), 0),
                    "traffic-driven", null));

    static TunnelTopology topology;
    static Path dir;
    static Path client;
    static StrongSwanCe strongSwan;
    static final Map<Site, Process> agents = new HashMap<>();

    private static byte[] psk() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    @BeforeAll
    static void vpn() throws Exception {
        ExternalTools.requireRoot("the mixed agents + strongSwan VPN");
        ExternalTools.program("ip", "iproute2");
        ExternalTools.program("ping", "iputils-ping");
        ExternalTools.program("iperf3", "iperf3");
        ExternalTools.program("tshark", "tshark");
        ExternalTools.program("swanctl", "strongswan-swanctl");
        ExternalTools.require(Files.isExecutable(Path.of(StrongSwanCe.CHARON)),
                StrongSwanCe.CHARON + " not found (strongswan-charon, libcharon-extra-plugins)");
        var python = ExternalTools.programAt(Path.of("/usr/bin/python3"), "python3-ncclient");
        ExternalTools.require(python.run(List.of("-c", "import ncclient")).exitCode() == 0,
                "python module ncclient (Debian package python3-ncclient)");

        long t0 = System.nanoTime();
        dir = Files.createTempDirectory("cevpn-mix-");
        client = dir.resolve("client.py");
        Files.write(client, MixedVpnNamespaceTest.class.getResourceAsStream("netconf_client.py").readAllBytes());
        topology = TunnelTopology.startLinks();
        topology.addThirdSite();
        // Our CEs route both other sites into their TUN device; strongSwan routes its own (kernel-libipsec).
        topology.addTun("ce1", "tun0", 1400, S2.prefix());
        topology.exec("ce1", 10, "ip", "route", "replace", S3.prefix(), "dev", "tun0");
        topology.addTun("ce2", "tun0", 1400, S1.prefix());
        topology.exec("ce2", 10, "ip", "route", "replace", S3.prefix(), "dev", "tun0");

        strongSwan = StrongSwanCe.start(topology, "ce3", dir.resolve("ce3"), connectionsOf(S3));
        for (Site s : List.of(S1, S2)) {
            agents.put(s, startAgent(s));
        }
        long t1 = System.nanoTime();
        for (Site s : List.of(S1, S2)) {
            awaitAgentReady(s);
        }
        long t2 = System.nanoTime();
        for (Site s : List.of(S1, S2)) {
            Path edit = dir.resolve(s.ce() + "-vpn.xml");
            Files.writeString(edit, vpnConfiguration(s));
            netconf(s, "edit", edit.toString());
            Files.delete(edit); // it holds the PSKs
        }
        System.out.printf(Locale.ROOT, "set-up: namespaces and charon %.1f s, agents started %.1f s, configured over NETCONF %.1f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
    }

    @AfterAll
    static void stop() throws Exception {
        long t0 = System.nanoTime();
        // SIGTERM: the agents send their IKE DELETEs while charon still runs; then charon, then the namespaces.
        for (Process p : agents.values()) {
            p.destroy();
        }
        for (Process p : agents.values()) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        agents.clear();
        if (strongSwan != null) {
            strongSwan.close();
        }
        if (topology != null) {
            topology.close();
        }
        System.out.printf(Locale.ROOT, "tear-down %.1f s%n", (System.nanoTime() - t0) / 1e9);
        // The agents' datastores hold the PSKs; the logs stay for reading (they print no secrets).
        if (dir != null) {
            for (Site s : List.of(S1, S2)) {
                Path state = dir.resolve(s.ce()).resolve("state");
                if (Files.isDirectory(state)) {
                    try (var files = Files.walk(state)) {
                        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        }
    }

    // ---- the configurations, from the one tunnel list ----

    static List<StrongSwanCe.Connection> connectionsOf(Site s) {
        List<StrongSwanCe.Connection> out = new ArrayList<>();
        for (Tunnel t : TUNNELS) {
            t.other(s).ifPresent(peer -> out.add(new StrongSwanCe.Connection(peer.ce(), s.sp(), peer.sp(), s.ce(), peer.ce(),
                    t.psk(), t.ike(), t.childSa(), s.prefix(), peer.prefix())));
        }
        return out;
    }

    /** /ce-device/vpn-configuration for our agent at {@code s}: one peer per tunnel it has. */
    static String vpnConfiguration(Site s) {
        StringBuilder peers = new StringBuilder();
        for (Tunnel t : TUNNELS) {
            t.other(s).ifPresent(peer -> {
                String establishment = t.establishmentAt(s);
                peers.append("<peer><sp-address>").append(peer.sp().getHostAddress()).append("</sp-address>")
                        .append("<ce-id>").append(peer.ce()).append("</ce-id><vpn-id>acme</vpn-id>")
                        .append("<authentication-method>pre-shared</authentication-method>")
                        .append("<pre-shared-key>").append(Base64.getEncoder().encodeToString(t.psk())).append("</pre-shared-key>")
                        .append(saInformation(t.ike(), t.childSa()))
                        .append("<tunnel-information><establishment>").append(establishment).append("</establishment>")
                        .append(establishment.equals("traffic-driven") ? "<idle-timeout>" + IDLE_TIMEOUT + "</idle-timeout>" : "")
                        .append("</tunnel-information>")
                        .append("<remote-prefix>").append(peer.prefix()).append("</remote-prefix></peer>");
            });
        }
        return "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>1</configuration-version>"
                + "<vpn><vpn-id>acme</vpn-id><local-prefix>" + s.prefix() + "</local-prefix></vpn>" + peers
                + "</vpn-configuration></ce-device>";
    }

    static String saInformation(IkeProposal ike, ChildSaProposal child) {
        return "<sa-information><ike>" + encryptionTransform(ike.encryption(), ike.keyLength(), ike.integrity())
                + "<prf>" + yang("prf-", ike.prf()) + "</prf><dh-group>" + yang("", ike.dhGroup()) + "</dh-group></ike>"
                + "<child-sa>" + encryptionTransform(child.encryption(), child.keyLength(), child.integrity())
                + child.pfsGroup().map(g -> "<pfs-group>" + yang("", g) + "</pfs-group>").orElse("")
                + "</child-sa></sa-information>";
    }

    static String encryptionTransform(Algorithms.Encryption e, int keyLength, Algorithms.Integrity i) {
        return "<encryption-algorithm>" + yang("encr-", e) + "</encryption-algorithm><encryption-key-length>" + keyLength
                + "</encryption-key-length><integrity-algorithm>" + yang("auth-", i) + "</integrity-algorithm>";
    }

    /** cevpn-types' enum name: the registry prefix, then the constant in lower case with hyphens. */
    static String yang(String prefix, Enum<?> e) {
        return prefix + e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    // ---- our agents as processes in their namespaces ----

    static Process startAgent(Site s) throws IOException {
        Path d = Files.createDirectories(dir.resolve(s.ce()));
        Files.writeString(d.resolve("pre.xml"), TwoAgentsTest.preConfiguration(s.ce(), s.sp()));
        Files.writeString(d.resolve("agent.properties"), String.join("\n", "netconf.host = 127.0.0.1",
                "netconf.port = " + NETCONF_PORT, "state.dir = state", "user.admin = admin-pw",
                "sp.address = " + s.sp().getHostAddress(), "ike.port = 500", "natt.port = 4500", "vpn.port = tun:tun0",
                "pre-configuration = pre.xml", ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("ip", "netns", "exec", topology.ns(s.ce()), java, "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--config", d.resolve("agent.properties").toString())
                .redirectErrorStream(true).redirectOutput(d.resolve("agent.log").toFile()).start();
        topology.adopt(p);
        return p;
    }

    static void awaitAgentReady(Site s) throws Exception {
        await(s.ce() + "'s agent to start", 90, () -> agentLog(s).contains("agent ready"));
    }

    static String agentLog(Site s) {
        try {
            return Files.readString(dir.resolve(s.ce()).resolve("agent.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    static String tail(String s) {
        return s.substring(Math.max(0, s.length() - 5000));
    }

    /** Runs the NETCONF client (ncclient) inside the CE's namespace against its agent. */
    static String netconf(Site s, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", client.toString(), Integer.toString(NETCONF_PORT),
                "admin", "admin-pw"));
        cmd.addAll(List.of(command));
        return topology.exec(s.ce(), 60, cmd.toArray(String[]::new));
    }

    /** What the agent's NETCONF get says of one peer: the ike-sa leaves and the child SAs' inbound SPIs. */
    record PeerState(Map<String, String> ikeSa, List<String> childInboundSpis) {
        boolean established() {
            return "established".equals(ikeSa.get("state")) && !childInboundSpis.isEmpty();
        }
    }

    /** The agent's operational state for its peer at {@code peer}, read with NETCONF get. */
    static PeerState peerState(Site at, Site peer) throws Exception {
        String out = netconf(at, "get");
        String xml = out.lines().filter(l -> l.startsWith("DATA ")).findFirst().orElseThrow().substring(5);
        var f = DocumentBuilderFactory.newDefaultNSInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        var peers = doc.getElementsByTagNameNS(CE, "peer");
        Map<String, String> leaves = new HashMap<>();
        List<String> children = new ArrayList<>();
        for (int i = 0; i < peers.getLength(); i++) {
            Element p = (Element) peers.item(i);
            var address = p.getElementsByTagNameNS(CE, "sp-address");
            if (address.getLength() == 0 || !address.item(0).getTextContent().trim().equals(peer.sp().getHostAddress())) {
                continue;
            }
            var ike = p.getElementsByTagNameNS(CE, "ike-sa");
            if (ike.getLength() > 0) {
                var items = ike.item(0).getChildNodes();
                for (int j = 0; j < items.getLength(); j++) {
                    if (items.item(j) instanceof Element leaf) {
                        leaves.put(leaf.getLocalName(), leaf.getTextContent().trim());
                    }
                }
            }
            var spis = p.getElementsByTagNameNS(CE, "inbound-spi");
            for (int j = 0; j < spis.getLength(); j++) {
                children.add(spis.item(j).getTextContent().trim());
            }
        }
        return new PeerState(leaves, children);
    }

    /** Waits until the agent at {@code at} reports its tunnel to {@code peer} established and {@code also} holds. */
    static PeerState awaitEstablished(Site at, Site peer, int seconds, java.util.function.Predicate<PeerState> also)
            throws Exception {
        PeerState[] last = {null};
        try {
            await(at.ce() + "'s tunnel to " + peer.ce(), seconds, () -> {
                last[0] = peerState(at, peer);
                return last[0].established() && also.test(last[0]);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; state " + last[0] + "\n" + at.ce() + " log:\n" + tail(agentLog(at))
                    + "\ncharon:\n" + strongSwan.logTail(), e);
        }
        return last[0];
    }

    static PeerState awaitEstablished(Site at, Site peer, int seconds) throws Exception {
        return awaitEstablished(at, peer, seconds, s -> true);
    }

    static void await(String what, int seconds, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(300);
        }
    }

    // ---- traffic ----

    /** Ping and a 2 MB TCP transfer (iperf3) each way between the two sites' hosts. */
    static void trafficBothWays(Site x, Site y) throws Exception {
        ping(x, y);
        ping(y, x);
        tcp(x, y, false);
        tcp(x, y, true);
    }

    static void ping(Site from, Site to) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                String out = topology.exec(from.host(), 15, "ping", "-c", "3", "-i", "0.2", "-W", "2", to.hostAddress());
                assertTrue(out.contains("3 received"), out);
                return;
            } catch (IOException e) {
                last = e; // the far end may still be installing its SAs (strongSwan installs after answering)
                Thread.sleep(300);
            }
        }
        throw new AssertionError("ping " + from.host() + " -> " + to.host() + " failed: " + last + "\ncharon:\n" + strongSwan.logTail());
    }

    /** 2 MB over TCP from {@code client}'s host to {@code server}'s, or back with {@code reverse}. */
    static void tcp(Site client, Site server, boolean reverse) throws Exception {
        Process iperf = topology.spawn(server.host(), "iperf3", "-s", "-1", "-p", "5202");
        try {
            Thread.sleep(300);
            List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", server.hostAddress(), "-p", "5202", "-n", "2M",
                    "--connect-timeout", "3000"));
            if (reverse) {
                cmd.add("-R");
            }
            try {
                topology.exec(client.host(), 40, cmd.toArray(String[]::new));
            } catch (IOException e) {
                throw new AssertionError("TCP " + (reverse ? server.host() + " -> " + client.host() : client.host() + " -> "
                        + server.host()) + " failed: " + e + "\ncharon:\n" + strongSwan.logTail());
            }
        } finally {
            iperf.destroy();
            iperf.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---- the cases ----

    @Test
    void ourAgentsOnTunCarryPingAndTcpAndOnlyEspInUdpCrossesThePe() throws Exception {
        takeDownTrafficDrivenTunnel(); // its idle DELETE must not fall into the capture
        awaitEstablished(S1, S2, 60);
        awaitEstablished(S2, S1, 10);
        awaitEstablished(S1, S3, 60);
        await("strongSwan's SA with ce1", 10, () -> strongSwan.established("ce1"));
        // Into a file: a TCP transfer is thousands of lines, more than a pipe holds while tshark runs.
        Path captured = dir.resolve("pe.tsv");
        Process capture = new ProcessBuilder("ip", "netns", "exec", topology.ns("pe"), "tshark", "-n", "-i", "to1", "-i", "to2",
                "-i", "to3", "-a", "duration:60", "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.proto",
                "-e", "udp.srcport", "-e", "udp.dstport", "-e", "esp.spi")
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(captured.toFile()).start();
        Thread.sleep(2000); // let tshark open the interfaces
        trafficBothWays(S1, S2);
        ping(S1, S3); // and through the agent–strongSwan tunnel
        Thread.sleep(500); // the last packets reach the capture
        capture.destroy(); // SIGTERM: tshark stops capturing and writes out what it has (ip netns exec execs tshark)
        assertTrue(capture.waitFor(20, TimeUnit.SECONDS), "tshark did not stop");
        List<String> lines = Files.readString(captured).lines()
                .filter(l -> l.matches("^\\d+\\.\\d+\\.\\d+\\.\\d+\\t.*")).toList();
        assertTrue(lines.size() > 100, "packets captured on pe: " + lines.size());
        Map<String, Long> espByPair = new HashMap<>();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            boolean espInUdp = f[2].equals("17") && f[3].equals("4500") && f[4].equals("4500") && !f[5].isEmpty();
            String pair = pair(f[0], f[1]);
            assertTrue(espInUdp && (pair.equals(pair(S1, S2)) || pair.equals(pair(S1, S3))),
                    "only ESP in UDP/4500 between the CEs (ce1–ce2, ce1–ce3) on the SP links, saw: " + l);
            espByPair.merge(pair, 1L, Long::sum);
        }
        assertTrue(espByPair.getOrDefault(pair(S1, S2), 0L) > 100 && espByPair.getOrDefault(pair(S1, S3), 0L) >= 6,
                "ESP packets per CE pair: " + espByPair);

        // A figure, not a test: TCP throughput h1 -> h2 through both agents (TUN, ESP-in-UDP, AES-GCM-256).
        double gbps = topology.iperf(2);
        System.out.printf(Locale.ROOT, "agents on TUN, h1 -> h2 iperf3 TCP: %.3f Gbit/s%n", gbps);
        assertTrue(gbps > 0.001, "iperf3 through the agents: " + gbps + " Gbit/s");
    }

    /** An unordered pair of SP addresses. */
    static String pair(String x, String y) {
        return x.compareTo(y) < 0 ? x + "<>" + y : y + "<>" + x;
    }

    static String pair(Site x, Site y) {
        return pair(x.sp().getHostAddress(), y.sp().getHostAddress());
    }

    @Test
    void theAgentInitiatesItsTunnelToStrongSwanAndTrafficCrossesBothWays() throws Exception {
        PeerState sa = awaitEstablished(S1, S3, 60);
        assertEquals("true", sa.ikeSa().get("local-initiator"), "ce1 (permanent tunnel) initiated: " + sa);
        await("strongSwan's SA with ce1", 10, () -> strongSwan.established("ce1"));
        trafficBothWays(S1, S3);
    }

    @Test
    void strongSwanInitiatesItsTunnelToTheAgentAndTrafficCrossesBothWays() throws Exception {
        takeDownTrafficDrivenTunnel();
        strongSwan.swanctl("--initiate", "--child", "ce2", "--timeout", "20");
        PeerState sa = awaitEstablished(S2, S3, 20);
        assertEquals("false", sa.ikeSa().get("local-initiator"), "strongSwan initiated: " + sa);
        trafficBothWays(S2, S3);
    }
    @Test
    void strongSwansRekeysAndDeleteKeepTheAgentsTunnelCarryingTraffic() throws Exception {
        PeerState up = awaitEstablished(S1, S3, 60);
        await("strongSwan's SA with ce1", 10, () -> strongSwan.established("ce1"));

        // A child rekey from strongSwan, with the PFS group of the sa-information (KE in CREATE_CHILD_SA).
        String oldChild = up.childInboundSpis().getFirst();
        strongSwan.swanctl("--rekey", "--child", "ce1");
        PeerState rekeyed = awaitEstablished(S1, S3, 15,
                s -> s.childInboundSpis().size() == 1 && !s.childInboundSpis().contains(oldChild));
        ping(S1, S3);
        ping(S3, S1);

        // An IKE SA rekey from strongSwan: new SPIs, the child SA moves over.
        String oldSpi = rekeyed.ikeSa().get("initiator-spi");
        strongSwan.swanctl("--rekey", "--ike", "ce1");
        awaitEstablished(S1, S3, 15, s -> !oldSpi.equals(s.ikeSa().get("initiator-spi")));
        ping(S1, S3);
        tcp(S3, S1, false);

        // strongSwan deletes the IKE SA: the agent's tunnel is permanent, so the agent sets it up again.
        String beforeDelete = peerState(S1, S3).ikeSa().get("initiator-spi");
        strongSwan.swanctl("--terminate", "--ike", "ce1", "--timeout", "10");
        PeerState again = awaitEstablished(S1, S3, 30, s -> !beforeDelete.equals(s.ikeSa().get("initiator-spi")));
        assertEquals("true", again.ikeSa().get("local-initiator"), "the agent re-initiated: " + again);
        ping(S1, S3);
        ping(S3, S1);
    }

    @Test
    void removingStrongSwanFromTheAgentsConfigurationDeletesTheTunnelAndAddingItBackRestoresIt() throws Exception {
        awaitEstablished(S1, S3, 60);
        await("strongSwan's SA with ce1", 10, () -> strongSwan.established("ce1"));
        Path remove = dir.resolve("ce1-remove.xml");
        Files.writeString(remove, "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>2</configuration-version>"
                + "<peer nc:operation=\"delete\"><sp-address>" + S3.sp().getHostAddress() + "</sp-address></peer>"
                + "</vpn-configuration></ce-device>");
        netconf(S1, "edit", remove.toString());
        await("strongSwan to lose its SA with ce1 (the agent's IKE DELETE)", 10, () -> !strongSwan.established("ce1"));
        assertTrue(strongSwan.log().contains("received DELETE for IKE_SA ce1"), strongSwan.logTail());
        Thread.sleep(3000);
        assertFalse(strongSwan.established("ce1"), "a removed peer is not tried again");
        assertTrue(peerState(S1, S3).ikeSa().isEmpty(), "ce1 no longer lists the peer's ike-sa");

        Path restore = dir.resolve("ce1-restore.xml");
        Files.writeString(restore, vpnConfiguration(S1).replace("<configuration-version>1<", "<configuration-version>3<"));
        try {
            netconf(S1, "edit", restore.toString());
        } finally {
            Files.delete(restore);
        }
        awaitEstablished(S1, S3, 30);
        ping(S1, S3);
    }

    @Test
    void trafficFromTheSiteStartsTheAgentsTrafficDrivenTunnelToStrongSwan() throws Exception {
        takeDownTrafficDrivenTunnel();
        try {
            topology.exec(S2.host(), 10, "ping", "-c", "1", "-W", "1", S3.hostAddress());
        } catch (IOException expected) {
            // the packet that asks for the tunnel is dropped (counted) while IKE runs
        }
        PeerState sa = awaitEstablished(S2, S3, 20);
        assertEquals("true", sa.ikeSa().get("local-initiator"), "ce2 initiated on the site's packet: " + sa);
        await("strongSwan's SA with ce2", 10, () -> strongSwan.established("ce2"));
        trafficBothWays(S2, S3);

        // Idle for the idle-timeout: the agent tears the tunnel down with an IKE DELETE that strongSwan takes.
        long deletes = deletesOfCe2();
        await("the idle tunnel's DELETE at strongSwan", IDLE_TIMEOUT + 10, () -> deletesOfCe2() > deletes);
        await("ce2's tunnel to be down", 5, () -> !peerState(S2, S3).established() && !strongSwan.established("ce2"));
    }

    static long deletesOfCe2() {
        return strongSwan.log().lines().filter(l -> l.contains("received DELETE for IKE_SA ce2[")).count();
    }

    @Test
    void anAgentKilledWithSigkillRestartsIntoItsConfigurationAndItsTunnels() throws Exception {
        awaitEstablished(S1, S3, 60);
        awaitEstablished(S1, S2, 60);
        Process killed = agents.get(S1);
        killed.destroyForcibly(); // SIGKILL (ip netns exec execs java): no DELETE, the peers keep their SAs
        assertTrue(killed.waitFor(10, TimeUnit.SECONDS), "ce1's agent did not die");
        agents.put(S1, startAgent(S1));
        awaitAgentReady(S1);

        // No NETCONF this time: the committed configuration survived in the datastore file.
        awaitEstablished(S1, S3, 30);
        awaitEstablished(S1, S2, 30);
        // INITIAL_CONTACT from the restarted agent: both peers drop their stale SAs with it.
        await("strongSwan to keep one IKE SA with ce1", 15,
                () -> strongSwan.ikeSaCount("ce1") == 1);
        await("ce2 to keep one child SA with ce1", 15, () -> peerState(S2, S1).childInboundSpis().size() == 1);
        ping(S1, S3);
        ping(S3, S1);
        ping(S1, S2);
        ping(S2, S1);
    }

    /**
     * ce2's tunnel to strongSwan is traffic-driven: if an earlier case brought it up, strongSwan deletes it and
     * it stays down (no traffic, no tunnel) until something asks for it.
     */
    static void takeDownTrafficDrivenTunnel() throws Exception {
        if (strongSwan.established("ce2")) {
            strongSwan.swanctl("--terminate", "--ike", "ce2", "--timeout", "10");
        }
        await("ce2's traffic-driven tunnel to be down", 10, () -> !peerState(S2, S3).established());
        Thread.sleep(2000);
        PeerState idle = peerState(S2, S3);
        assertFalse(idle.established() || strongSwan.established("ce2"), "without traffic it stays down: " + idle);
    }
}

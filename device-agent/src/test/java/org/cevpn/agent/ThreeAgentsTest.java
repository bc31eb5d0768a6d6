package org.cevpn.agent;

import static org.cevpn.agent.TwoAgentsTest.CE;
import static org.cevpn.agent.TwoAgentsTest.await;
import static org.cevpn.agent.TwoAgentsTest.established;
import static org.cevpn.agent.TwoAgentsTest.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cevpn.agent.config.IpPrefix;
import org.cevpn.agent.reconcile.TunnelState;
import org.cevpn.ipsec.esp.Mode;
import org.cevpn.ipsec.esp.SecurityAssociation;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three CE agents in one JVM on 127.0.0.2x with in-memory VPN ports, configured only through NETCONF (ncclient
 * over SSH), each with certificates from a CA the test makes: A–B authenticate with a pre-shared key, A–C with
 * certificates (RFC 7427 signatures, ECDSA and RSA), B–C with a pre-shared key in transport mode over IP-in-IP
 * (RFC 3884); packets cross each pair. A tuple that names the wrong CE for a certificate ends in the
 * negotiation-alarm.
 */
class ThreeAgentsTest {
    static final int IKE = 24510;
    static final int NAT_T = 24511;
    static final InetAddress A = InetAddress.ofLiteral("127.0.0.21");
    static final InetAddress B = InetAddress.ofLiteral("127.0.0.22");
    static final InetAddress C = InetAddress.ofLiteral("127.0.0.23");
    static final String PSK_AB = "QUJBQkFCQUJBQkFCQUJBQkFCQUJBQkFCQUJBQkFCQUI=";
    static final String PSK_BC = "QkNCQ0JDQkNCQ0JDQkNCQ0JDQkNCQ0JDQkNCQ0JDQkM=";
    static TestCa ca;
    static TestCa.Issued ce1;
    static TestCa.Issued ce2;
    static TestCa.Issued ce3;

    @TempDir
    Path dir;
    ExternalTools.Program python;
    final List<CeAgent> agents = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        ca = new TestCa("cevpn provider CA");
        ce1 = ca.issue("ce1", TestCa.KeyType.EC_P256);
        ce2 = ca.issue("ce2", TestCa.KeyType.RSA_2048);
        ce3 = ca.issue("ce3", TestCa.KeyType.EC_P384);
    }

    @BeforeEach
    void client() throws Exception {
        python = ExternalTools.programAt(Path.of("/usr/bin/python3"), "python3-ncclient");
        if (python.run(List.of("-c", "import ncclient")).exitCode() != 0) {
            ExternalTools.require(false, "python module ncclient (Debian package python3-ncclient)");
        }
        Files.write(dir.resolve("client.py"), TwoAgentsTest.class.getResourceAsStream("netconf_client.py").readAllBytes());
    }

    @AfterEach
    void stop() throws Exception {
        for (CeAgent agent : agents) {
            agent.close();
        }
    }

    CeAgent agent(String name, InetAddress sp, String ceId, MemoryPacketPort port) throws Exception {
        Path state = Files.createDirectories(dir.resolve(name));
        CeAgent agent = new CeAgent(new CeAgent.Settings("127.0.0.1", 0, state, Map.of("admin", "admin-pw"), sp, IKE, NAT_T,
                Optional.of(TwoAgentsTest.preConfiguration(ceId, sp))), port);
        agents.add(agent);
        return agent;
    }

    void edit(CeAgent agent, String xml) throws Exception {
        Path f = Files.createTempFile(dir, "edit", ".xml");
        Files.writeString(f, xml);
        var run = python.run(List.of(dir.resolve("client.py").toString(), Integer.toString(agent.netconfPort()), "admin",
                "admin-pw", "edit", f.toString()));
        assertEquals(0, run.exitCode(), run.output());
    }

    String get(CeAgent agent) throws Exception {
        var run = python.run(List.of(dir.resolve("client.py").toString(), Integer.toString(agent.netconfPort()), "admin",
                "admin-pw", "get"));
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }

    String notifications(CeAgent agent) throws Exception {
        var run = python.run(List.of(dir.resolve("client.py").toString(), Integer.toString(agent.netconfPort()), "admin",
                "admin-pw", "notifications"));
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }

    /** A VPN configuration with this CE's local credentials. */
    static String configuration(TestCa.Issued mine, String local, String... peers) throws Exception {
        return "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>1</configuration-version>"
                + "<local-credentials><private-key>" + mine.privateKeyBase64() + "</private-key><certificate>"
                + mine.certificateBase64() + "</certificate><ca-certificate>" + ca.certificateBase64() + "</ca-certificate>"
                + "</local-credentials><vpn><vpn-id>acme</vpn-id><local-prefix>" + local + "</local-prefix></vpn>"
                + String.join("", peers) + "</vpn-configuration></ce-device>";
    }

    /** A permanent peer; {@code psk} null: digital signatures. */
    static String peer(InetAddress address, String ceId, String psk, String mode, String remote) {
        return "<peer><sp-address>" + address.getHostAddress() + "</sp-address><ce-id>" + ceId + "</ce-id><vpn-id>acme</vpn-id>"
                + (psk == null ? "<authentication-method>digital-signature</authentication-method>"
                        : "<authentication-method>pre-shared</authentication-method><pre-shared-key>" + psk + "</pre-shared-key>")
                + "<tunnel-information><establishment>permanent</establishment><ipsec-mode>" + mode + "</ipsec-mode>"
                + "</tunnel-information><remote-prefix>" + remote + "</remote-prefix></peer>";
    }

    static void crosses(MemoryPacketPort from, MemoryPacketPort to, String src, String dst) throws Exception {
        byte[] packet = udp(src, dst, (src + " to " + dst).getBytes());
        assertTrue(from.inject(packet));
        assertArrayEquals(packet, to.poll(5000), src + " -> " + dst);
    }

    @Test
    void pskCertificateAndTransportIpInIpPairsCarryPackets() throws Exception {
        MemoryPacketPort portA = new MemoryPacketPort("vpn-a", 64);
        MemoryPacketPort portB = new MemoryPacketPort("vpn-b", 64);
        MemoryPacketPort portC = new MemoryPacketPort("vpn-c", 64);
        CeAgent a = agent("a", A, "ce1", portA);
        CeAgent b = agent("b", B, "ce2", portB);
        CeAgent c = agent("c", C, "ce3", portC);
        edit(a, configuration(ce1, "10.1.0.0/16", peer(B, "ce2", PSK_AB, "tunnel", "10.2.0.0/16"),
                peer(C, "ce3", null, "tunnel", "10.3.0.0/16")));
        edit(b, configuration(ce2, "10.2.0.0/16", peer(A, "ce1", PSK_AB, "tunnel", "10.1.0.0/16"),
                peer(C, "ce3", PSK_BC, "transport-ip-in-ip", "10.3.0.0/16")));
        edit(c, configuration(ce3, "10.3.0.0/16", peer(A, "ce1", null, "tunnel", "10.1.0.0/16"),
                peer(B, "ce2", PSK_BC, "transport-ip-in-ip", "10.2.0.0/16")));
        await("the three tunnels", Duration.ofSeconds(30), () -> established(a, B) && established(b, A) && established(a, C)
                && established(c, A) && established(b, C) && established(c, B));

        crosses(portA, portB, "10.1.0.5", "10.2.0.7");   // PSK, tunnel mode
        crosses(portC, portA, "10.3.0.5", "10.1.0.7");   // certificates, tunnel mode
        crosses(portB, portC, "10.2.0.5", "10.3.0.7");   // PSK, transport mode over IP-in-IP
        crosses(portC, portB, "10.3.0.9", "10.2.0.9");
        assertNull(portA.poll(200), "A sees none of B-C's traffic");

        // B-C's SAs are transport mode over IP-in-IP; the others tunnel mode.
        for (SecurityAssociation sa : b.dataPlane().sad().all()) {
            boolean toC = sa.config().peer().getAddress().equals(C);
            assertEquals(toC ? Mode.TRANSPORT_IPIP : Mode.TUNNEL, sa.config().mode(), sa.toString());
        }
        String state = get(b).replaceAll(">\\s+<", "><");
        assertTrue(state.contains("</established-at><ipsec-mode>transport-ip-in-ip</ipsec-mode>")
                && state.contains("</established-at><ipsec-mode>tunnel</ipsec-mode>"), state);
        String events = notifications(c);
        assertTrue(events.contains("<ipsec-mode>transport-ip-in-ip</ipsec-mode>") && events.contains("<ipsec-mode>tunnel</ipsec-mode>"),
                events);
    }

    @Test
    void aCertificateForAnotherCeEndsInTheNegotiationAlarm() throws Exception {
        CeAgent a = agent("a", A, "ce1", new MemoryPacketPort("vpn-a", 64));
        CeAgent c = agent("c", C, "ce3", new MemoryPacketPort("vpn-c", 64));
        // A's tuple says the CE at C's address is ce2; the CE there is ce3, with ce3's genuine certificate.
        edit(a, configuration(ce1, "10.1.0.0/16", peer(C, "ce2", null, "tunnel", "10.3.0.0/16")));
        edit(c, configuration(ce3, "10.3.0.0/16", peer(A, "ce1", null, "tunnel", "10.1.0.0/16")));
        await("the negotiation alarm", Duration.ofSeconds(40), () -> {
            TunnelState s = a.tunnels().get(C);
            return s != null && s.state().equals("alarmed");
        });
        TunnelState s = a.tunnels().get(C);
        String error = s.lastError().orElse("");
        assertTrue(error.contains("AUTHENTICATION_FAILED") && error.contains("ce3") && error.contains("ce2"), s.toString());
        String events = notifications(a);
        assertTrue(events.contains("<negotiation-alarm") && events.contains("major"), events);
        assertTrue(!events.contains("<tunnel-up"), events);

        // The right CE now, but A was given another provider's CA: C's certificate does not chain to it.
        TestCa stranger = new TestCa("another provider CA");
        edit(a, "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>2</configuration-version>"
                + "<local-credentials nc:operation=\"replace\"><private-key>" + ce1.privateKeyBase64() + "</private-key><certificate>"
                + ce1.certificateBase64() + "</certificate><ca-certificate>" + stranger.certificateBase64() + "</ca-certificate>"
                + "</local-credentials><peer><sp-address>" + C.getHostAddress() + "</sp-address><ce-id>ce3</ce-id></peer>"
                + "</vpn-configuration></ce-device>");
        await("the alarm for the foreign certificate", Duration.ofSeconds(40), () -> {
            TunnelState t = a.tunnels().get(C);
            return t != null && t.state().equals("alarmed") && t.lastError().orElse("").contains("certificate chain rejected");
        });
        assertTrue(a.tunnels().get(C).lastError().orElseThrow().startsWith("AUTHENTICATION_FAILED"), a.tunnels().get(C).toString());
    }

    /** A permanent transport-ip-in-ip peer with dynamic routing: no remote prefix, its routes are learned. */
    static String dynamicPeer(InetAddress address, String ceId, String psk) {
        return "<peer><sp-address>" + address.getHostAddress() + "</sp-address><ce-id>" + ceId + "</ce-id><vpn-id>acme</vpn-id>"
                + "<authentication-method>pre-shared</authentication-method><pre-shared-key>" + psk + "</pre-shared-key>"
                + "<tunnel-information><establishment>permanent</establishment><ipsec-mode>transport-ip-in-ip</ipsec-mode>"
                + "<dynamic-routing>true</dynamic-routing></tunnel-information></peer>";
    }

    static void doesNotCross(CeAgent agent, MemoryPacketPort from, MemoryPacketPort to, String src, String dst) throws Exception {
        // The send counter is bumped just after a packet leaves, so the packet of an earlier crosses() may arrive
        // before its count: let it settle first.
        long sent = agent.dataPlane().espSent();
        for (long again; (again = settle(agent)) != sent; ) {
            sent = again;
        }
        assertTrue(from.inject(udp(src, dst, "not routed".getBytes())));
        assertNull(to.poll(300), src + " -> " + dst + " must not cross");
        assertEquals(sent, agent.dataPlane().espSent());
    }

    private static long settle(CeAgent agent) throws InterruptedException {
        Thread.sleep(100);
        return agent.dataPlane().espSent();
    }

    @Test
    void dynamicRoutingPeersCarryWhatTheRoutingAdapterRoutes() throws Exception {
        MemoryPacketPort portA = new MemoryPacketPort("vpn-a", 64);
        MemoryPacketPort portB = new MemoryPacketPort("vpn-b", 64);
        CeAgent a = agent("a", A, "ce1", portA);
        CeAgent b = agent("b", B, "ce2", portB);
        // A has a second dynamic-routing peer (C, not running) and a static one (D) to check one next hop per destination.
        InetAddress d = InetAddress.ofLiteral("127.0.0.24");
        edit(a, configuration(ce1, "10.1.0.0/16", dynamicPeer(B, "ce2", PSK_AB), dynamicPeer(C, "ce3", PSK_BC),
                peer(d, "ce4", PSK_BC, "tunnel", "10.4.0.0/16")));
        edit(b, configuration(ce2, "10.2.0.0/16", dynamicPeer(A, "ce1", PSK_AB)));
        await("the dynamic-routing tunnel", Duration.ofSeconds(30), () -> established(a, B) && established(b, A));
        for (SecurityAssociation sa : a.dataPlane().sad().all()) {
            assertEquals(Mode.TRANSPORT_IPIP, sa.config().mode(), sa.toString());
        }

        // Up, but nothing is routed through it yet.
        doesNotCross(a, portA, portB, "10.1.0.5", "10.2.0.7");
        // The adapter's first routes: the point-to-point link's far end, so that the routing protocol can talk.
        a.tunnelRoutes().addRoute(B, IpPrefix.parse("169.254.0.2/32"));
        b.tunnelRoutes().addRoute(A, IpPrefix.parse("169.254.0.1/32"));
        crosses(portA, portB, "169.254.0.1", "169.254.0.2");
        crosses(portB, portA, "169.254.0.2", "169.254.0.1");
        // Then what it learns: B's site, and a network behind B that no configuration mentions.
        a.tunnelRoutes().addRoute(B, IpPrefix.parse("10.2.0.0/16"));
        a.tunnelRoutes().addRoute(B, IpPrefix.parse("10.20.0.0/16"));
        b.tunnelRoutes().addRoute(A, IpPrefix.parse("10.1.0.0/16"));
        crosses(portA, portB, "10.1.0.5", "10.20.0.7");
        crosses(portB, portA, "10.20.0.7", "10.1.0.5");
        crosses(portB, portA, "10.2.0.7", "10.1.0.5");
        assertEquals(java.util.List.of(IpPrefix.parse("169.254.0.2/32"), IpPrefix.parse("10.2.0.0/16"), IpPrefix.parse("10.20.0.0/16")),
                a.tunnelRoutes().learnedRoutes().get(B));

        // One next hop per destination; only dynamic-routing peers take learned routes.
        var overlap = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> a.tunnelRoutes().addRoute(C, IpPrefix.parse("10.20.1.0/24")));
        assertTrue(overlap.getMessage().contains("overlaps 10.20.0.0/16, routed via " + B.getHostAddress()), overlap.getMessage());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> a.tunnelRoutes().addRoute(C, IpPrefix.parse("10.4.1.0/24"))).getMessage().contains("routed via " + d.getHostAddress()));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> a.tunnelRoutes().addRoute(d, IpPrefix.parse("10.40.0.0/16"))).getMessage().contains("no dynamic-routing peer"));

        // A new child SA (here after a reset; a rekey takes the same path) carries the learned routes.
        int before = a.tunnels().get(B).children().getFirst().inboundSpi();
        var reset = python.run(java.util.List.of(dir.resolve("client.py").toString(), Integer.toString(a.netconfPort()), "admin",
                "admin-pw", "reset", B.getHostAddress()));
        assertEquals(0, reset.exitCode(), reset.output());
        await("a new tunnel after the reset", Duration.ofSeconds(15), () -> established(a, B) && established(b, A)
                && a.tunnels().get(B).children().getFirst().inboundSpi() != before);
        crosses(portA, portB, "10.1.0.5", "10.20.0.7");

        // Withdrawn: not sent any more, and what B still sends from there is dropped at A (its source is not routed via B).
        a.tunnelRoutes().removeRoute(B, IpPrefix.parse("10.20.0.0/16"));
        doesNotCross(a, portA, portB, "10.1.0.5", "10.20.0.7");
        assertTrue(portB.inject(udp("10.20.0.7", "10.1.0.5", "from a withdrawn route".getBytes())));
        assertNull(portA.poll(300));
        await("A's selector drop", Duration.ofSeconds(2), () -> a.dataPlane().sad().all().stream()
                .anyMatch(sa -> sa.stats().drops(org.cevpn.ipsec.esp.DropReason.SELECTOR_MISMATCH) == 1));
        crosses(portA, portB, "10.1.0.5", "10.2.0.7");

        // A configured prefix wins over a learned route through another peer that overlaps it.
        a.tunnelRoutes().addRoute(B, IpPrefix.parse("10.30.0.0/16"));
        edit(a, "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>2</configuration-version><peer><sp-address>"
                + d.getHostAddress() + "</sp-address><remote-prefix>10.30.1.0/24</remote-prefix></peer></vpn-configuration></ce-device>");
        await("the overlapping learned route withdrawn", Duration.ofSeconds(5),
                () -> !a.tunnelRoutes().learnedRoutes().get(B).contains(IpPrefix.parse("10.30.0.0/16")));
        assertTrue(a.tunnelRoutes().learnedRoutes().get(B).contains(IpPrefix.parse("10.2.0.0/16")));
        crosses(portA, portB, "10.1.0.5", "10.2.0.7");
        doesNotCross(a, portA, portB, "10.1.0.5", "10.30.9.9");
    }
}

package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.cevpn.agent.reconcile.TunnelState;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two CE agents in one JVM on 127.0.0.x with in-memory VPN ports, configured only through NETCONF (ncclient
 * over SSH): a PSK tunnel comes up, a packet crosses between the VPN ports, removing the peer on one side
 * tears the tunnel down on both, and a wrong PSK ends in the negotiation-alarm notification after the backoff.
 */
class TwoAgentsTest {
    static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    static final int IKE = 24500;
    static final int NAT_T = 24501;
    static final String PSK = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final InetAddress A = InetAddress.ofLiteral("127.0.0.11");
    static final InetAddress B = InetAddress.ofLiteral("127.0.0.12");

    @TempDir
    Path dir;
    ExternalTools.Program python;
    final List<CeAgent> agents = new ArrayList<>();
    MemoryPacketPort portA;
    MemoryPacketPort portB;
    CeAgent a;
    CeAgent b;

    @BeforeEach
    void start() throws Exception {
        python = ExternalTools.programAt(Path.of("/usr/bin/python3"), "python3-ncclient");
        if (python.run(List.of("-c", "import ncclient")).exitCode() != 0) {
            ExternalTools.require(false, "python module ncclient (Debian package python3-ncclient)");
        }
        Files.write(dir.resolve("client.py"), getClass().getResourceAsStream("netconf_client.py").readAllBytes());
        portA = new MemoryPacketPort("vpn-a", 64);
        portB = new MemoryPacketPort("vpn-b", 64);
        a = agent("a", A, "ce1", portA);
        b = agent("b", B, "ce2", portB);
    }

    CeAgent agent(String name, InetAddress sp, String ceId, MemoryPacketPort port) throws Exception {
        Path state = Files.createDirectories(dir.resolve(name));
        String pre = preConfiguration(ceId, sp);
        CeAgent agent = new CeAgent(new CeAgent.Settings("127.0.0.1", 0, state, Map.of("admin", "admin-pw"), sp, IKE, NAT_T,
                Optional.of(pre)), port);
        agents.add(agent);
        return agent;
    }

    /** /ce-device with the pre-configuration only. Short timers: retries after 1 s, t1 2 s, limit 4 s, alarm on the third failure. */
    static String preConfiguration(String ceId, InetAddress sp) {
        return "<ce-device xmlns=\"" + CE + "\"><ce-id>" + ceId + "</ce-id><pre-configuration><sp-address>"
                + sp.getHostAddress() + "</sp-address><vpn-server><address>127.0.0.1</address>"
                + "<ssh-host-key>AAAAC3NzaC1lZDI1NTE5AAAAIPO/MRt2EcamImPU/ehKNgKzTenx/WzCaLG4nd22s2qo</ssh-host-key></vpn-server>"
                + "<client-identity><private-key>MC4CAQAwBQYDK2VwBCIEIDvh4P4sFGEnA4nOgdYYKc27S2nwq9WUmTruYEFiAlhS</private-key>"
                + "</client-identity><timers><min-retry-wait>1</min-retry-wait><retry-interval>2</retry-interval>"
                + "<backoff-limit>4</backoff-limit><alarm-threshold>3</alarm-threshold><liveness-interval>0</liveness-interval>"
                + "</timers></pre-configuration></ce-device>";
    }

    @AfterEach
    void stop() throws Exception {
        for (CeAgent agent : agents) {
            agent.close();
        }
    }

    static String vpnConfiguration(long version, InetAddress peer, String peerCeId, String psk, String local, String remote) {
        return "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>" + version + "</configuration-version>"
                + "<vpn><vpn-id>acme</vpn-id><local-prefix>" + local + "</local-prefix></vpn>"
                + "<peer><sp-address>" + peer.getHostAddress() + "</sp-address><ce-id>" + peerCeId + "</ce-id><vpn-id>acme</vpn-id>"
                + "<authentication-method>pre-shared</authentication-method><pre-shared-key>" + psk + "</pre-shared-key>"
                + "<tunnel-information><establishment>permanent</establishment></tunnel-information>"
                + "<remote-prefix>" + remote + "</remote-prefix></peer></vpn-configuration></ce-device>";
    }

    void netconf(CeAgent agent, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(dir.resolve("client.py").toString(), Integer.toString(agent.netconfPort()),
                "admin", "admin-pw"));
        argv.addAll(List.of(args));
        var run = python.run(argv);
        assertEquals(0, run.exitCode(), run.output());
    }

    void edit(CeAgent agent, String xml) throws Exception {
        Path f = Files.createTempFile(dir, "edit", ".xml");
        Files.writeString(f, xml);
        netconf(agent, "edit", f.toString());
    }

    String get(CeAgent agent) throws Exception {
        return client(agent, "get");
    }

    String notifications(CeAgent agent) throws Exception {
        return client(agent, "notifications");
    }

    String client(CeAgent agent, String command) throws Exception {
        List<String> argv = List.of(dir.resolve("client.py").toString(), Integer.toString(agent.netconfPort()), "admin", "admin-pw",
                command);
        var run = python.run(argv);
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }

    static void await(String what, Duration max, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static boolean established(CeAgent agent, InetAddress peer) {
        TunnelState s = agent.tunnels().get(peer);
        return s != null && s.state().equals("established") && !s.children().isEmpty();
    }

    /** A minimal IPv4/UDP packet from {@code src} to {@code dst} carrying {@code payload}. */
    static byte[] udp(String src, String dst, byte[] payload) {
        return org.cevpn.agent.demo.Demo.udp(src, dst, payload);
    }

    @Test
    void pskTunnelCarriesTrafficAndRemovingThePeerTearsItDownOnBothSides() throws Exception {
        edit(a, vpnConfiguration(1, B, "ce2", PSK, "10.1.0.0/16", "10.2.0.0/16"));
        edit(b, vpnConfiguration(1, A, "ce1", PSK, "10.2.0.0/16", "10.1.0.0/16"));
        await("the tunnel on both sides", Duration.ofSeconds(20), () -> established(a, B) && established(b, A));

        byte[] packet = udp("10.1.0.5", "10.2.0.7", "hello through the tunnel".getBytes());
        assertTrue(portA.inject(packet));
        byte[] received = portB.poll(5000);
        assertNotNull(received, "the packet did not reach B's VPN port");
        assertArrayEquals(packet, received);
        // Both counters are bumped just after the packet moves on (A's after the send, B's after the
        // delivery), so B can hold the packet before either is visible: wait for them, don't race them.
        await("A's and B's ESP counters", Duration.ofSeconds(2),
                () -> a.dataPlane().espSent() == 1 && b.dataPlane().espDelivered() == 1);
        String stateA = get(a).replaceAll(">\\s+<", "><");
        // sync-state also holds the pull client's last-pull/last-error (no VPN server answers in this test)
        assertTrue(stateA.matches("(?s).*<sync-state><applied-version>1</applied-version>.*</sync-state>.*"), stateA);
        assertTrue(stateA.matches("(?s).*<ike-sa>((?!</ike-sa>).)*<state>established</state>.*"), stateA);
        assertTrue(stateA.contains("<out-packets>1</out-packets>"), stateA);
        String stateB = get(b).replaceAll(">\\s+<", "><");
        assertTrue(stateB.contains("<in-packets>1</in-packets>") && stateB.contains("<authentication-drops>0</authentication-drops>"),
                stateB);

        // Remove B from A's configuration only: A deletes the IKE SA, B sees the delete.
        edit(a, "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>2</configuration-version>"
                + "<peer nc:operation=\"delete\"><sp-address>" + B.getHostAddress() + "</sp-address></peer>"
                + "</vpn-configuration></ce-device>");
        await("A to forget B", Duration.ofSeconds(10), () -> !a.tunnels().containsKey(B));
        await("B's tunnel to go down", Duration.ofSeconds(10), () -> !established(b, A));
        assertEquals(List.of(), a.dataPlane().sad().all());
        String eventsA = notifications(a);
        assertTrue(eventsA.contains("<configuration-applied") && eventsA.contains("<configuration-version>2<"), eventsA);
        assertTrue(eventsA.contains("<tunnel-up") && eventsA.contains("<tunnel-down") && eventsA.contains("peer-removed"), eventsA);
        String eventsB = notifications(b);
        assertTrue(eventsB.contains("<tunnel-down") && eventsB.contains("peer-deleted"), eventsB);
    }

    /** A peer element of a full-mesh VPN configuration. */
    static String peer(InetAddress address, String ceId, String psk, String remote) {
        return "<peer><sp-address>" + address.getHostAddress() + "</sp-address><ce-id>" + ceId + "</ce-id><vpn-id>acme</vpn-id>"
                + "<authentication-method>pre-shared</authentication-method><pre-shared-key>" + psk + "</pre-shared-key>"
                + "<remote-prefix>" + remote + "</remote-prefix></peer>";
    }

    static String mesh(long version, String local, String... peers) {
        return "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>" + version + "</configuration-version>"
                + "<vpn><vpn-id>acme</vpn-id><local-prefix>" + local + "</local-prefix></vpn>" + String.join("", peers)
                + "</vpn-configuration></ce-device>";
    }

    static int firstInboundSpi(CeAgent agent, InetAddress peer) {
        return agent.tunnels().get(peer).children().getFirst().inboundSpi();
    }

    @Test
    void threeAgentsMeshAndAChangedKeyReEstablishesOnlyThatTunnel() throws Exception {
        InetAddress c3 = InetAddress.ofLiteral("127.0.0.13");
        MemoryPacketPort portC = new MemoryPacketPort("vpn-c", 64);
        CeAgent c = agent("c", c3, "ce3", portC);
        String pskAc = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
        String pskBc = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";
        edit(a, mesh(1, "10.1.0.0/16", peer(B, "ce2", PSK, "10.2.0.0/16"), peer(c3, "ce3", pskAc, "10.3.0.0/16")));
        edit(b, mesh(1, "10.2.0.0/16", peer(A, "ce1", PSK, "10.1.0.0/16"), peer(c3, "ce3", pskBc, "10.3.0.0/16")));
        edit(c, mesh(1, "10.3.0.0/16", peer(A, "ce1", pskAc, "10.1.0.0/16"), peer(B, "ce2", pskBc, "10.2.0.0/16")));
        await("the full mesh", Duration.ofSeconds(30), () -> established(a, B) && established(a, c3) && established(b, c3)
                && established(b, A) && established(c, A) && established(c, B));
        byte[] packet = udp("10.1.0.5", "10.3.0.9", "a to c".getBytes());
        assertTrue(portA.inject(packet));
        assertArrayEquals(packet, portC.poll(5000));
        assertEquals(null, portB.poll(200), "B must not see A-C traffic");

        int abBefore = firstInboundSpi(a, B);
        int acBefore = firstInboundSpi(a, c3);
        String newKey = "Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=";
        edit(a, mesh(2, "10.1.0.0/16", peer(B, "ce2", newKey, "10.2.0.0/16"), peer(c3, "ce3", pskAc, "10.3.0.0/16")));
        edit(b, mesh(2, "10.2.0.0/16", peer(A, "ce1", newKey, "10.1.0.0/16"), peer(c3, "ce3", pskBc, "10.3.0.0/16")));
        await("A-B re-established with the new key", Duration.ofSeconds(30),
                () -> established(a, B) && established(b, A) && firstInboundSpi(a, B) != abBefore);
        assertEquals(acBefore, firstInboundSpi(a, c3), "the unchanged A-C tunnel was left alone");
        byte[] again = udp("10.2.0.5", "10.1.0.9", "b to a".getBytes());
        assertTrue(portB.inject(again));
        assertArrayEquals(again, portA.poll(5000));
    }

    @Test
    void theResetActionReEstablishesThePermanentTunnel() throws Exception {
        edit(a, vpnConfiguration(1, B, "ce2", PSK, "10.1.0.0/16", "10.2.0.0/16"));
        edit(b, vpnConfiguration(1, A, "ce1", PSK, "10.2.0.0/16", "10.1.0.0/16"));
        await("the tunnel", Duration.ofSeconds(20), () -> established(a, B) && established(b, A));
        int before = firstInboundSpi(a, B);
        netconf(a, "reset", B.getHostAddress());
        await("a new tunnel after the reset", Duration.ofSeconds(15),
                () -> established(a, B) && established(b, A) && firstInboundSpi(a, B) != before);
        String events = notifications(a);
        assertTrue(events.contains("administrative-reset"), events);
        byte[] packet = udp("10.1.0.5", "10.2.0.7", "after reset".getBytes());
        assertTrue(portA.inject(packet));
        assertArrayEquals(packet, portB.poll(5000));
    }

    @Test
    void aTrafficDrivenTunnelComesUpOnTheFirstPacket() throws Exception {
        String onDemand = "<tunnel-information><establishment>traffic-driven</establishment><idle-timeout>60</idle-timeout>"
                + "</tunnel-information>";
        edit(a, vpnConfiguration(1, B, "ce2", PSK, "10.1.0.0/16", "10.2.0.0/16")
                .replace("<tunnel-information><establishment>permanent</establishment></tunnel-information>", onDemand));
        edit(b, vpnConfiguration(1, A, "ce1", PSK, "10.2.0.0/16", "10.1.0.0/16")
                .replace("<tunnel-information><establishment>permanent</establishment></tunnel-information>", onDemand));
        Thread.sleep(3000);
        assertTrue(!established(a, B) && !established(b, A), "no traffic, no tunnel");
        assertTrue(portA.inject(udp("10.1.0.5", "10.2.0.7", "wake up".getBytes())));
        await("the tunnel the packet asked for", Duration.ofSeconds(15), () -> established(a, B) && established(b, A));
        assertTrue(a.tunnels().get(B).localInitiator(), "A, which had the packet, initiated");
        byte[] packet = udp("10.1.0.5", "10.2.0.7", "now through".getBytes());
        assertTrue(portA.inject(packet));
        assertArrayEquals(packet, portB.poll(5000));
    }

    @Test
    void wrongPskEndsInTheNegotiationAlarmAfterTheBackoff() throws Exception {
        edit(a, vpnConfiguration(1, B, "ce2", PSK, "10.1.0.0/16", "10.2.0.0/16"));
        edit(b, vpnConfiguration(1, A, "ce1", "d3Jvbmcgd3Jvbmcgd3Jvbmcgd3Jvbmcgd3Jvbmc=", "10.2.0.0/16", "10.1.0.0/16"));
        await("the negotiation alarm", Duration.ofSeconds(40), () -> {
            TunnelState s = a.tunnels().get(B);
            return s != null && s.state().equals("alarmed");
        });
        TunnelState s = a.tunnels().get(B);
        assertTrue(s.retryCount() >= 3, s.toString());
        // Both ends initiate (permanent): the last failure is either B's MIC failing at A or A's refused by B.
        String error = s.lastError().orElse("");
        assertTrue(error.equals("AUTHENTICATION_FAILED: shared key MIC does not verify")
                || error.equals("AUTHENTICATION_FAILED: responder refused: AUTHENTICATION_FAILED"), s.toString());
        String events = notifications(a);
        assertTrue(events.contains("<negotiation-alarm") && events.contains("major"), events);
        assertTrue(!events.contains("<tunnel-up"), events);
    }

    /**
     * Each tuple's own IKE suite: A's tuple for B says Curve25519, B's tuple for A keeps the default
     * (ECP-256). A offers only its suite, B accepts from A's address only its own: no tunnel, and A's
     * last-error says why. Once B's tuple names the same suite, the tunnel comes up with it.
     */
    @Test
    void eachPeersIkeSuiteIsOfferedAndAMismatchIsAClearLastError() throws Exception {
        String curve25519 = "<sa-information><ike><dh-group>curve25519</dh-group></ike></sa-information>";
        edit(a, vpnConfiguration(1, B, "ce2", PSK, "10.1.0.0/16", "10.2.0.0/16").replace("<tunnel-information>", curve25519 + "<tunnel-information>"));
        edit(b, vpnConfiguration(1, A, "ce1", PSK, "10.2.0.0/16", "10.1.0.0/16"));
        await("A's last-error", Duration.ofSeconds(20), () -> {
            TunnelState s = a.tunnels().get(B);
            return s != null && s.lastError().isPresent();
        });
        TunnelState s = a.tunnels().get(B);
        assertTrue(s.lastError().orElseThrow().contains("NO_PROPOSAL_CHOSEN"), s.toString());
        assertTrue(!established(a, B), s.toString());

        edit(b, vpnConfiguration(2, A, "ce1", PSK, "10.2.0.0/16", "10.1.0.0/16").replace("<tunnel-information>", curve25519 + "<tunnel-information>"));
        await("the tunnel with the Curve25519 suite", Duration.ofSeconds(40), () -> established(a, B) && established(b, A));
    }
}

package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.IkeInitConfig;
import org.cevpn.ipsec.ike.testsupport.StrongSwanPeer;
import org.cevpn.ipsec.ike.testsupport.UdpEndpoint;
import org.junit.jupiter.api.Test;

/**
 * Our engine and strongSwan 5.9 build a tunnel over real UDP sockets in a namespace (root, ip,
 * charon, swanctl), once with our engine initiating and once with charon initiating. Both sides
 * must report the IKE SA and the child SA up.
 */
class StrongSwanEngineTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static EngineConfig config(StrongSwanPeer peer, int ikePort, int natTPort, int peerIkePort) throws Exception {
        Proposal ike = new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128), Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.dhGroup(DhGroup.CURVE25519)));
        return new EngineConfig(peer.localAddress(), ikePort, natTPort,
                new IkeInitConfig(List.of(ike), true, List.of(HashAlgorithm.SHA2_256)),
                List.of(new PeerConfig(peer.address().getAddress(), peerIkePort, 4500,
                        org.cevpn.ipsec.ike.task.StrongSwanIkeInitTestAccess.pskAuth())),
                10, RetransmitPolicy.STRONGSWAN_DEFAULT, 1280);
    }

    /** Shuttles datagrams between the engine and two sockets until charon reports the child SA. */
    private static List<IkeEvent> run(IkeEngine engine, UdpEndpoint ike, UdpEndpoint natT, List<Outbound> first,
                                      StrongSwanPeer peer) throws Exception {
        List<IkeEvent> events = new ArrayList<>();
        send(first, ike, natT);
        long deadline = System.currentTimeMillis() + 8000;
        while (System.currentTimeMillis() < deadline) {
            for (UdpEndpoint socket : List.of(ike, natT)) {
                var got = socket.receive(20);
                if (got.isPresent()) {
                    send(engine.receiveUdp(got.get().data(), got.get().from(), socket.local().getPort()), ike, natT);
                }
            }
            send(engine.tick(), ike, natT);
            events.addAll(engine.drainEvents());
            if (events.stream().anyMatch(e -> e instanceof IkeEvent.ChildSaUp)
                    && peer.log().contains("CHILD_SA net{1} established")) {
                return events;
            }
        }
        throw new AssertionError("no tunnel; events " + events + "\n" + peer.log());
    }

    private static void send(List<Outbound> out, UdpEndpoint ike, UdpEndpoint natT) throws Exception {
        for (Outbound o : out) {
            (o.viaNatT() ? natT : ike).send(o.udpPayload(), o.to());
        }
    }

    @Test
    void ourEngineInitiatesToStrongSwan() throws Exception {
        try (StrongSwanPeer peer = StrongSwanPeer.start(10, "", "aes128gcm16-prfsha256-x25519");
             UdpEndpoint ike = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0));
             UdpEndpoint natT = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            IkeEngine engine = new IkeEngine(config(peer, ike.local().getPort(), natT.local().getPort(), 500), RANDOM, Clock.systemUTC());
            List<IkeEvent> events = run(engine, ike, natT, engine.initiate(peer.address().getAddress()), peer);
            assertEquals(1, events.stream().filter(e -> e instanceof IkeEvent.IkeSaUp).count(), events::toString);
            assertEquals(0, engine.drops(Drop.INTERNAL_ERROR));
        }
    }

    /** Shuttles datagrams until {@code done} holds for the events so far. */
    private static List<IkeEvent> pump(IkeEngine engine, UdpEndpoint ike, UdpEndpoint natT, List<Outbound> first,
                                       java.util.function.Predicate<List<IkeEvent>> done, StrongSwanPeer peer) throws Exception {
        List<IkeEvent> events = new ArrayList<>();
        send(first, ike, natT);
        long deadline = System.currentTimeMillis() + 8000;
        while (System.currentTimeMillis() < deadline) {
            for (UdpEndpoint socket : List.of(ike, natT)) {
                var got = socket.receive(20);
                if (got.isPresent()) {
                    send(engine.receiveUdp(got.get().data(), got.get().from(), socket.local().getPort()), ike, natT);
                }
            }
            send(engine.tick(), ike, natT);
            events.addAll(engine.drainEvents());
            if (done.test(events)) {
                return events;
            }
        }
        throw new AssertionError("timed out; events " + events + "\n" + peer.log());
    }

    private static <E extends IkeEvent> List<E> of(List<IkeEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void ourEngineRekeysChecksAndDeletesWithStrongSwan() throws Exception {
        StrongSwanPeer.Config cfg = new StrongSwanPeer.Config("", "aes128gcm16-prfsha256-x25519", "",
                "auth = psk\n id = ce2.example.net", "auth = psk", Map.of(), "aes128gcm16-ecp256");
        try (StrongSwanPeer peer = StrongSwanPeer.start(12, cfg);
             UdpEndpoint ike = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0));
             UdpEndpoint natT = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            var charon = peer.address().getAddress();
            IkeEngine engine = new IkeEngine(config(peer, ike.local().getPort(), natT.local().getPort(), 500), RANDOM, Clock.systemUTC());
            List<IkeEvent> up = run(engine, ike, natT, engine.initiate(charon), peer);
            var first = of(up, IkeEvent.ChildSaUp.class).getFirst().child();

            List<IkeEvent> rekeyed = pump(engine, ike, natT, engine.rekeyChildSa(charon, first, java.util.Optional.of(DhGroup.ECP_256)),
                    ev -> !of(ev, IkeEvent.ChildSaDown.class).isEmpty(), peer);
            var second = of(rekeyed, IkeEvent.ChildSaUp.class).getFirst().child();
            assertEquals(first, of(rekeyed, IkeEvent.ChildSaDown.class).getFirst().child());
            Map<String, byte[]> logged = peer.loggedSecrets();
            assertTrue(java.util.Arrays.equals(logged.get("encryption initiator key"), second.keys().encryptionInitiator()),
                    "charon's rekeyed child key");

            List<IkeEvent> ikeRekeyed = pump(engine, ike, natT, engine.rekeyIkeSa(charon),
                    ev -> !of(ev, IkeEvent.IkeSaDown.class).isEmpty(), peer);
            assertEquals(1, of(ikeRekeyed, IkeEvent.IkeSaUp.class).size(), ikeRekeyed::toString);
            assertTrue(of(ikeRekeyed, IkeEvent.IkeSaDown.class).getFirst().children().isEmpty());
            var newUp = of(ikeRekeyed, IkeEvent.IkeSaUp.class).getFirst();
            assertTrue(newUp.weInitiated());

            pump(engine, ike, natT, engine.checkLiveness(charon), ev -> !of(ev, IkeEvent.PeerAlive.class).isEmpty(), peer);
            List<IkeEvent> gone = pump(engine, ike, natT, engine.deleteIkeSa(charon),
                    ev -> !of(ev, IkeEvent.IkeSaDown.class).isEmpty(), peer);
            assertEquals(List.of(second), of(gone, IkeEvent.IkeSaDown.class).getFirst().children());
            String log = peer.log();
            assertTrue(log.contains("CHILD_SA net{2} established"), log);
            assertTrue(log.contains("received DELETE for IKE_SA peer[2]"), log);
            assertEquals(0, engine.drops(Drop.INTERNAL_ERROR));
            assertEquals(0, engine.ikeSaCount());
        }
    }

    @Test
    void strongSwanInitiatesToOurEngine() throws Exception {
        int port = 45_000 + RANDOM.nextInt(10_000);
        try (StrongSwanPeer peer = StrongSwanPeer.start(11, StrongSwanPeer.Config.psk("", "aes128gcm16-prfsha256-x25519",
                "remote_port = " + port));
             UdpEndpoint ike = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), port));
             // charon floats to port 4500 of ours after its (faked) NAT detection.
             UdpEndpoint natT = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 4500))) {
            IkeEngine engine = new IkeEngine(config(peer, port, 4500, 500), RANDOM, Clock.systemUTC());
            Process initiate = peer.initiate();
            try {
                List<IkeEvent> events = run(engine, ike, natT, List.of(), peer);
                assertTrue(events.stream().anyMatch(e -> e instanceof IkeEvent.IkeSaUp u && !u.weInitiated()), events::toString);
                assertEquals(0, engine.drops(Drop.INTERNAL_ERROR));
                assertTrue(peer.log().contains("IKE_SA peer[1] established"));
            } finally {
                initiate.destroy();
                initiate.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Protocol 4 between one host and itself: one end of an RFC 3884 IP-in-IP tunnel. */
    private static org.cevpn.ipsec.ike.message.TrafficSelector ipip(java.net.InetAddress host) {
        var any = org.cevpn.ipsec.ike.message.TrafficSelector.range(host, host);
        return new org.cevpn.ipsec.ike.message.TrafficSelector(any.type(), 4, 0, 65535, any.startAddress(), any.endAddress());
    }

    @Test
    void transportModeIpInIpWithStrongSwan() throws Exception {
        // charon as RFC 3884 wants it: transport mode, IP-in-IP (ipencap) between the two addresses. kernel-libipsec
        // installs tunnel-mode SAs only, so charon uses the namespace's kernel SAD (the last "load" wins).
        StrongSwanPeer.Config cfg = new StrongSwanPeer.Config("load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509"
                + " pubkey kdf pkcs8 kernel-netlink socket-default vici", "aes128gcm16-prfsha256-x25519", "",
                "auth = psk\n id = ce2.example.net", "auth = psk", Map.of(), "aes128gcm16",
                "mode = transport\n local_ts = dynamic[ipencap]\n remote_ts = dynamic[ipencap]");
        try (StrongSwanPeer peer = StrongSwanPeer.start(13, cfg);
             UdpEndpoint ike = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0));
             UdpEndpoint natT = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            var charon = peer.address().getAddress();
            var psk = org.cevpn.ipsec.ike.task.StrongSwanIkeInitTestAccess.pskAuth();
            var child = new org.cevpn.ipsec.ike.task.ChildSaConfig(psk.child().proposals(), List.of(ipip(peer.localAddress())),
                    List.of(ipip(charon)), true);
            EngineConfig base = config(peer, ike.local().getPort(), natT.local().getPort(), 500);
            EngineConfig transport = new EngineConfig(base.localAddress(), base.ikePort(), base.natTPort(), base.ike(),
                    List.of(new PeerConfig(charon, 500, 4500, new org.cevpn.ipsec.ike.task.IkeAuthConfig(psk.local(), psk.own(),
                            psk.remote(), psk.peer(), true, child))), base.cookieThreshold(), base.retransmit(), base.maxDatagram());
            IkeEngine engine = new IkeEngine(transport, RANDOM, Clock.systemUTC());
            List<IkeEvent> up;
            try {
                up = run(engine, ike, natT, engine.initiate(charon), peer);
            } catch (AssertionError noTunnel) {
                // charon took our protocol-4 selectors and its transport-mode child; only its kernel can refuse now.
                String log = peer.log();
                assertTrue(log.contains("config: " + charon.getHostAddress() + "/32[ipencap], received: " + charon.getHostAddress()
                        + "/32[ipencap] => match"), log);
                if (log.contains("netlink error: Function not implemented")) {
                    // Not a missing tool CI could install: this kernel has no XFRM, so charon cannot install any
                    // transport-mode SA (kernel-libipsec has tunnel mode only). The negotiation half is proven above;
                    // skipped even under CI=true, since no package fixes the kernel.
                    org.junit.jupiter.api.Assumptions.abort("this kernel has no XFRM: charon matched our ipencap selectors"
                            + " but cannot install its transport-mode SAs");
                }
                throw noTunnel;
            }
            var mine = of(up, IkeEvent.ChildSaUp.class).getFirst().child();
            assertTrue(mine.transportMode(), "charon answered USE_TRANSPORT_MODE");
            assertEquals(List.of(ipip(peer.localAddress())), mine.local());
            assertEquals(List.of(ipip(charon)), mine.remote());
            String log = peer.log();
            assertTrue(log.contains(charon.getHostAddress() + "/32[ipencap] === " + peer.localAddress().getHostAddress() + "/32[ipencap]"),
                    log);
        }
    }
}

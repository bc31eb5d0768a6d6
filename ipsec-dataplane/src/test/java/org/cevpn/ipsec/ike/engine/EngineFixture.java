package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.ChildSaConfig;
import org.cevpn.ipsec.ike.task.Credentials;
import org.cevpn.ipsec.ike.task.IkeAuthConfig;
import org.cevpn.ipsec.ike.task.Identity;
import org.cevpn.ipsec.ike.task.IkeInitConfig;

/**
 * Two CEs' engines joined by an in-memory SP network that can lose and duplicate datagrams, on a
 * clock the test moves. Datagrams are the engines' real output, delivered as UDP payloads.
 */
final class EngineFixture {
    static final SecureRandom RANDOM = new SecureRandom();
    static final byte[] PSK = "ce1-ce2 tunnel key".getBytes(StandardCharsets.US_ASCII);

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-22T03:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    record InFlight(Outbound datagram, InetAddress from) {
    }

    final TestClock clock = new TestClock();
    final InetAddress a;
    final InetAddress b;
    final IkeEngine engineA;
    final IkeEngine engineB;
    final Deque<InFlight> network = new ArrayDeque<>();
    final List<byte[]> seen = new ArrayList<>();
    double loss;
    double duplication;
    final SplittableRandom rnd;

    EngineFixture() throws Exception {
        this(42);
    }

    EngineFixture(long seed) throws Exception {
        this(seed, PSK, 50);
    }

    /** @param bOwnPsk the key B proves itself with (A expects {@link #PSK}); @param bCookieThreshold B's */
    EngineFixture(long seed, byte[] bOwnPsk, int bCookieThreshold) throws Exception {
        rnd = new SplittableRandom(seed);
        a = InetAddress.getByName("192.0.2.1");
        b = InetAddress.getByName("192.0.2.2");
        engineA = new IkeEngine(config(a, b, "ce1", "ce2", "10.1.0.0", "10.2.0.0"), RANDOM, clock);
        engineB = new IkeEngine(config(b, a, "ce2", "ce1", "10.2.0.0", "10.1.0.0", bOwnPsk, bCookieThreshold), RANDOM, clock);
    }

    static EngineConfig config(InetAddress me, InetAddress peer, String myName, String peerName, String myNet, String peerNet)
            throws Exception {
        return config(me, peer, myName, peerName, myNet, peerNet, PSK, 50);
    }

    static EngineConfig config(InetAddress me, InetAddress peer, String myName, String peerName, String myNet, String peerNet,
                               byte[] ownPsk, int cookieThreshold) throws Exception {
        Proposal ike = new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.dhGroup(DhGroup.CURVE25519)));
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        // Rekeys with PFS (Curve25519) or without are both acceptable.
        Proposal espPfs = new Proposal(2, ProtocolId.ESP.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.sequenceNumbers(SequenceNumbers.NO_ESN),
                Transform.dhGroup(DhGroup.CURVE25519)));
        ChildSaConfig child = new ChildSaConfig(List.of(esp, espPfs), List.of(net(myNet)), List.of(net(peerNet)));
        IkeAuthConfig auth = new IkeAuthConfig(Identity.fqdn(myName + ".vpn7.example.net"), new Credentials.OwnSharedKey(ownPsk),
                Identity.fqdn(peerName + ".vpn7.example.net"), new Credentials.PeerSharedKey(PSK), true, child);
        return new EngineConfig(me, 500, 4500, new IkeInitConfig(List.of(ike), true, List.of(HashAlgorithm.SHA2_256)),
                List.of(new PeerConfig(peer, auth)), cookieThreshold, RetransmitPolicy.STRONGSWAN_DEFAULT, 1280);
    }

    static TrafficSelector net(String base) throws Exception {
        byte[] start = InetAddress.getByName(base).getAddress();
        byte[] end = start.clone();
        end[2] = (byte) 0xff;
        end[3] = (byte) 0xff;
        return TrafficSelector.range(InetAddress.getByAddress(start), InetAddress.getByAddress(end));
    }

    void send(InetAddress from, List<Outbound> out) {
        for (Outbound o : out) {
            if (rnd.nextDouble() < loss) {
                continue;
            }
            network.add(new InFlight(o, from));
            if (rnd.nextDouble() < duplication) {
                network.add(new InFlight(o, from));
            }
        }
    }

    /** Delivers until the network is empty; the sender's port is the one it sent to (500 or 4500). */
    void deliverAll() {
        int guard = 0;
        while (!network.isEmpty() && guard++ < 10_000) {
            InFlight f = network.poll();
            seen.add(f.datagram().message());
            IkeEngine to = f.datagram().to().getAddress().equals(a) ? engineA : engineB;
            InetAddress toAddress = f.datagram().to().getAddress();
            int port = f.datagram().to().getPort();
            List<Outbound> replies = to.receive(f.datagram().message(), new InetSocketAddress(f.from(), port), f.datagram().viaNatT());
            send(toAddress, replies);
        }
    }

    /** Moves the clock by {@code step} up to {@code total}, ticking both engines and delivering. */
    void run(Duration step, Duration total) {
        deliverAll();
        for (Duration t = Duration.ZERO; t.compareTo(total) < 0; t = t.plus(step)) {
            clock.advance(step);
            send(a, engineA.tick());
            send(b, engineB.tick());
            deliverAll();
        }
    }

    static Map<String, Long> dropCounts(IkeEngine e) {
        Map<String, Long> m = new java.util.TreeMap<>();
        for (Drop d : Drop.values()) {
            if (e.drops(d) > 0) {
                m.put(d.name(), e.drops(d));
            }
        }
        return m;
    }
}

package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.task.ChildSaResult;
import org.junit.jupiter.api.Test;

/** Engine behaviour the agent relies on: simultaneous initiation, unknown peers, auth failures, SPI uniqueness. */
class IkeEnginePolicyTest {

    private static <E extends IkeEvent> List<E> of(List<IkeEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void simultaneousInitiationEndsWithOneIkeSaAndOneChildPairOnBothSides() throws Exception {
        int aKept = 0;
        for (long seed = 1; seed <= 12; seed++) {
            EngineFixture f = new EngineFixture(seed);
            f.send(f.a, f.engineA.initiate(f.b));
            f.send(f.b, f.engineB.initiate(f.a));
            f.run(Duration.ofSeconds(1), Duration.ofSeconds(10));
            assertEquals(1, f.engineA.ikeSaCount(), "seed " + seed + " " + EngineFixture.dropCounts(f.engineA));
            assertEquals(1, f.engineB.ikeSaCount(), "seed " + seed);
            List<ChildSaResult> ca = f.engineA.childSas(f.b);
            List<ChildSaResult> cb = f.engineB.childSas(f.a);
            assertEquals(1, ca.size());
            assertEquals(1, cb.size());
            assertEquals(ca.getFirst().outboundSpi(), cb.getFirst().inboundSpi(), "the same pair on both sides");
            assertEquals(ca.getFirst().inboundSpi(), cb.getFirst().outboundSpi());
            List<IkeEvent> ea = f.engineA.drainEvents();
            List<IkeEvent> eb = f.engineB.drainEvents();
            assertEquals(2, of(ea, IkeEvent.IkeSaUp.class).size());
            assertEquals(1, of(ea, IkeEvent.IkeSaDown.class).size());
            assertEquals(1, of(eb, IkeEvent.IkeSaDown.class).size());
            assertEquals(of(ea, IkeEvent.IkeSaDown.class).getFirst().initiatorSpi(),
                    of(eb, IkeEvent.IkeSaDown.class).getFirst().initiatorSpi(), "both dropped the same IKE SA");
            if (of(ea, IkeEvent.IkeSaDown.class).getFirst().children().size() == 1 && f.engineA.idleWith(f.b)) {
                // The survivor still works both ways.
                f.send(f.a, f.engineA.checkLiveness(f.b));
                f.send(f.b, f.engineB.checkLiveness(f.a));
                f.run(Duration.ofSeconds(1), Duration.ofSeconds(3));
                assertEquals(1, of(f.engineA.drainEvents(), IkeEvent.PeerAlive.class).size());
                assertEquals(1, of(f.engineB.drainEvents(), IkeEvent.PeerAlive.class).size());
            }
            boolean aInitiatedSurvivor = of(ea, IkeEvent.IkeSaDown.class).getFirst().initiatorSpi()
                    != of(ea, IkeEvent.IkeSaUp.class).stream().filter(IkeEvent.IkeSaUp::weInitiated).findFirst().orElseThrow().initiatorSpi();
            aKept += aInitiatedSurvivor ? 1 : 0;
        }
        assertTrue(aKept > 0 && aKept < 12, "the nonces decide, not the role: A's own SA survived " + aKept + " of 12 times");
    }

    @Test
    void ikeSaInitFromAnUnknownAddressIsRefusedAndReportedOncePerInterval() throws Exception {
        EngineFixture f = new EngineFixture(3);
        InetAddress stranger = InetAddress.getByName("192.0.2.99");
        IkeEngine strangerEngine = new IkeEngine(EngineFixture.config(stranger, f.a, "ce9", "ce1", "10.9.0.0", "10.1.0.0"),
                EngineFixture.RANDOM, f.clock);
        byte[] init = strangerEngine.initiate(f.a).getFirst().message();
        InetSocketAddress from = new InetSocketAddress(stranger, 500);
        List<Outbound> answer = f.engineA.receive(init, from, false);
        assertEquals(1, answer.size());
        DecodedMessage m = IkeDecoder.decode(answer.getFirst().message());
        assertTrue(m.header().response());
        assertTrue(m.payloads().stream().anyMatch(p -> p instanceof Payload.Notify n && n.is(NotifyType.NO_PROPOSAL_CHOSEN)));
        assertEquals(0, f.engineA.ikeSaCount(), "no state for strangers");
        // The stranger's engine takes the refusal as a failed negotiation.
        strangerEngine.receive(answer.getFirst().message(), new InetSocketAddress(f.a, 500), false);
        assertTrue(of(strangerEngine.drainEvents(), IkeEvent.IkeSaDown.class).getFirst().reason().contains("NO_PROPOSAL_CHOSEN"));
        f.engineA.receive(init, from, false); // its retransmission
        List<IkeEvent.UnknownPeer> reported = of(f.engineA.drainEvents(), IkeEvent.UnknownPeer.class);
        assertEquals(1, reported.size(), "once per interval, however often it knocks");
        assertEquals(from, reported.getFirst().from());
        f.clock.advance(IkeEngine.UNKNOWN_PEER_REPORT_INTERVAL);
        f.engineA.receive(init, from, false);
        assertEquals(1, of(f.engineA.drainEvents(), IkeEvent.UnknownPeer.class).size(), "reported again after the interval");
        assertEquals(3, f.engineA.drops(Drop.UNKNOWN_PEER));
    }

    @Test
    void aWrongKeyIsReportedAsAuthenticationFailureOnBothSides() throws Exception {
        EngineFixture f = new EngineFixture(4, "not the key".getBytes(StandardCharsets.US_ASCII), 50);
        f.send(f.a, f.engineA.initiate(f.b));
        f.run(Duration.ofSeconds(1), Duration.ofSeconds(5));
        List<IkeEvent> ea = f.engineA.drainEvents();
        List<IkeEvent> eb = f.engineB.drainEvents();
        assertEquals(1, of(ea, IkeEvent.AuthenticationFailed.class).size(), ea::toString);
        assertEquals(1, of(eb, IkeEvent.AuthenticationFailed.class).size(), eb::toString);
        assertTrue(of(ea, IkeEvent.IkeSaUp.class).isEmpty());
        assertEquals(0, f.engineA.ikeSaCount());
        assertEquals(0, f.engineB.ikeSaCount());
    }

    @Test
    void childSpisAvoidThoseTheSadHolds() throws Exception {
        EngineFixture f = new EngineFixture(5);
        // Only SPIs below 2^28 are free in A's SAD (7 in 8 random SPIs are taken).
        IkeEngine a = new IkeEngine(EngineFixture.config(f.a, f.b, "ce1", "ce2", "10.1.0.0", "10.2.0.0"), EngineFixture.RANDOM,
                f.clock, spi -> spi >= 0x1000_0000);
        List<Integer> spis = new java.util.ArrayList<>();
        List<Outbound> out = a.initiate(f.b);
        for (int round = 0; round < 8; round++) {
            java.util.Deque<Outbound> toB = new java.util.ArrayDeque<>(out);
            java.util.Deque<Outbound> toA = new java.util.ArrayDeque<>();
            while (!toB.isEmpty() || !toA.isEmpty()) {
                for (Outbound o; (o = toB.poll()) != null; ) {
                    toA.addAll(f.engineB.receive(o.message(), new InetSocketAddress(f.a, o.to().getPort()), o.viaNatT()));
                }
                for (Outbound o; (o = toA.poll()) != null; ) {
                    toB.addAll(a.receive(o.message(), new InetSocketAddress(f.b, o.to().getPort()), o.viaNatT()));
                }
            }
            ChildSaResult current = a.childSas(f.b).getLast();
            spis.add(current.inboundSpi());
            out = a.rekeyChildSa(f.b, current, java.util.Optional.empty());
        }
        assertEquals(8, spis.stream().distinct().count());
        assertTrue(spis.stream().allMatch(s -> s >= 0x100 && s < 0x1000_0000), spis::toString);
    }
}

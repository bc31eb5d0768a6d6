package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.SaEvent;
import org.cevpn.ipsec.ike.task.ChildSaResult;
import org.junit.jupiter.api.Test;

/**
 * The engine's policy between two real engines on the fake network and clock of {@link EngineFixture}:
 * permanent tunnels, lifetime rekeys, backoff and alarm, liveness, traffic-driven set-up and idle teardown.
 */
class TunnelSupervisorTest {

    /** Packet counters the test moves, standing in for the SAD's (the supervisor only reads numbers). */
    static final class Counters implements ChildSaTraffic {
        final Map<Integer, Long> inbound = new HashMap<>();

        @Override
        public long inboundPackets(ChildSaResult child) {
            return inbound.getOrDefault(child.inboundSpi(), 0L);
        }

        @Override
        public long outboundPackets(ChildSaResult child) {
            return 0;
        }

        void packetIn(List<ChildSaResult> children) {
            children.forEach(c -> inbound.merge(c.inboundSpi(), 1L, Long::sum));
        }
    }

    record Timed(Instant at, IkeEvent event) {
    }

    /** Two CEs, each engine with its supervisor (B's may be absent: a plain responder). */
    static final class Ces {
        final EngineFixture f;
        final Counters countersA = new Counters();
        final TunnelSupervisor supA;
        final TunnelSupervisor supB;
        final List<Timed> eventsA = new ArrayList<>();
        final List<Timed> eventsB = new ArrayList<>();

        Ces(long seed, TunnelPolicy a, TunnelPolicy b) throws Exception {
            f = new EngineFixture(seed);
            supA = new TunnelSupervisor(f.engineA, Map.of(f.b, a), countersA, f.clock, new SplittableRandom(seed));
            supB = b == null ? null
                    : new TunnelSupervisor(f.engineB, Map.of(f.a, b), new Counters(), f.clock, new SplittableRandom(seed + 1));
        }

        void pump() {
            for (IkeEvent e : f.engineA.drainEvents()) {
                supA.onEvent(e);
                eventsA.add(new Timed(f.clock.instant(), e));
            }
            supA.drainEvents().forEach(e -> eventsA.add(new Timed(f.clock.instant(), e)));
            for (IkeEvent e : f.engineB.drainEvents()) {
                if (supB != null) {
                    supB.onEvent(e);
                }
                eventsB.add(new Timed(f.clock.instant(), e));
            }
        }

        void step() {
            f.clock.advance(Duration.ofSeconds(1));
            f.send(f.a, f.engineA.tick());
            f.send(f.b, f.engineB.tick());
            f.deliverAll();
            pump();
            f.send(f.a, supA.tick().ike());
            if (supB != null) {
                f.send(f.b, supB.tick().ike());
            }
            f.deliverAll();
            pump();
        }

        void run(Duration d) {
            for (long s = 0; s < d.toSeconds(); s++) {
                step();
            }
        }

        <E extends IkeEvent> List<E> a(Class<E> type) {
            return eventsA.stream().map(Timed::event).filter(type::isInstance).map(type::cast).toList();
        }

        <E extends IkeEvent> List<E> b(Class<E> type) {
            return eventsB.stream().map(Timed::event).filter(type::isInstance).map(type::cast).toList();
        }
    }

    static TunnelPolicy permanent(Duration ike, Duration child, Duration liveness) {
        return new TunnelPolicy(true, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(40),
                ike, child, 0.1, 0.1, liveness, Duration.ZERO, Duration.ZERO);
    }

    @Test
    void permanentTunnelsOnBothSidesComeUpOnceAndAreRekeyedBeforeTheirLifetimes() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            Ces ces = new Ces(seed, permanent(Duration.ofSeconds(150), Duration.ofSeconds(60), Duration.ZERO),
                    permanent(Duration.ofSeconds(150), Duration.ofSeconds(60), Duration.ZERO));
            ces.run(Duration.ofSeconds(5));
            // Both sides initiated in the same second: one IKE SA and one child pair must remain.
            assertEquals(1, ces.f.engineA.ikeSaCount(), "seed " + seed);
            assertEquals(1, ces.f.engineB.ikeSaCount(), "seed " + seed);
            assertEquals(1, ces.f.engineA.childSas(ces.f.b).size());
            assertEquals(ces.f.engineA.childSas(ces.f.b).getFirst().outboundSpi(),
                    ces.f.engineB.childSas(ces.f.a).getFirst().inboundSpi());
            ces.run(Duration.ofSeconds(300));
            assertTrue(ces.a(IkeEvent.ChildSaRekeyed.class).size() + ces.b(IkeEvent.ChildSaRekeyed.class).size() >= 5,
                    "child SAs of 60 s rekeyed every 48-54 s by either side");
            assertTrue(ces.a(IkeEvent.IkeSaRekeyed.class).size() >= 2, "IKE SA of 150 s rekeyed");
            assertEquals(1, ces.f.engineA.ikeSaCount());
            assertEquals(1, ces.f.engineB.ikeSaCount());
            assertEquals(1, ces.f.engineA.childSas(ces.f.b).size(), ces.eventsA::toString);
            assertEquals(1, ces.f.engineB.childSas(ces.f.a).size());
            assertEquals(ces.f.engineA.childSas(ces.f.b).getFirst().outboundSpi(),
                    ces.f.engineB.childSas(ces.f.a).getFirst().inboundSpi());
            assertTrue(ces.a(IkeEvent.Alarm.class).isEmpty());
        }
    }

    @Test
    void failedNegotiationsBackOffFromTheMinimumThroughT1ToTheLimitAndAlarmOnce() throws Exception {
        Ces ces = new Ces(7, permanent(Duration.ofHours(4), Duration.ofHours(1), Duration.ZERO), null);
        ces.f.loss = 1.0; // the peer is unreachable
        ces.run(Duration.ofMinutes(25));
        List<Instant> downs = ces.eventsA.stream().filter(t -> t.event() instanceof IkeEvent.IkeSaDown).map(Timed::at).toList();
        assertTrue(downs.size() >= 6, downs::toString);
        // Each attempt takes the retransmission schedule G to give up; between attempts the backoff waits.
        // (The first attempt started at the first tick, 1 s after the start.)
        long g = Duration.between(Instant.parse("2026-11-22T03:00:01Z"), downs.getFirst()).toSeconds();
        List<Long> waits = new ArrayList<>();
        for (int i = 1; i < 6; i++) {
            waits.add(Duration.between(downs.get(i - 1), downs.get(i)).toSeconds() - g);
        }
        // The supervisor starts an attempt at the first 1 s tick at or after the wait's end.
        List<Long> expected = List.of(5L, 10L, 20L, 40L, 40L);
        for (int i = 0; i < expected.size(); i++) {
            long w = waits.get(i);
            assertTrue(w >= expected.get(i) && w <= expected.get(i) + 1,
                    "waits after each failure " + waits + " (give-up after " + g + " s), expected " + expected);
        }
        List<IkeEvent.Alarm> alarms = ces.a(IkeEvent.Alarm.class);
        assertEquals(1, alarms.size(), "one alarm while failures go on");
        assertEquals(4, alarms.getFirst().failures());
        assertTrue(alarms.getFirst().lastReason().contains("no answer"), alarms.getFirst().lastReason());
        // The network heals: a retry at the limit's pace brings the tunnel up and the backoff starts over.
        ces.f.loss = 0;
        ces.run(Duration.ofSeconds(150));
        assertTrue(ces.f.engineA.establishedWith(ces.f.b));
        assertEquals(0, ces.supA.failures(ces.f.b));
    }

    @Test
    void aSilentPeerIsCheckedAndTheTunnelGoesDownButEspTrafficCountsAsLife() throws Exception {
        Ces ces = new Ces(8, permanent(Duration.ofHours(4), Duration.ofHours(1), Duration.ofSeconds(10)), null);
        ces.run(Duration.ofSeconds(5));
        assertTrue(ces.f.engineA.establishedWith(ces.f.b));
        ces.run(Duration.ofSeconds(25));
        assertTrue(ces.a(IkeEvent.PeerAlive.class).size() >= 1, "an idle tunnel is checked and the peer answers");
        ces.f.loss = 1.0;
        // ESP keeps arriving: no liveness check is needed, so the IKE silence does not matter.
        for (int s = 0; s < 120; s++) {
            ces.countersA.packetIn(ces.f.engineA.childSas(ces.f.b));
            ces.step();
        }
        assertTrue(ces.a(IkeEvent.IkeSaDown.class).isEmpty(), ces.eventsA::toString);
        // Now the peer is gone altogether: checked after 10 s, declared dead when retransmissions give up
        // (strongSwan's schedule: five transmissions over about 165 s).
        ces.run(Duration.ofSeconds(200));
        List<IkeEvent.IkeSaDown> downs = ces.a(IkeEvent.IkeSaDown.class);
        assertTrue(!downs.isEmpty());
        assertTrue(downs.getFirst().reason().contains("no answer"), downs.getFirst().reason());
        assertEquals(1, downs.getFirst().children().size(), "its child SA went with it");
        assertEquals(1, ces.supA.failures(ces.f.b), "a permanent tunnel that dies is retried with the backoff");
    }

    @Test
    void trafficDrivenTunnelStartsOnTrafficWithoutSaAndIsTornDownWhenIdle() throws Exception {
        TunnelPolicy onDemand = new TunnelPolicy(false, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(40),
                Duration.ofHours(4), Duration.ofHours(1), 0.1, 0.1, Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO);
        Ces ces = new Ces(9, onDemand, null);
        ces.run(Duration.ofSeconds(60));
        assertEquals(0, ces.f.engineA.ikeSaCount(), "no traffic, no tunnel");
        ces.supA.onTrafficWithoutSa(InetAddress.getByName("10.9.0.1"));
        ces.run(Duration.ofSeconds(5));
        assertEquals(0, ces.f.engineA.ikeSaCount(), "traffic for no peer's selectors starts nothing");
        ces.supA.onTrafficWithoutSa(InetAddress.getByName("10.2.3.4"));
        ces.run(Duration.ofSeconds(2));
        assertTrue(ces.f.engineA.establishedWith(ces.f.b), "traffic for the peer's sites brings the tunnel up");
        for (int s = 0; s < 90; s++) {
            ces.countersA.packetIn(ces.f.engineA.childSas(ces.f.b));
            ces.step();
        }
        assertTrue(ces.f.engineA.establishedWith(ces.f.b), "kept while traffic flows");
        ces.run(Duration.ofSeconds(32));
        assertEquals(0, ces.f.engineA.ikeSaCount(), "torn down after 30 s without traffic");
        assertEquals(0, ces.f.engineB.ikeSaCount());
        assertEquals("deleted by us", ces.a(IkeEvent.IkeSaDown.class).getLast().reason());
        ces.run(Duration.ofSeconds(60));
        assertEquals(0, ces.f.engineA.ikeSaCount(), "and not set up again without new traffic");
        assertEquals(0, ces.supA.failures(ces.f.b));
    }

    @Test
    void theEspLayersSoftExpiryRekeysThatChild() throws Exception {
        Ces ces = new Ces(10, permanent(Duration.ofHours(4), Duration.ofHours(1), Duration.ZERO), null);
        ces.run(Duration.ofSeconds(3));
        ChildSaResult child = ces.f.engineA.childSas(ces.f.b).getFirst();
        ces.run(Duration.ofSeconds(30));
        assertTrue(ces.a(IkeEvent.ChildSaRekeyed.class).isEmpty(), "an hour's lifetime is far off");
        ces.supA.onSaEvent(new SaEvent.SoftExpired(Direction.OUTBOUND, child.outboundSpi(), SaEvent.Limit.BYTES));
        ces.run(Duration.ofSeconds(2));
        List<IkeEvent.ChildSaRekeyed> rekeyed = ces.a(IkeEvent.ChildSaRekeyed.class);
        assertEquals(1, rekeyed.size());
        assertEquals(child, rekeyed.getFirst().old());
        assertEquals(List.of(rekeyed.getFirst().replacement()), ces.f.engineA.childSas(ces.f.b));
    }

    /**
     * The first child SA rides in IKE_AUTH, which has no KE payload, so its negotiated proposal names no DH group;
     * the configured PFS group (the fixture's second ESP proposal, Curve25519) is meant for exactly its rekeys. A
     * peer that requires PFS on rekeys (strongSwan with {@code esp_proposals = aes256gcm16-ecp256}) refuses one
     * without; so our lifetime rekey carries the configured group, and so does the next rekey of its replacement.
     */
    @Test
    void aChildFromIkeAuthIsRekeyedWithTheConfiguredPfsGroup() throws Exception {
        Ces ces = new Ces(11, permanent(Duration.ofHours(4), Duration.ofSeconds(60), Duration.ZERO), null);
        ces.run(Duration.ofSeconds(3));
        ChildSaResult first = ces.f.engineA.childSas(ces.f.b).getFirst();
        assertTrue(first.chosen().transforms(org.cevpn.ipsec.ike.message.TransformType.KEY_EXCHANGE).isEmpty(),
                "IKE_AUTH negotiates no DH group: " + first.chosen());
        ces.run(Duration.ofSeconds(110));
        List<IkeEvent.ChildSaRekeyed> rekeyed = ces.a(IkeEvent.ChildSaRekeyed.class);
        assertTrue(rekeyed.size() >= 2, "a 60 s child rekeyed twice in 110 s: " + rekeyed.size());
        for (IkeEvent.ChildSaRekeyed r : rekeyed) {
            assertEquals(List.of(org.cevpn.ipsec.ike.message.Transform.dhGroup(org.cevpn.ipsec.ike.message.DhGroup.CURVE25519)),
                    r.replacement().chosen().transforms(org.cevpn.ipsec.ike.message.TransformType.KEY_EXCHANGE),
                    "rekeyed with PFS: " + r.replacement().chosen());
        }
    }
}

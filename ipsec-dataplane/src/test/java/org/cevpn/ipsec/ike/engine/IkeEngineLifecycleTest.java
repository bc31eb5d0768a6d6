package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.task.ChildSaResult;
import org.junit.jupiter.api.Test;

/** Rekeys, deletes and liveness between two engines, on a clean and on a lossy network. */
class IkeEngineLifecycleTest {

    private static <E extends IkeEvent> List<E> of(List<IkeEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static EngineFixture tunnel(long seed, double loss) throws Exception {
        EngineFixture f = new EngineFixture(seed);
        f.loss = loss;
        f.duplication = loss;
        f.send(f.a, f.engineA.initiate(f.b));
        f.run(Duration.ofSeconds(1), Duration.ofSeconds(100));
        assertTrue(f.engineA.idleWith(f.b), "tunnel up");
        return f;
    }

    private static void settle(EngineFixture f) {
        f.run(Duration.ofSeconds(1), Duration.ofSeconds(100));
    }

    @Test
    void childRekeyWithPfsReplacesTheChildOnBothSides() throws Exception {
        EngineFixture f = tunnel(1, 0);
        ChildSaResult first = of(f.engineA.drainEvents(), IkeEvent.ChildSaUp.class).getFirst().child();
        f.engineB.drainEvents();
        f.send(f.a, f.engineA.rekeyChildSa(f.b, first, Optional.of(DhGroup.CURVE25519)));
        settle(f);
        List<IkeEvent> ea = f.engineA.drainEvents();
        List<IkeEvent> eb = f.engineB.drainEvents();
        ChildSaResult mine = of(ea, IkeEvent.ChildSaUp.class).getFirst().child();
        ChildSaResult theirs = of(eb, IkeEvent.ChildSaUp.class).getFirst().child();
        assertEquals(mine.outboundSpi(), theirs.inboundSpi());
        assertArrayEquals(mine.keys().encryptionInitiator(), theirs.keys().encryptionInitiator());
        assertEquals(first, of(ea, IkeEvent.ChildSaDown.class).getFirst().child());
        assertEquals(first.outboundSpi(), of(eb, IkeEvent.ChildSaDown.class).getFirst().child().inboundSpi());
    }

    @Test
    void ikeRekeyMovesTheTunnelToANewIkeSaThatWorksBothWays() throws Exception {
        EngineFixture f = tunnel(2, 0);
        f.engineA.drainEvents();
        f.engineB.drainEvents();
        f.send(f.a, f.engineA.rekeyIkeSa(f.b));
        settle(f);
        List<IkeEvent> ea = f.engineA.drainEvents();
        List<IkeEvent> eb = f.engineB.drainEvents();
        assertEquals(1, of(ea, IkeEvent.IkeSaUp.class).size(), ea::toString);
        assertEquals(1, of(eb, IkeEvent.IkeSaUp.class).size(), eb::toString);
        var downA = of(ea, IkeEvent.IkeSaDown.class).getFirst();
        assertTrue(downA.children().isEmpty(), "the child SA moved to the new IKE SA");
        assertEquals(1, of(eb, IkeEvent.IkeSaDown.class).size());
        assertEquals(1, f.engineA.ikeSaCount());
        assertEquals(1, f.engineB.ikeSaCount());
        // The new IKE SA carries exchanges from either side.
        f.send(f.a, f.engineA.checkLiveness(f.b));
        f.send(f.b, f.engineB.checkLiveness(f.a));
        settle(f);
        assertEquals(1, of(f.engineA.drainEvents(), IkeEvent.PeerAlive.class).size());
        assertEquals(1, of(f.engineB.drainEvents(), IkeEvent.PeerAlive.class).size());
        // And a delete takes the moved child SA down with it.
        f.send(f.b, f.engineB.deleteIkeSa(f.a));
        settle(f);
        assertEquals(1, of(f.engineA.drainEvents(), IkeEvent.IkeSaDown.class).getFirst().children().size());
        assertEquals(0, f.engineA.ikeSaCount());
        assertEquals(0, f.engineB.ikeSaCount());
    }

    @Test
    void theWholeLifeSurvivesALossyDuplicatingNetwork() throws Exception {
        int completed = 0;
        for (long seed = 3; seed < 9; seed++) {
            EngineFixture f = tunnel(seed, 0.25);
            ChildSaResult first = of(f.engineA.drainEvents(), IkeEvent.ChildSaUp.class).getFirst().child();
            f.send(f.a, f.engineA.rekeyChildSa(f.b, first, Optional.empty()));
            settle(f);
            if (!f.engineA.idleWith(f.b)) {
                continue;
            }
            f.send(f.a, f.engineA.rekeyIkeSa(f.b));
            settle(f);
            if (!f.engineA.idleWith(f.b)) {
                continue;
            }
            f.send(f.a, f.engineA.checkLiveness(f.b));
            settle(f);
            List<IkeEvent> ea = f.engineA.drainEvents();
            if (of(ea, IkeEvent.PeerAlive.class).isEmpty()) {
                continue;
            }
            assertEquals(1, f.engineA.ikeSaCount(), ea::toString);
            assertEquals(1, f.engineB.ikeSaCount());
            assertEquals(0, f.engineA.drops(Drop.INTERNAL_ERROR) + f.engineB.drops(Drop.INTERNAL_ERROR));
            completed++;
        }
        System.out.printf("lossy lifecycle: %d of 6 seeds completed rekeys and liveness%n", completed);
        assertTrue(completed >= 4);
    }

    /** Both CEs rekey the same child SA at once (RFC 7296 §2.8.1): one new child SA survives, on both. */
    @Test
    void simultaneousChildRekeysLeaveOneChildSa() throws Exception {
        for (long seed = 20; seed < 30; seed++) {
            EngineFixture f = tunnel(seed, 0);
            ChildSaResult atA = of(f.engineA.drainEvents(), IkeEvent.ChildSaUp.class).getFirst().child();
            ChildSaResult atB = of(f.engineB.drainEvents(), IkeEvent.ChildSaUp.class).getFirst().child();
            f.send(f.a, f.engineA.rekeyChildSa(f.b, atA, Optional.empty()));
            f.send(f.b, f.engineB.rekeyChildSa(f.a, atB, Optional.empty()));
            settle(f);
            List<ChildSaResult> a = f.engineA.childSas(f.b);
            List<ChildSaResult> b = f.engineB.childSas(f.a);
            assertEquals(1, a.size(), "seed " + seed + ": " + a);
            assertEquals(1, b.size(), "seed " + seed + ": " + b);
            assertEquals(a.getFirst().inboundSpi(), b.getFirst().outboundSpi());
            assertEquals(a.getFirst().outboundSpi(), b.getFirst().inboundSpi());
            assertArrayEquals(a.getFirst().keys().encryptionInitiator(), b.getFirst().keys().encryptionInitiator());
            assertTrue(!a.getFirst().equals(atA), "the old child SA is gone");
            assertEquals(0, f.engineA.drops(Drop.INTERNAL_ERROR) + f.engineB.drops(Drop.INTERNAL_ERROR));
        }
    }

    /** Both CEs rekey the IKE SA at once (RFC 7296 §2.8.2): one new IKE SA survives, carrying the child. */
    @Test
    void simultaneousIkeRekeysLeaveOneIkeSaWithTheChild() throws Exception {
        for (long seed = 30; seed < 40; seed++) {
            EngineFixture f = tunnel(seed, 0);
            ChildSaResult child = of(f.engineA.drainEvents(), IkeEvent.ChildSaUp.class).getFirst().child();
            f.engineB.drainEvents();
            f.send(f.a, f.engineA.rekeyIkeSa(f.b));
            f.send(f.b, f.engineB.rekeyIkeSa(f.a));
            settle(f);
            assertEquals(1, f.engineA.ikeSaCount(), "seed " + seed);
            assertEquals(1, f.engineB.ikeSaCount(), "seed " + seed);
            assertEquals(List.of(child), f.engineA.childSas(f.b), "seed " + seed);
            assertEquals(1, f.engineB.childSas(f.a).size());
            // The survivor is the same IKE SA on both sides: each side's liveness check is answered.
            f.engineA.drainEvents();
            f.engineB.drainEvents();
            f.send(f.a, f.engineA.checkLiveness(f.b));
            f.send(f.b, f.engineB.checkLiveness(f.a));
            settle(f);
            assertEquals(1, of(f.engineA.drainEvents(), IkeEvent.PeerAlive.class).size(), "seed " + seed);
            assertEquals(1, of(f.engineB.drainEvents(), IkeEvent.PeerAlive.class).size(), "seed " + seed);
            assertEquals(0, f.engineA.drops(Drop.INTERNAL_ERROR) + f.engineB.drops(Drop.INTERNAL_ERROR));
        }
    }

    @Test
    void aPeerThatStopsAnsweringIsDetectedByTheLivenessCheck() throws Exception {
        EngineFixture f = tunnel(9, 0);
        f.engineA.drainEvents();
        f.loss = 1.0;
        f.send(f.a, f.engineA.checkLiveness(f.b));
        f.run(Duration.ofSeconds(1), Duration.ofSeconds(170));
        var down = of(f.engineA.drainEvents(), IkeEvent.IkeSaDown.class);
        assertEquals(1, down.size());
        assertEquals(1, down.getFirst().children().size(), "the child SA goes with it");
    }
}

package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Peers added and removed while the engine and its supervisor run (the device agent applying configurations). */
class RuntimePeersTest {
    static TunnelPolicy permanent() {
        return new TunnelPolicy(true, Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(16),
                Duration.ofHours(4), Duration.ofHours(1), 0.1, 0.1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    final EngineFixture f;
    final TunnelSupervisor supA;
    final TunnelSupervisor supB;
    final List<IkeEvent> eventsA = new ArrayList<>();
    final List<IkeEvent> eventsB = new ArrayList<>();
    final PeerConfig bAsPeerOfA;

    RuntimePeersTest() throws Exception {
        f = new EngineFixture(3);
        bAsPeerOfA = EngineFixture.config(f.a, f.b, "ce1", "ce2", "10.1.0.0", "10.2.0.0").peers().getFirst();
        // A starts without peers: the configuration adds B later.
        f.engineA.removePeer(f.b);
        supA = new TunnelSupervisor(f.engineA, Map.of(), new TunnelSupervisorTest.Counters(), f.clock, new SplittableRandom(1));
        supB = new TunnelSupervisor(f.engineB, Map.of(f.a, permanent()), new TunnelSupervisorTest.Counters(), f.clock,
                new SplittableRandom(2));
    }

    void run(int seconds) {
        for (int s = 0; s < seconds; s++) {
            f.clock.advance(Duration.ofSeconds(1));
            f.send(f.a, f.engineA.tick());
            f.send(f.b, f.engineB.tick());
            f.deliverAll();
            pump();
            f.send(f.a, supA.tick().ike());
            f.send(f.b, supB.tick().ike());
            f.deliverAll();
            pump();
        }
    }

    void pump() {
        for (IkeEvent e : f.engineA.drainEvents()) {
            supA.onEvent(e);
            eventsA.add(e);
        }
        eventsA.addAll(supA.drainEvents());
        for (IkeEvent e : f.engineB.drainEvents()) {
            supB.onEvent(e);
            eventsB.add(e);
        }
        eventsB.addAll(supB.drainEvents());
    }

    @Test
    void aPeerAddedAtRunTimeIsAcceptedAndInitiatedAndARemovedOneIsDeletedAndNotRetried() {
        run(3);
        assertEquals(0, f.engineA.ikeSaCount(), "A refuses B while B is not its peer");
        assertTrue(eventsA.stream().anyMatch(e -> e instanceof IkeEvent.UnknownPeer));

        f.engineA.putPeer(bAsPeerOfA);
        supA.putPeer(f.b, permanent());
        assertEquals(java.util.Set.of(f.b), supA.peers());
        run(10);
        assertTrue(f.engineA.establishedWith(f.b));
        assertEquals(1, f.engineA.ikeSaCount());
        assertEquals(1, f.engineA.childSas(f.b).size());

        // Removal on both sides, as the VPN server does it: A deletes, B forgets A.
        supA.removePeer(f.b);
        f.send(f.a, f.engineA.deleteIkeSa(f.b));
        f.engineA.removePeer(f.b);
        supB.removePeer(f.a);
        f.engineB.removePeer(f.a);
        int aDownsBefore = (int) eventsA.stream().filter(e -> e instanceof IkeEvent.IkeSaDown).count();
        run(60);
        assertEquals(0, f.engineA.ikeSaCount());
        assertEquals(0, f.engineB.ikeSaCount());
        assertEquals(aDownsBefore + 1, eventsA.stream().filter(e -> e instanceof IkeEvent.IkeSaDown).count());
        assertTrue(eventsB.stream().anyMatch(e -> e instanceof IkeEvent.IkeSaDown d && d.reason().contains("peer")),
                eventsB::toString);
        assertEquals(0, supA.failures(f.b));
        assertFalse(eventsA.stream().anyMatch(e -> e instanceof IkeEvent.Alarm));
        // Nothing more was initiated after the delete: the engines stayed without SAs for the whole minute.
        assertFalse(f.engineA.hasIkeSaWith(f.b));
    }
}

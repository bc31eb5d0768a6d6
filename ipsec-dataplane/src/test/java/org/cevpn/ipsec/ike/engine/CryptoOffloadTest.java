package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * IKE_SA_INIT's Diffie-Hellman on crypto workers: many handshakes in flight at once come up on both
 * sides, results are applied on the driving thread only through completions(), and a
 * retransmission that arrives while its answer is being computed is dropped, not computed twice.
 */
class CryptoOffloadTest {

    /** Two engines with worker offloads; the test thread drives both, as an IKE thread would. */
    static final class Pair implements AutoCloseable {
        final InetAddress a = InetAddress.ofLiteral("192.0.2.1");
        final InetAddress b = InetAddress.ofLiteral("192.0.2.2");
        final Semaphore ready = new Semaphore(0);
        final CryptoOffload offA = CryptoOffload.workers(3, ready::release);
        final CryptoOffload offB = CryptoOffload.workers(3, ready::release);
        final IkeEngine engineA;
        final IkeEngine engineB;
        final Deque<EngineFixture.InFlight> network = new ArrayDeque<>();
        final List<IkeEvent> eventsA = new ArrayList<>();
        final List<IkeEvent> eventsB = new ArrayList<>();

        Pair() throws Exception {
            engineA = new IkeEngine(EngineFixture.config(a, b, "ce1", "ce2", "10.1.0.0", "10.2.0.0"), EngineFixture.RANDOM,
                    java.time.Clock.systemUTC(), spi -> false, offA);
            engineB = new IkeEngine(EngineFixture.config(b, a, "ce2", "ce1", "10.2.0.0", "10.1.0.0"), EngineFixture.RANDOM,
                    java.time.Clock.systemUTC(), spi -> false, offB);
        }

        void send(InetAddress from, List<Outbound> out) {
            out.forEach(o -> network.add(new EngineFixture.InFlight(o, from)));
        }

        List<Outbound> deliver(EngineFixture.InFlight f) {
            IkeEngine to = f.datagram().to().getAddress().equals(a) ? engineA : engineB;
            return to.receive(f.datagram().message(), new InetSocketAddress(f.from(), f.datagram().to().getPort()), f.datagram().viaNatT());
        }

        /** Delivers and completes until {@code done} holds or nothing moves for 5 s. */
        void run(java.util.function.BooleanSupplier done) throws InterruptedException {
            while (!done.getAsBoolean()) {
                for (EngineFixture.InFlight f; (f = network.poll()) != null; ) {
                    send(f.datagram().to().getAddress(), deliver(f));
                }
                send(a, engineA.completions());
                send(b, engineB.completions());
                eventsA.addAll(engineA.drainEvents());
                eventsB.addAll(engineB.drainEvents());
                if (network.isEmpty() && !done.getAsBoolean() && !ready.tryAcquire(5, TimeUnit.SECONDS)) {
                    throw new AssertionError("nothing moved for 5 s: " + eventsA + " / " + eventsB);
                }
                ready.drainPermits();
            }
        }

        long up(List<IkeEvent> events) {
            return events.stream().filter(e -> e instanceof IkeEvent.IkeSaUp).count();
        }

        @Override
        public void close() {
            offA.close();
            offB.close();
        }
    }

    @Test
    void manyHandshakesInFlightComeUpOnBothSides() throws Exception {
        try (Pair p = new Pair()) {
            for (int i = 0; i < 24; i++) {
                assertEquals(List.of(), p.engineA.initiate(p.b), "the key share is made on a worker: nothing to send yet");
            }
            p.run(() -> p.up(p.eventsA) == 24 && p.up(p.eventsB) == 24);
            assertEquals(24, p.eventsA.stream().filter(e -> e instanceof IkeEvent.ChildSaUp).count());
            assertTrue(p.eventsA.stream().noneMatch(e -> e instanceof IkeEvent.IkeSaDown), p.eventsA.toString());
            assertEquals(0, p.engineA.drops(Drop.INTERNAL_ERROR) + p.engineB.drops(Drop.INTERNAL_ERROR));
        }
    }

    @Test
    void aRetransmittedInitRequestWhileItsAnswerIsComputedIsDroppedNotComputedTwice() throws Exception {
        try (Pair p = new Pair()) {
            p.engineA.initiate(p.b);
            p.run(() -> !p.network.isEmpty());
            EngineFixture.InFlight request = p.network.poll();
            assertEquals(List.of(), p.deliver(request), "B computes on a worker");
            assertEquals(List.of(), p.deliver(request), "the duplicate");
            assertEquals(1, p.engineB.drops(Drop.IN_PROGRESS));
            p.run(() -> p.up(p.eventsA) == 1 && p.up(p.eventsB) == 1);
            assertEquals(1, p.engineB.ikeSaCount());
        }
    }
}

package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever arrives, {@link IkeEngine#receive} returns (answer or counted drop) and its
 * INTERNAL_ERROR counter, which a bug would raise, stays at zero. Inputs: every datagram of a
 * real exchange between two engines, mutated and replayed at both engines mid-life (so they reach
 * SAs in every state), plus random octets.
 */
class IkeEngineFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("ike.fuzz.task.iterations", 4_000);

    @Test
    void mutatedAndRandomDatagramsNeverBreakTheEngine() throws Exception {
        EngineFixture f = new EngineFixture();
        f.send(f.a, f.engineA.initiate(f.b));
        f.deliverAll();
        List<byte[]> seeds = new ArrayList<>(f.seen);
        assertTrue(seeds.size() >= 4);
        SplittableRandom rnd = new SplittableRandom(7296);
        InetSocketAddress fromA500 = new InetSocketAddress(f.a, 500);
        InetSocketAddress fromA4500 = new InetSocketAddress(f.a, 4500);
        InetSocketAddress fromB500 = new InetSocketAddress(f.b, 500);
        int answered = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input;
            if (rnd.nextInt(10) == 0) {
                input = new byte[rnd.nextInt(400)];
                rnd.nextBytes(input);
            } else {
                input = seeds.get(rnd.nextInt(seeds.size())).clone();
                int flips = rnd.nextInt(4);
                for (int k = 0; k < flips && input.length > 0; k++) {
                    input[rnd.nextInt(input.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                if (rnd.nextInt(8) == 0 && input.length > 1) {
                    input = java.util.Arrays.copyOf(input, rnd.nextInt(input.length));
                }
            }
            boolean marker = input.length >= 4 && input[0] == 0 && input[1] == 0 && input[2] == 0 && input[3] == 0;
            IkeEngine target = rnd.nextBoolean() ? f.engineA : f.engineB;
            InetSocketAddress from = target == f.engineA ? fromB500 : (marker ? fromA4500 : fromA500);
            answered += target.receiveUdp(input, from, marker ? 4500 : 500).size();
            if (i % 500 == 0) {
                f.clock.advance(java.time.Duration.ofSeconds(5));
                f.engineA.tick();
                f.engineB.tick();
            }
        }
        System.out.printf("engine fuzz: %d inputs, %d answers; drops A %s, B %s%n", ITERATIONS, answered,
                EngineFixture.dropCounts(f.engineA), EngineFixture.dropCounts(f.engineB));
        assertEquals(0, f.engineA.drops(Drop.INTERNAL_ERROR));
        assertEquals(0, f.engineB.drops(Drop.INTERNAL_ERROR));
    }
}

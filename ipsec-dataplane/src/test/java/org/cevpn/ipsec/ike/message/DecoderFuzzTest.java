package org.cevpn.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.cevpn.ipsec.ike.testsupport.Captures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property: for any octets, the decoder either returns a message that re-encodes to the same
 * octets, or throws {@link IkeDecodeException}; nothing else escapes, and no decode allocates more
 * than a linear bound of its input. Seeds are real strongSwan datagrams and our own round-trip
 * messages; mutations are bit flips, truncations, extensions, random octets and length fields
 * (every 16-bit word in the first 512 octets) set to 0, 3, 4, 0xffff and neighbouring values.
 *
 * <p>Iterations per mutator: {@code -Dike.fuzz.iterations=N} (default 20000); the seed is fixed
 * per run and printed with any failing input.
 */
class DecoderFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("ike.fuzz.iterations", 20_000);
    private static final long SEED = Long.getLong("ike.fuzz.seed", 0x1CE_2026L);
    /** Decoded objects cost at most this many octets of heap per octet of input, plus a constant. */
    private static final int ALLOCATION_FACTOR = 64;
    private static final int ALLOCATION_CONSTANT = 64 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final List<byte[]> SEEDS = new ArrayList<>();

    private long decodedOk;
    private long rejected;

    @BeforeAll
    static void seeds() throws Exception {
        for (String scenario : List.of("modp2048-psk", "ecp256-gcm", "x25519-multi", "invalid-ke", "cookie")) {
            Captures.load(scenario).forEach(d -> SEEDS.add(d.ike()));
        }
        IkeHeader h = new IkeHeader(7, 9, ExchangeType.CREATE_CHILD_SA, true, false, 3);
        PayloadRoundTripTest.everyPayload().forEach(p -> SEEDS.add(IkeEncoder.encode(new IkeMessage(h, List.of(p)))));
        SEEDS.add(IkeEncoder.encode(new IkeMessage(h, List.of(
                new Payload.EncryptedFragment(PayloadType.NOTIFY.value(), 1, 2, Octets.fromHex("00112233"))))));
    }

    @Test
    void bitFlips() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] m = seed(rnd);
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            check(m);
        }
        report("bit flips");
    }

    @Test
    void truncationsAndExtensions() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] m = seed(rnd);
            int cut = rnd.nextInt(m.length + 1);
            byte[] truncated = Arrays.copyOf(m, cut);
            // Keep the header's length field consistent half of the time, so the payload parser is reached.
            if (rnd.nextBoolean() && cut >= 28) {
                writeU32(truncated, 24, cut);
            }
            check(truncated);
            byte[] extended = Arrays.copyOf(m, m.length + 1 + rnd.nextInt(64));
            for (int k = m.length; k < extended.length; k++) {
                extended[k] = (byte) rnd.nextInt(256);
            }
            writeU32(extended, 24, extended.length);
            check(extended);
        }
        report("truncations/extensions");
    }

    @Test
    void lengthFieldsSetToExtremes() {
        int[] values = {0, 1, 3, 4, 5, 7, 8, 0x7fff, 0x8000, 0xfffe, 0xffff};
        for (byte[] seed : SEEDS) {
            int words = Math.min(seed.length, 512) - 1;
            for (int at = 0; at < words; at++) {
                for (int v : values) {
                    byte[] m = seed.clone();
                    m[at] = (byte) (v >>> 8);
                    m[at + 1] = (byte) v;
                    check(m);
                    int original = (seed[at] & 0xff) << 8 | seed[at + 1] & 0xff;
                    for (int delta : new int[] {-1, 1}) {
                        int w = original + delta & 0xffff;
                        m[at] = (byte) (w >>> 8);
                        m[at + 1] = (byte) w;
                        check(m);
                    }
                }
            }
        }
        report("length fields");
    }

    @Test
    void randomOctetsBehindAPlausibleHeader() {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        int[] types = {0, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 53, 99, 200};
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] m = new byte[28 + rnd.nextInt(300)];
            rnd.nextBytes(m);
            m[16] = (byte) types[rnd.nextInt(types.length)];
            m[17] = 0x20;
            writeU32(m, 24, m.length);
            check(m);
            // The same octets as the plaintext of an SK payload.
            byte[] inner = Arrays.copyOfRange(m, 28, m.length);
            try {
                IkeDecoder.decodeInner(types[rnd.nextInt(types.length)], inner);
            } catch (IkeDecodeException expected) {
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("decodeInner threw " + e + " for " + HexFormat.of().formatHex(inner), e);
            }
        }
        report("random octets");
    }

    @Test
    void oversizedDatagramsAreRefusedWithoutReadingThem() {
        byte[] huge = new byte[IkeDecoder.MAX_MESSAGE_LENGTH + 1];
        huge[17] = 0x20;
        writeU32(huge, 24, huge.length);
        IkeDecodeException e = org.junit.jupiter.api.Assertions.assertThrows(IkeDecodeException.class,
                () -> IkeDecoder.decode(huge));
        assertTrue(e.notifyType().isEmpty());
    }

    @Test
    void allocationIsBoundedForTheLargestLegalMessageOfTinyPayloads() {
        // 16383 empty Vendor ID payloads: the most objects per input octet a chain can produce.
        List<Payload> many = new ArrayList<>();
        for (int i = 0; i < (IkeDecoder.MAX_MESSAGE_LENGTH - 28) / 4; i++) {
            many.add(new Payload.VendorId(Octets.EMPTY));
        }
        byte[] wire = IkeEncoder.encode(new IkeMessage(new IkeHeader(1, 0, ExchangeType.INFORMATIONAL, true, false, 0), many));
        check(wire);
        assertEquals(1, decodedOk);
    }

    private byte[] seed(SplittableRandom rnd) {
        return SEEDS.get(rnd.nextInt(SEEDS.size())).clone();
    }

    private void check(byte[] input) {
        DecodedMessage decoded = null;
        long allocated = allocationOf(input);
        if (allocated > bound(input)) {
            // The first decode of a new shape may pay for one-time class and call-site set-up: the
            // bound is on what decoding itself allocates, so measure again before failing.
            allocated = allocationOf(input);
            if (allocated > bound(input)) {
                fail("decoding " + input.length + " octets allocated " + allocated + " octets: "
                        + HexFormat.of().formatHex(input, 0, Math.min(input.length, 256)));
            }
        }
        try {
            decoded = IkeDecoder.decode(input);
        } catch (IkeDecodeException e) {
            rejected++;
        } catch (RuntimeException | Error e) {
            fail("decoder threw " + e + " (seed " + SEED + ") for " + HexFormat.of().formatHex(input), e);
        }
        if (decoded != null) {
            decodedOk++;
            // Whatever the decoder accepts, the encoder writes back to an equal message. Octet
            // equality is not expected: the encoder zeroes reserved and (known-payload) critical
            // bits and leaves out skipped unknown payloads.
            byte[] again = IkeEncoder.encode(decoded.message());
            if (decoded.ignoredPayloads().isEmpty()) {
                assertEquals(input.length, again.length, () -> "length changed for " + HexFormat.of().formatHex(input));
            }
            try {
                assertEquals(decoded.message(), IkeDecoder.decode(again).message());
            } catch (IkeDecodeException e) {
                fail("re-encoded message does not decode: " + e.getMessage());
            }
        }
    }

    private static long bound(byte[] input) {
        return (long) ALLOCATION_FACTOR * input.length + ALLOCATION_CONSTANT;
    }

    /** Octets allocated by this thread while decoding {@code input}, whatever the outcome. */
    private static long allocationOf(byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            IkeDecoder.decode(input);
        } catch (IkeDecodeException | RuntimeException | Error ignored) {
            // outcomes are checked by the caller
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private void report(String what) {
        System.out.printf("fuzz %s: %d decoded, %d rejected with IkeDecodeException%n", what, decodedOk, rejected);
        assertTrue(rejected > 0);
    }

    private static void writeU32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}

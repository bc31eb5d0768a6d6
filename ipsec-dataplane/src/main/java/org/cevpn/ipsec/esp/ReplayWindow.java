package org.cevpn.ipsec.esp;

/**
 * The anti-replay sliding window of RFC 4303 §3.4.3 over 64-bit sequence numbers, with the ESN
 * high-order-bit inference of RFC 4303 Appendix A.
 *
 * <p>The bitmap is a ring of 64-bit words indexed by {@code seq / 64}, with one word more than the
 * window needs, so sliding right only clears the words it passes over (the construction Linux and
 * WireGuard use): cost is independent of window size, and out-of-order arrival anywhere inside the
 * window is accepted exactly once.
 *
 * <p>Processing order is RFC 4303's: {@link #check} before the ICV (cheap rejection), {@link #update}
 * only after the ICV verified. Not thread-safe: the owning SA serialises access.
 */
public final class ReplayWindow {
    /** Default window, in packets. RFC 4303 asks for at least 32 (64 recommended); fast paths reorder a lot more. */
    public static final int DEFAULT_SIZE = 1024;

    private final int size;
    private final long[] ring;
    private final int ringMask;
    /** Highest authenticated sequence number; 0 = nothing received yet. */
    private long top;

    /** @param size window in packets: a multiple of 64 between 64 and 65536 */
    public ReplayWindow(int size) {
        if (size < 64 || size > 65536 || size % 64 != 0) {
            throw new IllegalArgumentException("replay window must be a multiple of 64 in [64, 65536], got " + size);
        }
        this.size = size;
        // A power of two strictly greater than size/64: the window spans at most size/64 + 1 words,
        // so no two live sequence numbers ever share a ring slot.
        int words = Integer.highestOneBit(size / 64) << 1;
        this.ring = new long[words];
        this.ringMask = words - 1;
    }

    public int size() { return size; }

    /** The highest sequence number accepted so far. */
    public long top() { return top; }

    /**
     * The full 64-bit sequence number for a received low half (RFC 4303 Appendix A.2), given the
     * window's current position. Without ESN, callers use the 32-bit value directly.
     */
    public long inferEsn(int seqLow) {
        long sl = seqLow & 0xffffffffL;
        long tl = top & 0xffffffffL;
        long th = top >>> 32;
        long bottom = (tl - size + 1) & 0xffffffffL;
        long sh;
        if (tl >= size - 1) {
            // Case A: the window lies inside one 2^32 block.
            sh = sl >= bottom ? th : th + 1;
        } else {
            // Case B: the window straddles a 2^32 boundary.
            sh = sl >= bottom ? th - 1 : th;
        }
        if (sh < 0) {
            // Before anything was received nothing can be "below" block 0.
            sh = 0;
        }
        return (sh << 32) | sl;
    }

    /** 0 if {@code seq} may be new, else the drop code ({@link DropReason#REPLAYED} or {@link DropReason#TOO_OLD}). */
    public int check(long seq) {
        if (seq == 0) {
            return DropReason.TOO_OLD.code(); // sequence numbers start at 1 (RFC 4303 §3.3.3)
        }
        if (seq > top) {
            return 0;
        }
        if (top - seq >= size) {
            return DropReason.TOO_OLD.code();
        }
        long word = ring[(int) ((seq >>> 6) & ringMask)];
        return (word & (1L << (seq & 63))) != 0 ? DropReason.REPLAYED.code() : 0;
    }

    /** Marks {@code seq} received after its ICV verified; returns 0 or the drop code if it is (now) a replay. */
    public int update(long seq) {
        int verdict = check(seq);
        if (verdict != 0) {
            return verdict;
        }
        if (seq > top) {
            long topWord = top >>> 6;
            long newWord = seq >>> 6;
            long advance = Math.min(newWord - topWord, ring.length);
            for (long i = 1; i <= advance; i++) {
                ring[(int) ((topWord + i) & ringMask)] = 0;
            }
            top = seq;
        }
        ring[(int) ((seq >>> 6) & ringMask)] |= 1L << (seq & 63);
        return 0;
    }
}

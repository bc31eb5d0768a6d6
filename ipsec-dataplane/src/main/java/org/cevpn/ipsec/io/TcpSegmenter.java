package org.cevpn.ipsec.io;

/**
 * Software TCP segmentation (what a NIC's TSO does): splits a TCP super-packet (IPv4 or IPv6) into
 * segments of at most {@code mss} payload bytes, each a complete packet with its own IP length, IPv4
 * ID and header checksum, TCP sequence number, flags and checksum. Used where a super-packet meets
 * something that only takes MTU-sized packets: a peer that does not accept super-packets, or a TUN
 * device without offloads. Allocation-free: segments are built in a reusable scratch buffer.
 */
public final class TcpSegmenter {
    /** Receives each segment; the buffer is reused for the next one. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] buf, int off, int len) throws java.io.IOException;
    }

    private final byte[] scratch;
    private final int headroom;

    /** @param headroom bytes kept free before each segment (for a port header) */
    public TcpSegmenter(int headroom, int maxSegment) {
        this.headroom = headroom;
        this.scratch = new byte[headroom + maxSegment + 64];
    }

    /**
     * Whether {@code b[off, off+len)} is a TCP packet (not an IPv4 fragment, no IPv6 extension headers)
     * that {@link #segment} can split; returns its IP + TCP header length, or -1.
     */
    public static int headerLength(byte[] b, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int version = (b[off] & 0xff) >>> 4;
        int ipHl;
        if (version == 4 && len >= 20) {
            ipHl = (b[off] & 0x0f) * 4;
            int frag = ((b[off + 6] & 0x3f) << 8) | (b[off + 7] & 0xff);
            if ((b[off + 9] & 0xff) != 6 || frag != 0 || ipHl < 20) {
                return -1;
            }
        } else if (version == 6 && len >= 40) {
            ipHl = 40;
            if ((b[off + 6] & 0xff) != 6) {
                return -1;
            }
        } else {
            return -1;
        }
        if (len < ipHl + 20) {
            return -1;
        }
        int tcpHl = ((b[off + ipHl + 12] & 0xff) >>> 4) * 4;
        return tcpHl >= 20 && len >= ipHl + tcpHl ? ipHl + tcpHl : -1;
    }

    /**
     * Splits the packet into segments of at most {@code mss} payload bytes and hands each to {@code sink}.
     *
     * @return the number of segments, or -1 if the packet is not segmentable TCP
     */
    public int segment(byte[] b, int off, int len, int mss, Sink sink) throws java.io.IOException {
        int hl = headerLength(b, off, len);
        if (hl < 0 || mss < 1) {
            return -1;
        }
        int version = (b[off] & 0xff) >>> 4;
        int ipHl = version == 4 ? (b[off] & 0x0f) * 4 : 40;
        int tcp = off + ipHl;
        long seq0 = ((long) (b[tcp + 4] & 0xff) << 24) | ((b[tcp + 5] & 0xff) << 16) | ((b[tcp + 6] & 0xff) << 8) | (b[tcp + 7] & 0xff);
        int flags = b[tcp + 13] & 0xff;
        int id0 = version == 4 ? ((b[off + 4] & 0xff) << 8) | (b[off + 5] & 0xff) : 0;
        int payload = len - hl;
        int count = 0;
        for (int pos = 0; pos < payload || (payload == 0 && count == 0); pos += mss) {
            int chunk = Math.min(mss, payload - pos);
            boolean last = pos + chunk >= payload;
            int s = headroom;
            System.arraycopy(b, off, scratch, s, hl);
            System.arraycopy(b, off + hl + pos, scratch, s + hl, chunk);
            int total = hl + chunk;
            if (version == 4) {
                put16(scratch, s + 2, total);
                put16(scratch, s + 4, (id0 + count) & 0xffff);
                put16(scratch, s + 10, 0);
                put16(scratch, s + 10, ~InternetChecksum.fold(InternetChecksum.sum(scratch, s, ipHl, 0)) & 0xffff);
            } else {
                put16(scratch, s + 4, total - 40);
            }
            int t = s + ipHl;
            long seq = (seq0 + pos) & 0xffffffffL;
            scratch[t + 4] = (byte) (seq >>> 24);
            scratch[t + 5] = (byte) (seq >>> 16);
            scratch[t + 6] = (byte) (seq >>> 8);
            scratch[t + 7] = (byte) seq;
            int f = flags;
            if (!last) {
                f &= ~0x09; // FIN and PSH only on the last segment
            }
            if (count > 0) {
                f &= ~0x80; // CWR only on the first
            }
            scratch[t + 13] = (byte) f;
            put16(scratch, t + 16, 0);
            long sum = InternetChecksum.pseudoHeader(scratch, s, version, 6, total - ipHl);
            put16(scratch, t + 16, ~InternetChecksum.fold(InternetChecksum.sum(scratch, t, total - ipHl, sum)) & 0xffff);
            sink.accept(scratch, s, total);
            count++;
            if (payload == 0) {
                break;
            }
        }
        return count;
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }
}

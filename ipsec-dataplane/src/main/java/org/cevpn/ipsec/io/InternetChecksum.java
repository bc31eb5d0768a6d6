package org.cevpn.ipsec.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The Internet checksum (RFC 1071) over byte arrays, eight bytes per step. */
public final class InternetChecksum {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {}

    /** The unfolded one's complement sum of {@code b[off, off+len)} added to {@code initial}. */
    public static long sum(byte[] b, int off, int len, long initial) {
        long sum = initial;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long v = (long) LONG.get(b, i);
            sum += (v >>> 32) + (v & 0xffffffffL); // < 2^33 per step: no overflow for any IP packet
        }
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits (not complemented). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The pseudo-header sum for TCP/UDP over IPv4 or IPv6 (addresses from the IP header at {@code ip}). */
    public static long pseudoHeader(byte[] b, int ip, int version, int protocol, int l4Length) {
        long sum = protocol + l4Length;
        if (version == 4) {
            return sum(b, ip + 12, 8, sum);
        }
        return sum(b, ip + 8, 32, sum);
    }
}

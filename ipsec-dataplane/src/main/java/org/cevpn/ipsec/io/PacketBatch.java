package org.cevpn.ipsec.io;

/**
 * Preallocated packet buffers that a {@link PacketPort} fills in one call. Each buffer keeps
 * {@code tailroom} spare bytes after the largest packet so ESP can append its trailer in place.
 */
public final class PacketBatch {
    private final byte[][] buffers;
    private final int[] lengths;
    private final int maxPacket;
    private int count;

    public PacketBatch(int capacity, int maxPacket, int tailroom) {
        if (capacity < 1 || maxPacket < 1 || tailroom < 0) {
            throw new IllegalArgumentException("bad batch geometry");
        }
        this.buffers = new byte[capacity][maxPacket + tailroom];
        this.lengths = new int[capacity];
        this.maxPacket = maxPacket;
    }

    public int capacity() { return buffers.length; }

    /** Largest packet a buffer takes (excluding tailroom). */
    public int maxPacket() { return maxPacket; }

    public byte[] buffer(int i) { return buffers[i]; }

    public int length(int i) { return lengths[i]; }

    public void setLength(int i, int len) { lengths[i] = len; }

    public int count() { return count; }

    public void setCount(int n) { count = n; }
}

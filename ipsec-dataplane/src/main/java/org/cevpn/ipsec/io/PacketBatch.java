package org.cevpn.ipsec.io;

/**
 * Preallocated packet buffers that a {@link PacketPort} fills in one call. Each buffer has
 * {@link PacketPort#HEADROOM} bytes in front for a port's own header and {@code tailroom} spare bytes
 * after the largest packet so ESP can append its trailer in place.
 */
public final class PacketBatch {
    private final byte[][] buffers;
    private final int[] lengths;
    private final int[] offsets;
    private final int[] gsoSizes;
    private final int maxPacket;
    private int count;

    public PacketBatch(int capacity, int maxPacket, int tailroom) {
        if (capacity < 1 || maxPacket < 1 || tailroom < 0) {
            throw new IllegalArgumentException("bad batch geometry");
        }
        this.buffers = new byte[capacity][PacketPort.HEADROOM + maxPacket + tailroom];
        this.lengths = new int[capacity];
        this.offsets = new int[capacity];
        this.gsoSizes = new int[capacity];
        this.maxPacket = maxPacket;
    }

    public int capacity() { return buffers.length; }

    /** Largest packet a buffer takes (excluding headroom and tailroom). */
    public int maxPacket() { return maxPacket; }

    public byte[] buffer(int i) { return buffers[i]; }

    public int length(int i) { return lengths[i]; }

    /** Where packet {@code i} starts in its buffer (a port may put its own header first). */
    public int offset(int i) { return offsets[i]; }

    public void setOffset(int i, int off) { offsets[i] = off; }

    /** For a TCP super-packet from an offloading port, its segment size (MSS); 0 for an ordinary packet. */
    public int gsoSize(int i) { return gsoSizes[i]; }

    public void setGsoSize(int i, int mss) { gsoSizes[i] = mss; }

    public void setLength(int i, int len) { lengths[i] = len; }

    public int count() { return count; }

    public void setCount(int n) { count = n; }
}

package org.cevpn.ipsec.esp;

/**
 * A reusable, allocation-free view of an IPv4 or IPv6 packet's header fields that selectors look at.
 * One instance per data-plane thread; {@link #parse} overwrites it.
 */
public final class IpPacketView {
    public static final int PROTO_IPIP = 4;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_IPV6 = 41;
    public static final int PROTO_ESP = 50;
    public static final int PROTO_SCTP = 132;

    private byte[] buf;
    private int off;
    private int length;
    private int version;
    private int headerLength;
    private int protocol;
    private int addrLen;
    private int srcOff;
    private int dstOff;
    private int srcPort;
    private int dstPort;

    /**
     * Parses the packet in {@code buf[off, off+len)}. Returns false for anything that is not a
     * well-formed IPv4/IPv6 header whose total length fits in {@code len}.
     */
    public boolean parse(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        srcPort = -1;
        dstPort = -1;
        if (len < 1) {
            return false;
        }
        version = (buf[off] & 0xff) >>> 4;
        int fragmentOffset = 0;
        if (version == 4) {
            if (len < 20) {
                return false;
            }
            headerLength = (buf[off] & 0x0f) * 4;
            int total = u16(buf, off + 2);
            if (headerLength < 20 || total < headerLength || total > len) {
                return false;
            }
            length = total;
            protocol = buf[off + 9] & 0xff;
            addrLen = 4;
            srcOff = off + 12;
            dstOff = off + 16;
            fragmentOffset = u16(buf, off + 6) & 0x1fff;
        } else if (version == 6) {
            if (len < 40) {
                return false;
            }
            headerLength = 40;
            int total = 40 + u16(buf, off + 4);
            if (total > len) {
                return false;
            }
            length = total;
            protocol = buf[off + 6] & 0xff;
            addrLen = 16;
            srcOff = off + 8;
            dstOff = off + 24;
        } else {
            return false;
        }
        if (fragmentOffset == 0 && (protocol == PROTO_TCP || protocol == PROTO_UDP || protocol == PROTO_SCTP)
                && length >= headerLength + 4) {
            srcPort = u16(buf, off + headerLength);
            dstPort = u16(buf, off + headerLength + 2);
        }
        return true;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    public int version() { return version; }

    /** Total length from the header (may be less than the buffer handed to {@link #parse}). */
    public int length() { return length; }

    public int headerLength() { return headerLength; }

    public int protocol() { return protocol; }

    public int addressLength() { return addrLen; }

    public int sourceOffset() { return srcOff; }

    public int destinationOffset() { return dstOff; }

    public byte[] buffer() { return buf; }

    public int offset() { return off; }

    public int sourcePort() { return srcPort; }

    public int destinationPort() { return dstPort; }

    /** Whether the source address and port fit {@code ts}. */
    public boolean sourceIn(TrafficSelector ts) {
        return ts.containsAddress(buf, srcOff, addrLen) && ts.containsProtocolPort(protocol, srcPort);
    }

    /** Whether the destination address and port fit {@code ts}. */
    public boolean destinationIn(TrafficSelector ts) {
        return ts.containsAddress(buf, dstOff, addrLen) && ts.containsProtocolPort(protocol, dstPort);
    }

    /** Whether the destination address (address only) fits {@code ts}. */
    public boolean destinationAddressIn(TrafficSelector ts) {
        return ts.containsAddress(buf, dstOff, addrLen);
    }

    /** Whether the source address (address only) fits {@code ts}. */
    public boolean sourceAddressIn(TrafficSelector ts) {
        return ts.containsAddress(buf, srcOff, addrLen);
    }
}

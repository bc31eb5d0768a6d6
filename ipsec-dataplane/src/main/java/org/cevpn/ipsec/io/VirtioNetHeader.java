package org.cevpn.ipsec.io;

import java.util.Arrays;

/**
 * The {@code struct virtio_net_hdr} a TUN device with {@code IFF_VNET_HDR} puts before every packet
 * (flags, gso_type, hdr_len, gso_size, csum_start, csum_offset; little-endian on the hosts we run on),
 * and the two conversions the data plane needs: from the kernel's offloaded form to a complete IP packet
 * that can travel inside ESP, and back to an offloaded form for delivery.
 */
final class VirtioNetHeader {
    static final int LENGTH = 10;
    static final int F_NEEDS_CSUM = 1;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;

    private VirtioNetHeader() {}

    static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
    }

    private static void putLe16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }

    /**
     * Finishes a partial checksum (NEEDS_CSUM) of the packet at {@code pkt} using the header at
     * {@code hdr}: the field holds the pseudo-header sum, the rest of the sum covers csum_start to the end.
     * A super-packet (GSO) thus gets the checksum it would have as one large segment, which is valid.
     */
    static void completeChecksum(byte[] b, int hdr, int pkt, int len) {
        if ((b[hdr] & F_NEEDS_CSUM) == 0) {
            return;
        }
        int start = le16(b, hdr + 6);
        int field = start + le16(b, hdr + 8);
        if (start >= len || field + 2 > len) {
            return; // inconsistent header: leave the packet as is; the receiver's checks will drop it
        }
        int c = ~InternetChecksum.fold(InternetChecksum.sum(b, pkt + start, len - start, 0)) & 0xffff;
        if (c == 0 && field - start == 6) {
            c = 0xffff; // UDP: 0 would mean "no checksum"
        }
        b[pkt + field] = (byte) (c >>> 8);
        b[pkt + field + 1] = (byte) c;
    }

    /**
     * Writes the header in the {@link #LENGTH} bytes before {@code off} for delivering the packet: GSO
     * (segment size from {@code mtu}) for a TCP packet larger than the MTU, whose checksum field then
     * becomes the pseudo-header partial sum the kernel's segmentation expects; no offload otherwise.
     */
    static void writeForDelivery(byte[] b, int off, int len, int mtu) {
        int h = off - LENGTH;
        Arrays.fill(b, h, off, (byte) 0);
        if (len <= mtu) {
            return;
        }
        int version = (b[off] & 0xff) >>> 4;
        int ipHl;
        int proto;
        if (version == 4) {
            ipHl = (b[off] & 0x0f) * 4;
            proto = b[off + 9] & 0xff;
            int frag = ((b[off + 6] & 0x3f) << 8) | (b[off + 7] & 0xff);
            if (frag != 0) {
                return;
            }
        } else if (version == 6) {
            ipHl = 40;
            proto = b[off + 6] & 0xff;
        } else {
            return;
        }
        if (proto != 6 || len < ipHl + 20) {
            return;
        }
        int tcpHl = ((b[off + ipHl + 12] & 0xff) >>> 4) * 4;
        if (tcpHl < 20 || len <= ipHl + tcpHl || mtu <= ipHl + tcpHl) {
            return;
        }
        b[h] = F_NEEDS_CSUM;
        b[h + 1] = (byte) (version == 4 ? GSO_TCPV4 : GSO_TCPV6);
        putLe16(b, h + 2, ipHl + tcpHl);
        putLe16(b, h + 4, mtu - ipHl - tcpHl);
        putLe16(b, h + 6, ipHl);
        putLe16(b, h + 8, 16);
        int partial = InternetChecksum.fold(InternetChecksum.pseudoHeader(b, off, version, 6, len - ipHl));
        b[off + ipHl + 16] = (byte) (partial >>> 8);
        b[off + ipHl + 17] = (byte) partial;
    }
}

package org.cevpn.ipsec.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The offload conversions, checked against a word-by-word RFC 1071 reference checksum. */
class VirtioNetHeaderTest {
    private static final int PKT = PacketPort.HEADROOM;
    private static final int HDR = PKT - VirtioNetHeader.LENGTH;

    /** RFC 1071, 16 bits at a time: the independent reference. */
    static int reference(byte[] b, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** A TCP packet (IPv4 or IPv6) at {@link #PKT} with a correct checksum. */
    static byte[] tcpPacket(int version, int total, Random r) {
        byte[] b = new byte[PKT + total];
        int ipHl = version == 4 ? 20 : 40;
        if (version == 4) {
            b[PKT] = 0x45;
            b[PKT + 2] = (byte) (total >>> 8);
            b[PKT + 3] = (byte) total;
            b[PKT + 8] = 64;
            b[PKT + 9] = 6;
            for (int i = 12; i < 20; i++) {
                b[PKT + i] = (byte) r.nextInt();
            }
        } else {
            b[PKT] = 0x60;
            b[PKT + 4] = (byte) ((total - 40) >>> 8);
            b[PKT + 5] = (byte) (total - 40);
            b[PKT + 6] = 6;
            b[PKT + 7] = 64;
            for (int i = 8; i < 40; i++) {
                b[PKT + i] = (byte) r.nextInt();
            }
        }
        for (int i = PKT + ipHl; i < b.length; i++) {
            b[i] = (byte) r.nextInt();
        }
        b[PKT + ipHl + 12] = (byte) 0x80; // data offset 32 bytes
        b[PKT + ipHl + 16] = 0;
        b[PKT + ipHl + 17] = 0;
        int tcpLen = total - ipHl;
        long pseudo = 6 + tcpLen + (version == 4 ? reference(b, PKT + 12, 8, 0) : reference(b, PKT + 8, 32, 0));
        int c = ~reference(b, PKT + ipHl, tcpLen, pseudo) & 0xffff;
        b[PKT + ipHl + 16] = (byte) (c >>> 8);
        b[PKT + ipHl + 17] = (byte) c;
        return b;
    }

    @Test
    void partialChecksumsFromTheKernelAreCompleted() {
        Random r = new Random(3);
        for (int version : new int[] {4, 6}) {
            for (int total : new int[] {60, 61, 1400, 1401, 64_001, 65_000}) {
                byte[] good = tcpPacket(version, total, r);
                byte[] b = good.clone();
                int ipHl = version == 4 ? 20 : 40;
                // What the kernel hands over: NEEDS_CSUM, the field holding the folded pseudo-header sum.
                long pseudo = 6 + (total - ipHl) + (version == 4 ? reference(b, PKT + 12, 8, 0) : reference(b, PKT + 8, 32, 0));
                int partial = reference(new byte[0], 0, 0, pseudo);
                b[PKT + ipHl + 16] = (byte) (partial >>> 8);
                b[PKT + ipHl + 17] = (byte) partial;
                b[HDR] = VirtioNetHeader.F_NEEDS_CSUM;
                b[HDR + 6] = (byte) ipHl;
                b[HDR + 8] = 16;
                VirtioNetHeader.completeChecksum(b, HDR, PKT, total);
                assertArrayEquals(Arrays.copyOfRange(good, PKT, good.length), Arrays.copyOfRange(b, PKT, b.length),
                        "IPv" + version + " " + total + " bytes");
            }
        }
    }

    @Test
    void largeTcpPacketsAreDeliveredAsGsoWithPseudoHeaderChecksum() {
        Random r = new Random(4);
        for (int version : new int[] {4, 6}) {
            byte[] b = tcpPacket(version, 30_000, r);
            int ipHl = version == 4 ? 20 : 40;
            VirtioNetHeader.writeForDelivery(b, PKT, 30_000, 1400);
            assertEquals(VirtioNetHeader.F_NEEDS_CSUM, b[HDR]);
            assertEquals(version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, b[HDR + 1]);
            assertEquals(ipHl + 32, VirtioNetHeader.le16(b, HDR + 2));
            assertEquals(1400 - ipHl - 32, VirtioNetHeader.le16(b, HDR + 4));
            assertEquals(ipHl, VirtioNetHeader.le16(b, HDR + 6));
            assertEquals(16, VirtioNetHeader.le16(b, HDR + 8));
            long pseudo = 6 + (30_000 - ipHl) + (version == 4 ? reference(b, PKT + 12, 8, 0) : reference(b, PKT + 8, 32, 0));
            int field = ((b[PKT + ipHl + 16] & 0xff) << 8) | (b[PKT + ipHl + 17] & 0xff);
            assertEquals(reference(new byte[0], 0, 0, pseudo), field);
        }
        // Small packets and non-TCP packets go without offload, untouched.
        byte[] small = tcpPacket(4, 1000, r);
        byte[] copy = small.clone();
        VirtioNetHeader.writeForDelivery(small, PKT, 1000, 1400);
        assertArrayEquals(new byte[VirtioNetHeader.LENGTH], Arrays.copyOfRange(small, HDR, PKT));
        assertArrayEquals(Arrays.copyOfRange(copy, PKT, copy.length), Arrays.copyOfRange(small, PKT, small.length));
    }
}

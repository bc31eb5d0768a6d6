package org.cevpn.ipsec.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TcpSegmenterTest {
    private static final int PKT = PacketPort.HEADROOM;

    @Test
    void superPacketsBecomeValidConsecutiveSegments() throws Exception {
        Random r = new Random(9);
        for (int version : new int[] {4, 6}) {
            int total = 20_000 + version;
            byte[] b = VirtioNetHeaderTest.tcpPacket(version, total, r);
            int ipHl = version == 4 ? 20 : 40;
            int tcp = PKT + ipHl;
            b[tcp + 13] = 0x19; // ACK | PSH | FIN
            long seq0 = 0xFFFFF000L; // wraps inside the packet
            b[tcp + 4] = (byte) 0xff; b[tcp + 5] = (byte) 0xff; b[tcp + 6] = (byte) 0xf0; b[tcp + 7] = 0;
            List<byte[]> segs = new ArrayList<>();
            int n = new TcpSegmenter(4, 70_000).segment(b, PKT, total, 1000, (buf, off, len) -> segs.add(Arrays.copyOfRange(buf, off, off + len)));
            int payload = total - ipHl - 32;
            assertEquals((payload + 999) / 1000, n);
            assertEquals(n, segs.size());
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int k = 0; k < n; k++) {
                byte[] s = segs.get(k);
                int len = s.length;
                if (version == 4) {
                    assertEquals(len, ((s[2] & 0xff) << 8) | (s[3] & 0xff));
                    assertEquals(0xffff, VirtioNetHeaderTest.reference(s, 0, 20, 0), "IPv4 header checksum");
                } else {
                    assertEquals(len - 40, ((s[4] & 0xff) << 8) | (s[5] & 0xff));
                }
                long pseudo = 6 + (len - ipHl) + (version == 4 ? VirtioNetHeaderTest.reference(s, 12, 8, 0)
                        : VirtioNetHeaderTest.reference(s, 8, 32, 0));
                assertEquals(0xffff, VirtioNetHeaderTest.reference(s, ipHl, len - ipHl, pseudo), "TCP checksum of segment " + k);
                long seq = ((long) (s[ipHl + 4] & 0xff) << 24) | ((s[ipHl + 5] & 0xff) << 16) | ((s[ipHl + 6] & 0xff) << 8) | (s[ipHl + 7] & 0xff);
                assertEquals((seq0 + 1000L * k) & 0xffffffffL, seq);
                int flags = s[ipHl + 13] & 0xff;
                assertEquals(k == n - 1 ? 0x19 : 0x10, flags, "FIN/PSH only on the last segment");
                assertTrue(len - ipHl - 32 <= 1000);
                joined.write(s, ipHl + 32, len - ipHl - 32);
            }
            assertArrayEquals(Arrays.copyOfRange(b, PKT + ipHl + 32, PKT + total), joined.toByteArray());
        }
    }

    @Test
    void nonTcpIsRefused() throws Exception {
        byte[] udp = new byte[100];
        udp[0] = 0x45;
        udp[3] = 100;
        udp[9] = 17;
        assertEquals(-1, new TcpSegmenter(0, 200).segment(udp, 0, 100, 10, (b, o, l) -> { }));
        assertEquals(-1, TcpSegmenter.headerLength(new byte[] {0x45}, 0, 1));
    }
}

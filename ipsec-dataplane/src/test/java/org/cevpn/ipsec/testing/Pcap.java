package org.cevpn.ipsec.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A minimal pcap writer (LINKTYPE_RAW: each record is an IPv4 packet) for handing packets to tshark. */
public final class Pcap {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int frames;

    public Pcap() {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.writeBytes(h.array());
    }

    /** Adds an IPv4/UDP datagram carrying {@code payload} from src:sport to dst:dport. */
    public void addUdp(byte[] src, int sport, byte[] dst, int dport, byte[] payload) {
        int total = 20 + 8 + payload.length;
        ByteBuffer p = ByteBuffer.allocate(total);
        p.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) frames).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(src).put(dst);
        byte[] a = p.array();
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        p.putShort(10, (short) ~sum);
        p.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt(1_700_000_000 + frames).putInt(0).putInt(total).putInt(total);
        out.writeBytes(rec.array());
        out.writeBytes(a);
        frames++;
    }

    public void write(Path file) throws IOException {
        Files.write(file, out.toByteArray());
    }
}

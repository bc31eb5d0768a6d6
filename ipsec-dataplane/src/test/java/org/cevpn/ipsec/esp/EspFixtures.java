package org.cevpn.ipsec.esp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;

/** Matching outbound/inbound SA configs and test packets. */
final class EspFixtures {
    static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4500);
    static final TrafficSelector SITE_A = TrafficSelector.ofPrefix("10.1.0.0/16");
    static final TrafficSelector SITE_B = TrafficSelector.ofPrefix("10.2.0.0/16");
    static final TrafficSelector SITE_A6 = TrafficSelector.ofPrefix("fd00:a::/48");
    static final TrafficSelector SITE_B6 = TrafficSelector.ofPrefix("fd00:b::/48");

    private EspFixtures() {}

    static SecretBytes key(int len, int seed) {
        byte[] k = new byte[len];
        new Random(seed).nextBytes(k);
        return SecretBytes.copyOf(k);
    }

    /** The A→B direction: outbound on A uses local A / remote B; inbound on B uses local B / remote A. */
    static SaConfig.Builder config(Direction d, EncryptionAlgorithm enc, boolean esn, Mode mode) {
        SaConfig.Builder b = SaConfig.builder().direction(d).spi(0x1001).mode(mode).esn(esn)
                .encryption(enc, key(enc.keyMaterialLength(), 1)).peer(PEER)
                .localSelectors(d == Direction.OUTBOUND ? List.of(SITE_A, SITE_A6) : List.of(SITE_B, SITE_B6))
                .remoteSelectors(d == Direction.OUTBOUND ? List.of(SITE_B, SITE_B6) : List.of(SITE_A, SITE_A6));
        if (!enc.isAead()) {
            b.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128, key(32, 2));
        }
        return b;
    }

    /** An IPv4 UDP packet of {@code total} bytes from 10.1.0.1 to 10.2.0.1, payload patterned by {@code seed}. */
    static byte[] ipv4(int total, int seed) {
        byte[] p = new byte[total + OutboundSa.TRAILER_ROOM];
        p[0] = 0x45;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[8] = 64;
        p[9] = 17;
        p[12] = 10; p[13] = 1; p[14] = 0; p[15] = 1;
        p[16] = 10; p[17] = 2; p[18] = 0; p[19] = 1;
        p[20] = 0x30; p[21] = 0x39; p[22] = 0x00; p[23] = 0x35;
        for (int i = 28; i < total; i++) {
            p[i] = (byte) (i * 31 + seed);
        }
        return p;
    }

    /** An IPv6 packet of {@code total} bytes from fd00:a::1 to fd00:b::1. */
    static byte[] ipv6(int total) {
        byte[] p = new byte[total + OutboundSa.TRAILER_ROOM];
        p[0] = 0x60;
        int payload = total - 40;
        p[4] = (byte) (payload >>> 8);
        p[5] = (byte) payload;
        p[6] = 59;
        p[7] = 64;
        p[8] = (byte) 0xfd; p[10] = 0; p[11] = 0x0a; p[23] = 1;
        p[24] = (byte) 0xfd; p[26] = 0; p[27] = 0x0b; p[39] = 1;
        return p;
    }
}

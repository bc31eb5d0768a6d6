package org.cevpn.ipsec.dataplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.DropCounters;
import org.cevpn.ipsec.esp.DropReason;
import org.cevpn.ipsec.esp.Mode;
import org.cevpn.ipsec.esp.OutboundSa;
import org.cevpn.ipsec.esp.SaConfig;
import org.cevpn.ipsec.esp.SaEventListener;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.esp.TrafficSelector;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Property: whatever arrives on the SP side — random bytes, truncations, bit flips, splices of real
 * ESP packets, replays — the classifier returns, never throws, delivers only authentic packets
 * unchanged, and every datagram is accounted for exactly once (delivered, queued for IKE, or counted
 * as a drop under one reason).
 */
class ClassifierFuzzTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4500);

    static SaConfig config(Direction d, EncryptionAlgorithm alg, int spi) {
        byte[] k = new byte[alg.keyMaterialLength()];
        new Random(spi).nextBytes(k);
        SaConfig.Builder b = SaConfig.builder().direction(d).spi(spi).mode(Mode.TUNNEL).esn(true)
                .encryption(alg, SecretBytes.copyOf(k)).peer(PEER)
                .localSelectors(List.of(TrafficSelector.ofPrefix(d == Direction.OUTBOUND ? "10.1.0.0/16" : "10.2.0.0/16")))
                .remoteSelectors(List.of(TrafficSelector.ofPrefix(d == Direction.OUTBOUND ? "10.2.0.0/16" : "10.1.0.0/16")));
        if (!alg.isAead()) {
            b.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128, SecretBytes.copyOf(Arrays.copyOf(k, 32)));
        }
        return b.build();
    }

    static byte[] inner(Random r) {
        int total = 20 + 8 + r.nextInt(1400);
        byte[] p = new byte[total + OutboundSa.TRAILER_ROOM];
        p[0] = 0x45;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[8] = 64;
        p[9] = 17;
        p[12] = 10; p[13] = 1; p[15] = (byte) r.nextInt(256);
        p[16] = 10; p[17] = 2; p[19] = (byte) r.nextInt(256);
        for (int i = 20; i < total; i++) {
            p[i] = (byte) r.nextInt();
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void everyDatagramIsAccountedForAndOnlyAuthenticPacketsPass(EncryptionAlgorithm alg) throws Exception {
        Random r = new Random(alg.ordinal() * 7919L);
        SecurityAssociationDatabase sender = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        SecurityAssociationDatabase receiver = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        OutboundSa out = (OutboundSa) sender.install(config(Direction.OUTBOUND, alg, 0x5001));
        receiver.install(config(Direction.INBOUND, alg, 0x5001));
        MemoryPacketPort vpn = new MemoryPacketPort("vpn", 100_000);
        IkeQueue ikeQueue = new IkeQueue(100_000);
        DropCounters drops = new DropCounters();
        InboundClassifier c = new InboundClassifier(receiver, ikeQueue, vpn, drops);

        List<byte[]> authentic = new ArrayList<>();
        List<byte[]> delivered = new ArrayList<>();
        long datagrams = 0;
        long deliveredCount = 0;
        long ikeCount = 0;
        byte[] wire = new byte[2000];
        for (int round = 0; round < 3000; round++) {
            byte[] p = inner(r);
            int innerLen = ((p[2] & 0xff) << 8) | (p[3] & 0xff);
            byte[] original = Arrays.copyOf(p, innerLen);
            int n = out.encapsulate(p, 0, innerLen, wire, 0);
            byte[] esp = Arrays.copyOf(wire, n);
            byte[] d = switch (r.nextInt(8)) {
                case 0 -> esp;                                                      // authentic
                case 1 -> flip(esp, r);                                             // bit flip anywhere
                case 2 -> Arrays.copyOf(esp, r.nextInt(esp.length));               // truncated
                case 3 -> random(r, r.nextInt(64));                                 // short garbage
                case 4 -> random(r, r.nextInt(2000));                               // long garbage
                case 5 -> withSpi(random(r, 8 + r.nextInt(200)), 0x5001);           // known SPI, garbage body
                case 6 -> withSpi(random(r, 28 + r.nextInt(100)), 0);               // non-ESP marker: IKE
                default -> r.nextBoolean() ? new byte[] {(byte) 0xff} : splice(esp, r);
            };
            boolean isAuthentic = d == esp;
            if (isAuthentic) {
                authentic.add(original);
            }
            for (int rep = 0; rep < (r.nextInt(10) == 0 ? 2 : 1); rep++) { // sometimes replay it
                datagrams++;
                int v = c.onNatTDatagram(d, 0, d.length, PEER);
                if (v > 0) {
                    deliveredCount++;
                    delivered.add(vpn.poll(0));
                } else if (v == InboundClassifier.CONSUMED) {
                    ikeCount++;
                }
            }
        }
        assertEquals(datagrams, deliveredCount + ikeCount + drops.total(), "every datagram counted once: " + drops);
        assertEquals(authentic.size(), delivered.size(), "each authentic packet delivered exactly once: " + drops);
        for (int i = 0; i < authentic.size(); i++) {
            assertArrayEquals(authentic.get(i), delivered.get(i));
        }
        assertTrue(drops.get(DropReason.BAD_ICV) > 0 && drops.get(DropReason.UNKNOWN_SPI) > 0
                && drops.get(DropReason.TRUNCATED) > 0 && drops.get(DropReason.REPLAYED) > 0
                && drops.get(DropReason.NAT_KEEPALIVE) > 0, drops.toString());
    }

    static byte[] flip(byte[] b, Random r) {
        byte[] c = b.clone();
        c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
        return c;
    }

    static byte[] random(Random r, int len) {
        byte[] b = new byte[len];
        r.nextBytes(b);
        return b;
    }

    static byte[] withSpi(byte[] b, int spi) {
        b[0] = (byte) (spi >>> 24);
        b[1] = (byte) (spi >>> 16);
        b[2] = (byte) (spi >>> 8);
        b[3] = (byte) spi;
        return b;
    }

    /** The authentic header with a random tail: passes the SPI lookup, must fail the ICV. */
    static byte[] splice(byte[] esp, Random r) {
        byte[] c = esp.clone();
        for (int i = 16 + r.nextInt(Math.max(1, c.length - 16)); i < c.length; i++) {
            c[i] = (byte) r.nextInt();
        }
        return c;
    }
}

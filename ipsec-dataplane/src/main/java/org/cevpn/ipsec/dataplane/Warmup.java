package org.cevpn.ipsec.dataplane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.InboundSa;
import org.cevpn.ipsec.esp.IpPacketView;
import org.cevpn.ipsec.esp.OutboundSa;
import org.cevpn.ipsec.esp.SaConfig;
import org.cevpn.ipsec.esp.SaEventListener;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.esp.TrafficSelector;

/**
 * Runs the ESP path on throwaway SAs (random keys, a private SAD, no I/O) before the data plane takes
 * traffic, so the JIT has compiled encapsulation, decapsulation and the ciphers: without it the first
 * second or two of real traffic runs in the interpreter at a fraction of the speed.
 */
public final class Warmup {
    private Warmup() {}

    public static void run(Set<EncryptionAlgorithm> algorithms) {
        SecureRandom random = new SecureRandom();
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4500);
        for (EncryptionAlgorithm alg : algorithms) {
            byte[] key = new byte[alg.keyMaterialLength()];
            random.nextBytes(key);
            byte[] integ = new byte[32];
            random.nextBytes(integ);
            SaConfig.Builder b = SaConfig.builder().spi(0x100).encryption(alg, SecretBytes.copyOf(key)).peer(peer)
                    .localSelectors(List.of(TrafficSelector.ofPrefix("0.0.0.0/0")))
                    .remoteSelectors(List.of(TrafficSelector.ofPrefix("0.0.0.0/0")));
            if (!alg.isAead()) {
                b.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128, SecretBytes.copyOf(integ));
            }
            OutboundSa out = (OutboundSa) new SecurityAssociationDatabase(SaEventListener.IGNORE).install(b.direction(Direction.OUTBOUND).build());
            InboundSa in = (InboundSa) new SecurityAssociationDatabase(SaEventListener.IGNORE).install(b.direction(Direction.INBOUND).build());
            byte[] packet = new byte[DataPlane.MAX_INNER_PACKET + OutboundSa.TRAILER_ROOM];
            byte[] wire = new byte[DataPlane.MAX_INNER_PACKET + OutboundSa.MAX_OVERHEAD];
            byte[] back = new byte[wire.length];
            IpPacketView view = new IpPacketView();
            for (int i = 0; i < 30_000; i++) {
                int len = i % 100 == 0 ? 60_000 : 64 + (i * 97) % 1400;
                packet[0] = 0x45;
                packet[2] = (byte) (len >>> 8);
                packet[3] = (byte) len;
                int n = out.encapsulate(packet, 0, len, wire, 0);
                in.decapsulate(wire, 0, n, peer.getAddress(), back, 0, view);
            }
        }
    }
}

package org.cevpn.ipsec.ike.task;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.cevpn.ipsec.ike.crypto.NatDetection;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeMessage;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;

/** The notifies both IKE_SA_INIT messages share: NAT detection and the extension announcements. */
final class InitPayloads {
    private InitPayloads() {
    }

    static List<Payload> natDetection(long spiI, long spiR, Endpoints e) {
        return List.of(
                Payload.Notify.of(NotifyType.NAT_DETECTION_SOURCE_IP,
                        Octets.copyOf(NatDetection.hash(spiI, spiR, e.local().getAddress(), e.local().getPort()))),
                Payload.Notify.of(NotifyType.NAT_DETECTION_DESTINATION_IP,
                        Octets.copyOf(NatDetection.hash(spiI, spiR, e.remote().getAddress(), e.remote().getPort()))));
    }

    static List<Payload> extensions(IkeInitConfig config) {
        List<Payload> out = new ArrayList<>(2);
        if (config.fragmentation()) {
            out.add(Payload.Notify.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
        }
        if (!config.signatureHashes().isEmpty()) {
            byte[] data = new byte[2 * config.signatureHashes().size()];
            for (int i = 0; i < config.signatureHashes().size(); i++) {
                int v = config.signatureHashes().get(i).value();
                data[2 * i] = (byte) (v >>> 8);
                data[2 * i + 1] = (byte) v;
            }
            out.add(Payload.Notify.of(NotifyType.SIGNATURE_HASH_ALGORITHMS, Octets.copyOf(data)));
        }
        return out;
    }

    /** The hash algorithms the peer announced (unknown numbers are skipped, RFC 7427 §4). */
    static List<HashAlgorithm> signatureHashes(IkeMessage m) {
        List<HashAlgorithm> out = new ArrayList<>();
        m.notify(NotifyType.SIGNATURE_HASH_ALGORITHMS).ifPresent(n -> {
            Octets d = n.data();
            for (int i = 0; i + 1 < d.length(); i += 2) {
                HashAlgorithm.of((d.get(i) & 0xff) << 8 | d.get(i + 1) & 0xff).ifPresent(out::add);
            }
        });
        return out;
    }

    /**
     * True if some NAT_DETECTION notify of {@code type} in {@code m} matches {@code endpoint}.
     * RFC 7296 §2.23 allows several source notifies (multihomed senders): any match counts. With
     * none present at all the peer does not do NAT detection, which we treat as "no NAT".
     */
    static boolean matchesOrAbsent(IkeMessage m, NotifyType type, long spiI, long spiR, InetSocketAddress endpoint) {
        List<Payload.Notify> notifies = m.all(Payload.Notify.class).stream().filter(n -> n.is(type)).toList();
        if (notifies.isEmpty()) {
            return true;
        }
        for (Payload.Notify n : notifies) {
            if (NatDetection.matches(n.data().toByteArray(), spiI, spiR, endpoint.getAddress(), endpoint.getPort())) {
                return true;
            }
        }
        return false;
    }
}

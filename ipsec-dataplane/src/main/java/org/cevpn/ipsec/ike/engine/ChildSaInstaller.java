package org.cevpn.ipsec.ike.engine;

import java.net.InetSocketAddress;
import java.util.List;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.Lifetime;
import org.cevpn.ipsec.esp.SaConfig;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.esp.TrafficSelector;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.message.TransformType;
import org.cevpn.ipsec.ike.task.ChildSaResult;

/**
 * Puts the child SAs IKE negotiates into the data plane's SAD and takes them out again: the two
 * halves of a child SA with the keys by direction (RFC 7296 §2.17: the initiator's keys protect
 * what the initiator sends), the negotiated transforms and ESN, the narrowed traffic selectors,
 * and the peer's NAT-T address (our ESP is always ESP-in-UDP on 4500).
 */
public final class ChildSaInstaller {
    private final SecurityAssociationDatabase sad;

    public ChildSaInstaller(SecurityAssociationDatabase sad) {
        this.sad = sad;
    }

    /** Installs both halves of {@code child} towards {@code peerNatT}, without lifetime limits. */
    public void install(ChildSaResult child, InetSocketAddress peerNatT) {
        install(child, peerNatT, Lifetime.UNLIMITED);
    }

    /**
     * Installs both halves of {@code child} towards {@code peerNatT}, each with {@code lifetime}
     * ({@link TunnelPolicy#childSaLifetime}): their soft expiries reach the supervisor through the
     * SAD's listener and start the rekey; at a hard expiry the SAD drops the half.
     */
    public void install(ChildSaResult child, InetSocketAddress peerNatT, Lifetime lifetime) {
        Transform encr = child.chosen().transforms(TransformType.ENCRYPTION).getFirst();
        EncryptionAlgorithm enc = EncryptionAlgorithm.of(encr.id(), encr.keyLength().orElse(256));
        List<Transform> integ = child.chosen().transforms(TransformType.INTEGRITY);
        IntegrityAlgorithm ia = integ.isEmpty() ? IntegrityAlgorithm.NONE : IntegrityAlgorithm.of(integ.getFirst().id());
        boolean esn = child.chosen().transforms(TransformType.SEQUENCE_NUMBERS).stream().anyMatch(t -> t.id() == 1);
        boolean i = child.weInitiated();
        List<TrafficSelector> local = selectors(child.local());
        List<TrafficSelector> remote = selectors(child.remote());
        // Inbound first: the peer may send as soon as it has installed its outbound half.
        sad.install(half(Direction.INBOUND, child.inboundSpi(), enc, i ? child.keys().encryptionResponder() : child.keys().encryptionInitiator(),
                ia, i ? child.keys().integrityResponder() : child.keys().integrityInitiator(), esn, local, remote, peerNatT, lifetime));
        sad.install(half(Direction.OUTBOUND, child.outboundSpi(), enc, i ? child.keys().encryptionInitiator() : child.keys().encryptionResponder(),
                ia, i ? child.keys().integrityInitiator() : child.keys().integrityResponder(), esn, local, remote, peerNatT, lifetime));
    }

    /** Removes both halves of {@code child}. */
    public void remove(ChildSaResult child, InetSocketAddress peerNatT) {
        sad.removeOutbound(child.outboundSpi(), peerNatT);
        sad.removeInbound(child.inboundSpi());
    }

    private static SaConfig half(Direction d, int spi, EncryptionAlgorithm enc, byte[] key, IntegrityAlgorithm ia, byte[] integKey,
                                 boolean esn, List<TrafficSelector> local, List<TrafficSelector> remote, InetSocketAddress peer,
                                 Lifetime lifetime) {
        SaConfig.Builder b = SaConfig.builder().direction(d).spi(spi).encryption(enc, SecretBytes.copyOf(key)).esn(esn).lifetime(lifetime)
                .localSelectors(local).remoteSelectors(remote).peer(peer);
        if (ia != IntegrityAlgorithm.NONE) {
            b.integrity(ia, SecretBytes.copyOf(integKey));
        }
        java.util.Arrays.fill(key, (byte) 0);
        java.util.Arrays.fill(integKey, (byte) 0);
        return b.build();
    }

    private static List<TrafficSelector> selectors(List<org.cevpn.ipsec.ike.message.TrafficSelector> ts) {
        return ts.stream().map(t -> new TrafficSelector(t.start(), t.end(), t.ipProtocol(), t.startPort(), t.endPort())).toList();
    }
}

package org.cevpn.ipsec.ike.engine;

import java.net.InetSocketAddress;
import java.util.List;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.Lifetime;
import org.cevpn.ipsec.esp.Mode;
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
 *
 * <p>A tunnel-mode child SA's data plane selectors are its narrowed traffic selectors. A transport-mode
 * child SA protecting IP-in-IP between the two CE addresses (RFC 3884, {@link Mode#TRANSPORT_IPIP}) is
 * negotiated for protocol 4 between those addresses, but what it carries is decided by the routes of the
 * virtual IP-in-IP interface: those are its data plane selectors, and only the caller knows them.
 */
public final class ChildSaInstaller {
    private final SecurityAssociationDatabase sad;

    public ChildSaInstaller(SecurityAssociationDatabase sad) {
        this.sad = sad;
    }

    /** Installs both halves of the tunnel-mode {@code child} towards {@code peerNatT}, without lifetime limits. */
    public void install(ChildSaResult child, InetSocketAddress peerNatT) {
        install(child, peerNatT, Lifetime.UNLIMITED);
    }

    /**
     * Installs both halves of the tunnel-mode {@code child} towards {@code peerNatT}, each with {@code lifetime}
     * ({@link TunnelPolicy#childSaLifetime}): their soft expiries reach the supervisor through the
     * SAD's listener and start the rekey; at a hard expiry the SAD drops the half.
     */
    public void install(ChildSaResult child, InetSocketAddress peerNatT, Lifetime lifetime) {
        if (child.transportMode()) {
            throw new IllegalArgumentException("a transport-mode child SA is installed with its IP-in-IP interface's routes");
        }
        install(child, peerNatT, Mode.TUNNEL, selectors(child.local()), selectors(child.remote()), lifetime);
    }

    /**
     * Installs both halves of the transport-mode {@code child} (IP-in-IP with the peer CE at {@code peerNatT}).
     *
     * @param localRoutes  the prefixes of this site that the peer reaches through the IP-in-IP interface
     * @param remoteRoutes the routes of the IP-in-IP interface: destinations reached through the peer CE
     */
    public void installIpIp(ChildSaResult child, InetSocketAddress peerNatT, List<TrafficSelector> localRoutes,
                            List<TrafficSelector> remoteRoutes, Lifetime lifetime) {
        if (!child.transportMode()) {
            throw new IllegalArgumentException("not a transport-mode child SA");
        }
        install(child, peerNatT, Mode.TRANSPORT_IPIP, localRoutes, remoteRoutes, lifetime);
    }

    /**
     * New routes for the IP-in-IP interface to {@code peer}: every installed transport-mode child SA with it
     * carries them from the next packet on (a routing protocol learned or withdrew a route).
     */
    public int replaceIpIpRoutes(java.net.InetAddress peer, List<TrafficSelector> localRoutes, List<TrafficSelector> remoteRoutes) {
        return sad.replaceIpIpRoutes(peer, localRoutes, remoteRoutes);
    }

    private void install(ChildSaResult child, InetSocketAddress peerNatT, Mode mode, List<TrafficSelector> local,
                         List<TrafficSelector> remote, Lifetime lifetime) {
        Transform encr = child.chosen().transforms(TransformType.ENCRYPTION).getFirst();
        EncryptionAlgorithm enc = EncryptionAlgorithm.of(encr.id(), encr.keyLength().orElse(256));
        List<Transform> integ = child.chosen().transforms(TransformType.INTEGRITY);
        IntegrityAlgorithm ia = integ.isEmpty() ? IntegrityAlgorithm.NONE : IntegrityAlgorithm.of(integ.getFirst().id());
        boolean esn = child.chosen().transforms(TransformType.SEQUENCE_NUMBERS).stream().anyMatch(t -> t.id() == 1);
        boolean i = child.weInitiated();
        // Inbound first: the peer may send as soon as it has installed its outbound half.
        sad.install(half(Direction.INBOUND, child.inboundSpi(), enc, i ? child.keys().encryptionResponder() : child.keys().encryptionInitiator(),
                ia, i ? child.keys().integrityResponder() : child.keys().integrityInitiator(), esn, mode, local, remote, peerNatT, lifetime));
        sad.install(half(Direction.OUTBOUND, child.outboundSpi(), enc, i ? child.keys().encryptionInitiator() : child.keys().encryptionResponder(),
                ia, i ? child.keys().integrityInitiator() : child.keys().integrityResponder(), esn, mode, local, remote, peerNatT, lifetime));
    }

    /** Removes both halves of {@code child}. */
    public void remove(ChildSaResult child, InetSocketAddress peerNatT) {
        sad.removeOutbound(child.outboundSpi(), peerNatT);
        sad.removeInbound(child.inboundSpi());
    }

    private static SaConfig half(Direction d, int spi, EncryptionAlgorithm enc, byte[] key, IntegrityAlgorithm ia, byte[] integKey,
                                 boolean esn, Mode mode, List<TrafficSelector> local, List<TrafficSelector> remote,
                                 InetSocketAddress peer, Lifetime lifetime) {
        SaConfig.Builder b = SaConfig.builder().direction(d).spi(spi).mode(mode).encryption(enc, SecretBytes.copyOf(key)).esn(esn).lifetime(lifetime)
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

package org.cevpn.agent.reconcile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cevpn.agent.config.Algorithms;
import org.cevpn.agent.config.Authentication;
import org.cevpn.agent.config.ChildSaProposal;
import org.cevpn.agent.config.ConfigurationException;
import org.cevpn.agent.config.IpPrefix;
import org.cevpn.agent.config.PeerTuple;
import org.cevpn.agent.config.PreConfiguration;
import org.cevpn.agent.config.TunnelInformation;
import org.cevpn.ipsec.ike.engine.PeerConfig;
import org.cevpn.ipsec.ike.engine.TunnelPolicy;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.IdType;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.task.ChildSaConfig;
import org.cevpn.ipsec.ike.task.Credentials;
import org.cevpn.ipsec.ike.task.IkeAuthConfig;
import org.cevpn.ipsec.ike.task.Identity;

/**
 * A peer tuple in the IKE engine's terms: identities (the CE ids, as ID_KEY_ID — cevpn-types ce-id), the
 * credentials, the child SA proposal and traffic selectors ({@link PeerConfig}), and the tunnel policy from
 * the tunnel information and the pre-configuration timers ({@link TunnelPolicy}). What this agent does not
 * implement yet is refused with a {@link ConfigurationException}, never approximated.
 */
public final class PeerTranslation {
    /** NAT keepalives only go out when IKE found a NAT; 20 s is the RFC 3948 suggestion. */
    private static final Duration NAT_KEEPALIVE = Duration.ofSeconds(20);

    private final int ikePort;
    private final int natTPort;

    /** @param ikePort, natTPort the peers' IKE ports (500 and 4500 on a real SP network) */
    public PeerTranslation(int ikePort, int natTPort) {
        this.ikePort = ikePort;
        this.natTPort = natTPort;
    }

    public int natTPort() {
        return natTPort;
    }

    /** @param localCeId this CE's id: its IKEv2 identity */
    public PeerConfig peerConfig(String localCeId, PeerTuple peer) {
        if (peer.tunnel().ipsecMode() != TunnelInformation.IpsecMode.TUNNEL) {
            throw new ConfigurationException("ipsec-mode transport-ip-in-ip is not implemented by this agent yet");
        }
        if (peer.remotePrefixes().isEmpty()) {
            throw new ConfigurationException("a peer without remote prefixes (dynamic routing) is not implemented yet");
        }
        Credentials.Own own;
        Credentials.Peer theirs;
        switch (peer.authentication()) {
            case Authentication.PreSharedKey psk -> {
                own = new Credentials.OwnSharedKey(psk.key().octets());
                theirs = new Credentials.PeerSharedKey(psk.key().octets());
            }
            case Authentication.Signature s ->
                    throw new ConfigurationException("digital-signature authentication is not implemented by this agent yet");
        }
        ChildSaConfig child = new ChildSaConfig(espProposals(peer.childSa()), selectors(peer.localPrefixes()),
                selectors(peer.remotePrefixes()));
        IkeAuthConfig auth = new IkeAuthConfig(keyId(localCeId), own, keyId(peer.ceId()), theirs, true, child);
        return new PeerConfig(peer.spAddress(), ikePort, natTPort, auth);
    }

    public static TunnelPolicy policy(PeerTuple peer, PreConfiguration pre) {
        boolean permanent = peer.tunnel().permanent();
        Duration backoffLimit = pre.backoffLimit().compareTo(pre.retryInterval()) < 0 ? pre.retryInterval() : pre.backoffLimit();
        return new TunnelPolicy(permanent, pre.minRetryWait(), pre.retryInterval(), backoffLimit,
                peer.ike().lifetime(), peer.childSa().lifetime(), 0.1, 0.1, pre.livenessInterval(),
                permanent ? Duration.ZERO : peer.tunnel().idleTimeout(), NAT_KEEPALIVE);
    }

    /**
     * The IKE SA proposals this CE offers and accepts. The engine has one list for all peers, so this is
     * every suite a peer's {@code sa-information/ike} may name, the model's default first.
     */
    public static List<Proposal> ikeProposals() {
        List<Transform> groups = List.of(Transform.dhGroup(DhGroup.ECP_256), Transform.dhGroup(DhGroup.CURVE25519),
                Transform.dhGroup(DhGroup.ECP_384), Transform.dhGroup(DhGroup.ECP_521), Transform.dhGroup(DhGroup.MODP_2048));
        List<Transform> prfs = List.of(Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_384), Transform.prf(PseudorandomFunction.HMAC_SHA2_512));
        List<Transform> aead = new ArrayList<>();
        aead.add(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256));
        aead.add(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128));
        aead.add(Transform.encryption(EncryptionAlgorithm.CHACHA20_POLY1305, 256));
        aead.addAll(prfs);
        aead.addAll(groups);
        List<Transform> cbc = new ArrayList<>();
        cbc.add(Transform.encryption(EncryptionAlgorithm.AES_CBC, 256));
        cbc.add(Transform.encryption(EncryptionAlgorithm.AES_CBC, 128));
        cbc.add(Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128));
        cbc.add(Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_384_192));
        cbc.add(Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_512_256));
        cbc.addAll(prfs);
        cbc.addAll(groups);
        return List.of(new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, aead),
                new Proposal(2, ProtocolId.IKE.value(), Octets.EMPTY, cbc));
    }

    /**
     * The peer's one ESP suite, with the PFS group when one is configured. The first child SA rides in IKE_AUTH,
     * which leaves the group out (no KE there, RFC 7296 §1.2); every rekey carries it, ours and the peer's — a
     * rekey without PFS matches no proposal of ours, so the configured PFS cannot be negotiated away.
     */
    static List<Proposal> espProposals(ChildSaProposal p) {
        List<Transform> suite = new ArrayList<>();
        suite.add(Transform.encryption(EncryptionAlgorithm.valueOf(p.encryption().name()), p.keyLength()));
        if (p.integrity() != Algorithms.Integrity.NONE) {
            suite.add(Transform.integrity(IntegrityAlgorithm.valueOf(p.integrity().name())));
        }
        suite.add(Transform.sequenceNumbers(SequenceNumbers.NO_ESN));
        p.pfsGroup().ifPresent(g -> suite.add(Transform.dhGroup(DhGroup.valueOf(g.name()))));
        return List.of(new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, suite));
    }

    static List<TrafficSelector> selectors(List<IpPrefix> prefixes) {
        return prefixes.stream().map(p -> TrafficSelector.range(p.address(), p.lastAddress())).toList();
    }

    static Identity keyId(String ceId) {
        return new Identity(IdType.KEY_ID.value(), Octets.copyOf(ceId.getBytes(StandardCharsets.UTF_8)));
    }
}

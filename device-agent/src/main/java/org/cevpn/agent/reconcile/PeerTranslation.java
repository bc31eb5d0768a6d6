package org.cevpn.agent.reconcile;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cevpn.agent.config.Algorithms;
import org.cevpn.agent.config.Authentication;
import org.cevpn.agent.config.ChildSaProposal;
import org.cevpn.agent.config.ConfigurationException;
import org.cevpn.agent.config.IkeProposal;
import org.cevpn.agent.config.IpPrefix;
import org.cevpn.agent.config.PeerTuple;
import org.cevpn.agent.config.PreConfiguration;
import org.cevpn.agent.config.TunnelInformation;
import org.cevpn.ipsec.ike.crypto.DiffieHellman;
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
 * A peer tuple in the IKE engine's terms: identities (the CE ids — cevpn-types ce-id — as ID_KEY_ID with a
 * pre-shared key, as ID_FQDN with certificates, see {@link SignatureCredentials}), the credentials, the child SA
 * proposal and traffic selectors by ipsec-mode ({@link PeerConfig}), the routes of a transport-ip-in-ip tunnel
 * ({@link IpIpRoutes}), and the tunnel policy from the tunnel information and the pre-configuration timers
 * ({@link TunnelPolicy}). What this agent does not implement is refused with a {@link ConfigurationException},
 * never approximated.
 */
public final class PeerTranslation {
    /** NAT keepalives only go out when IKE found a NAT; 20 s is the RFC 3948 suggestion. */
    private static final Duration NAT_KEEPALIVE = Duration.ofSeconds(20);
    /** IP protocol 4: IPv4 in IP, what a transport-ip-in-ip SA protects (RFC 3884 §2). */
    private static final int IP_IN_IP = 4;
    /** IP protocol 41: IPv6 in IP. */
    private static final int IPV6_IN_IP = 41;

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

    /**
     * @param localCeId this CE's id: its IKEv2 identity
     * @param localSp   this CE's SP-space address: one end of a transport-ip-in-ip tunnel
     */
    public PeerConfig peerConfig(String localCeId, InetAddress localSp, PeerTuple peer) {
        if (peer.tunnel().dynamicRouting() && peer.tunnel().ipsecMode() == TunnelInformation.IpsecMode.TUNNEL) {
            throw new ConfigurationException("dynamic routing runs over transport-ip-in-ip tunnels in this agent (RFC 3884):"
                    + " a tunnel-mode SA's traffic selectors would have to be renegotiated for every route learned");
        }
        if (peer.remotePrefixes().isEmpty() && !peer.tunnel().dynamicRouting()) {
            throw new ConfigurationException("a peer without dynamic routing needs remote prefixes");
        }
        Identity me;
        Identity them;
        Credentials.Own own;
        Credentials.Peer theirs;
        switch (peer.authentication()) {
            case Authentication.PreSharedKey psk -> {
                me = keyId(localCeId);
                them = keyId(peer.ceId());
                own = new Credentials.OwnSharedKey(psk.key().octets());
                theirs = new Credentials.PeerSharedKey(psk.key().octets());
            }
            case Authentication.Signature s -> {
                me = SignatureCredentials.identity(localCeId, "this CE's");
                them = SignatureCredentials.identity(peer.ceId(), "the peer's");
                Signing signing = signing(s, localCeId);
                own = signing.own();
                theirs = signing.peer();
            }
        }
        IkeAuthConfig auth = new IkeAuthConfig(me, own, them, theirs, true, childSa(localSp, peer));
        return new PeerConfig(peer.spAddress(), ikePort, natTPort, auth).withIkeProposals(List.of(ikeProposal(peer.ike())));
    }

    /**
     * The peer's one IKE suite ({@code sa-information/ike}, else the VPN's {@code sa-defaults}, already
     * resolved in the tuple): what we offer as initiator and all we accept from its address as responder.
     */
    static Proposal ikeProposal(IkeProposal p) {
        if (DiffieHellman.of(DhGroup.valueOf(p.dhGroup().name())).isEmpty()) {
            throw new ConfigurationException("sa-information/ike dh-group " + p.dhGroup().yangName() + " is not implemented by this agent yet");
        }
        List<Transform> t = new ArrayList<>();
        t.add(Transform.encryption(EncryptionAlgorithm.valueOf(p.encryption().name()), p.keyLength()));
        if (p.integrity() != Algorithms.Integrity.NONE) {
            t.add(Transform.integrity(IntegrityAlgorithm.valueOf(p.integrity().name())));
        } else if (!p.encryption().aead()) {
            throw new ConfigurationException("sa-information/ike: " + p.encryption().yangName() + " needs an integrity algorithm");
        }
        t.add(Transform.prf(PseudorandomFunction.valueOf(p.prf().name())));
        t.add(Transform.dhGroup(DhGroup.valueOf(p.dhGroup().name())));
        return new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, t);
    }

    /** This CE's signature credentials in the engine's terms; all its peers share them. */
    private record Signing(Authentication.Signature from, String ceId, Credentials.OwnCertificate own,
                           Credentials.PeerCertificate peer) {
    }

    private Signing signing;

    /**
     * Every digital-signature peer uses the same local credentials, and checking them (parsing, a probe signature)
     * costs up to milliseconds with RSA: done once per credentials, the validity dates on every use.
     */
    private synchronized Signing signing(Authentication.Signature s, String localCeId) {
        Signing cached = signing;
        if (cached != null && cached.from().equals(s) && cached.ceId().equals(localCeId)) {
            SignatureCredentials.checkValidity(cached.own().chain().getFirst());
            return cached;
        }
        signing = new Signing(s, localCeId, SignatureCredentials.own(s, localCeId), SignatureCredentials.peer(s));
        return signing;
    }

    /**
     * Tunnel mode: the customer prefixes are the traffic selectors. Transport mode over IP-in-IP (RFC 3884 §2,
     * draft §5): the SA protects IP protocol 4 between the two SP-space addresses and nothing else; which customer
     * packets enter that IP-in-IP tunnel is the virtual interface's routing ({@link #ipIpRoutes}).
     */
    static ChildSaConfig childSa(InetAddress localSp, PeerTuple peer) {
        return switch (peer.tunnel().ipsecMode()) {
            case TUNNEL -> new ChildSaConfig(espProposals(peer.childSa()), selectors(peer.localPrefixes()),
                    selectors(peer.remotePrefixes()));
            case TRANSPORT_IP_IN_IP -> {
                if (localSp.getClass() != peer.spAddress().getClass()) {
                    throw new ConfigurationException("transport-ip-in-ip needs both SP addresses in one address family");
                }
                // Protocol 4 carries IPv4 customer packets, 41 IPv6 ones (RFC 2473): one selector per family in use;
                // both when routes are learned, since either family may be.
                List<Integer> protocols = peer.tunnel().dynamicRouting() ? List.of(IP_IN_IP, IPV6_IN_IP)
                        : java.util.stream.Stream.concat(peer.localPrefixes().stream(), peer.remotePrefixes().stream())
                        .map(p -> p.address() instanceof java.net.Inet4Address ? IP_IN_IP : IPV6_IN_IP).distinct().sorted().toList();
                yield new ChildSaConfig(espProposals(peer.childSa()), protocols.stream().map(p -> ipIp(localSp, p)).toList(),
                        protocols.stream().map(p -> ipIp(peer.spAddress(), p)).toList(), true);
            }
        };
    }

    /**
     * The routes of the IP-in-IP interface to {@code peer}: this site's prefixes and the peer site's. With dynamic
     * routing, the configured remote prefixes are static routes to which the learned ones are added
     * ({@code learned}); the site's own prefixes are the intra-site routing's business, so any destination may
     * come out of the tunnel into the site.
     */
    public static IpIpRoutes ipIpRoutes(PeerTuple peer, java.util.Collection<IpPrefix> learned) {
        List<IpPrefix> remote = java.util.stream.Stream.concat(peer.remotePrefixes().stream(), learned.stream()).distinct().toList();
        List<IpPrefix> local = peer.tunnel().dynamicRouting()
                ? List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")) : peer.localPrefixes();
        return new IpIpRoutes(dataPlaneSelectors(local), dataPlaneSelectors(remote));
    }

    /** What a transport-ip-in-ip child SA carries (its data plane selectors). */
    public record IpIpRoutes(List<org.cevpn.ipsec.esp.TrafficSelector> local, List<org.cevpn.ipsec.esp.TrafficSelector> remote) {
        public IpIpRoutes {
            local = List.copyOf(local);
            remote = List.copyOf(remote);
        }
    }

    private static TrafficSelector ipIp(InetAddress host, int protocol) {
        TrafficSelector any = TrafficSelector.range(host, host);
        return new TrafficSelector(any.type(), protocol, 0, 65535, any.startAddress(), any.endAddress());
    }

    private static List<org.cevpn.ipsec.esp.TrafficSelector> dataPlaneSelectors(List<IpPrefix> prefixes) {
        return prefixes.stream().map(p -> new org.cevpn.ipsec.esp.TrafficSelector(p.address(), p.lastAddress(), 0, 0, 65535))
                .toList();
    }

    public static TunnelPolicy policy(PeerTuple peer, PreConfiguration pre) {
        if (peer.tunnel().dynamicRouting()) {
            // Draft §5: with dynamic routing the routing protocol's hellos watch the tunnel; no IKE liveness checks.
            pre = new PreConfiguration(pre.spAddress(), pre.pullInterval(), pre.minRetryWait(), pre.retryInterval(),
                    pre.backoffLimit(), pre.alarmThreshold(), Duration.ZERO);
        }
        boolean permanent = peer.tunnel().permanent();
        Duration backoffLimit = pre.backoffLimit().compareTo(pre.retryInterval()) < 0 ? pre.retryInterval() : pre.backoffLimit();
        return new TunnelPolicy(permanent, pre.minRetryWait(), pre.retryInterval(), backoffLimit,
                peer.ike().lifetime(), peer.childSa().lifetime(), 0.1, 0.1, pre.livenessInterval(),
                permanent ? Duration.ZERO : peer.tunnel().idleTimeout(), NAT_KEEPALIVE, peer.childSa().lifetimeOctets());
    }

    /**
     * The engine's own IKE SA proposals: every suite a peer's {@code sa-information/ike} may name, the
     * model's default first. Each peer's {@link PeerConfig} carries its one configured suite
     * ({@link #ikeProposal}), which the engine uses with that peer instead; this list only serves a
     * peer configured without one.
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

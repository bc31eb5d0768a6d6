package org.cevpn.agent.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cevpn.agent.config.Algorithms.DhGroup;
import org.cevpn.agent.config.Algorithms.Encryption;
import org.cevpn.agent.config.Algorithms.Integrity;
import org.cevpn.agent.config.Algorithms.Prf;
import org.cevpn.agent.config.TunnelInformation.Establishment;
import org.cevpn.agent.config.TunnelInformation.IpsecMode;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;

/**
 * Reads {@code /ce:ce-device} of a validated datastore root into a {@link CeConfiguration}. Stateless and
 * thread-safe. Defaults are applied here because a NormalizedNode holds only what was written.
 */
public final class CeConfigurationReader {
    public static final String NAMESPACE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";

    private final QNameModule module;

    public CeConfigurationReader(YangSchema schema) {
        this.module = schema.moduleByNamespace(NAMESPACE)
                .orElseThrow(() -> new IllegalArgumentException("cevpn-ce-device is not in the schema")).getQNameModule();
    }

    /** The module's QName namespace and revision, for callers building paths and notifications. */
    public QNameModule module() {
        return module;
    }

    /**
     * The configuration in {@code root}, or empty when the datastore holds no {@code ce-device} (a CE
     * before its pre-configuration).
     */
    public Optional<CeConfiguration> read(ContainerNode root) {
        if (!(root.childByArg(id("ce-device")) instanceof ContainerNode device)) {
            return Optional.empty();
        }
        String ceId = string(device, "ce-id").orElseThrow(() -> new ConfigurationException("ce-device has no ce-id"));
        ContainerNode pre = container(device, "pre-configuration")
                .orElseThrow(() -> new ConfigurationException("ce-device has no pre-configuration"));
        PreConfiguration preConfiguration = preConfiguration(pre);

        Optional<ContainerNode> vpnConfiguration = container(device, "vpn-configuration");
        if (vpnConfiguration.isEmpty()) {
            return Optional.of(new CeConfiguration(ceId, preConfiguration, Optional.empty(), Map.of()));
        }
        ContainerNode vc = vpnConfiguration.orElseThrow();
        long version = number(vc, "configuration-version")
                .orElseThrow(() -> new ConfigurationException("vpn-configuration has no configuration-version"));
        Map<String, Vpn> vpns = new HashMap<>();
        for (MapEntryNode vpn : entries(vc, "vpn")) {
            String vpnId = string(vpn, "vpn-id").orElseThrow();
            Optional<ContainerNode> defaults = container(vpn, "sa-defaults");
            IkeProposal ike = defaults.flatMap(d -> container(d, "ike")).map(c -> ike(c, IkeProposal.DEFAULT))
                    .orElse(IkeProposal.DEFAULT);
            ChildSaProposal child = defaults.flatMap(d -> container(d, "child-sa")).map(c -> childSa(c, ChildSaProposal.DEFAULT))
                    .orElse(ChildSaProposal.DEFAULT);
            vpns.put(vpnId, new Vpn(prefixes(vpn, "local-prefix"), ike, child));
        }
        Optional<Authentication.Signature> signature = signature(vc);

        Map<InetAddress, PeerTuple> peers = new HashMap<>();
        for (MapEntryNode peer : entries(vc, "peer")) {
            InetAddress address = address(string(peer, "sp-address").orElseThrow(), "peer sp-address");
            String vpnId = string(peer, "vpn-id").orElseThrow(() -> new ConfigurationException("peer without vpn-id"));
            Vpn vpn = vpns.get(vpnId);
            if (vpn == null) {
                throw new ConfigurationException("peer " + address.getHostAddress() + ": vpn-id names no configured VPN");
            }
            Authentication authentication = switch (string(peer, "authentication-method").orElse("")) {
                case "pre-shared" -> new Authentication.PreSharedKey(new Secret(binary(peer, "pre-shared-key")
                        .orElseThrow(() -> new ConfigurationException("peer " + address.getHostAddress()
                                + ": pre-shared authentication without a pre-shared-key"))));
                case "digital-signature" -> signature.orElseThrow(() -> new ConfigurationException("peer "
                        + address.getHostAddress() + ": digital-signature authentication without local credentials"));
                default -> throw new ConfigurationException("peer " + address.getHostAddress()
                        + ": unknown authentication-method");
            };
            // sa-information proposals are presence containers: present replaces the VPN default entirely,
            // and a leaf left out inside takes the model's default, not the VPN's.
            Optional<ContainerNode> own = container(peer, "sa-information");
            IkeProposal ike = own.flatMap(s -> container(s, "ike")).map(c -> ike(c, IkeProposal.DEFAULT)).orElse(vpn.ike);
            ChildSaProposal child = own.flatMap(s -> container(s, "child-sa")).map(c -> childSa(c, ChildSaProposal.DEFAULT))
                    .orElse(vpn.childSa);
            TunnelInformation tunnel = container(peer, "tunnel-information").map(this::tunnel).orElse(TunnelInformation.DEFAULT);
            peers.put(address, new PeerTuple(address, string(peer, "ce-id").orElseThrow(), vpnId, authentication, ike, child,
                    tunnel, prefixes(peer, "remote-prefix"), vpn.localPrefixes));
        }
        return Optional.of(new CeConfiguration(ceId, preConfiguration, Optional.of(version), peers));
    }

    private record Vpn(List<IpPrefix> localPrefixes, IkeProposal ike, ChildSaProposal childSa) {
    }

    private PreConfiguration preConfiguration(ContainerNode pre) {
        InetAddress sp = address(string(pre, "sp-address")
                .orElseThrow(() -> new ConfigurationException("pre-configuration has no sp-address")), "sp-address");
        Optional<ContainerNode> timers = container(pre, "timers");
        return new PreConfiguration(sp,
                seconds(timers, "pull-interval", 3600), seconds(timers, "min-retry-wait", 5),
                seconds(timers, "retry-interval", 30), seconds(timers, "backoff-limit", 3600),
                timers.flatMap(t -> number(t, "alarm-threshold")).orElse(6L).intValue(),
                seconds(timers, "liveness-interval", 30));
    }

    private Optional<Authentication.Signature> signature(ContainerNode vc) {
        Optional<ContainerNode> credentials = container(vc, "local-credentials");
        Optional<byte[]> key = credentials.flatMap(c -> binary(c, "private-key"));
        Optional<byte[]> certificate = credentials.flatMap(c -> binary(c, "certificate"));
        if (key.isEmpty() || certificate.isEmpty()) {
            return Optional.empty();
        }
        List<String> cas = new ArrayList<>();
        if (credentials.orElseThrow().childByArg(id("ca-certificate")) instanceof LeafSetNode<?> set) {
            for (var entry : set.body()) {
                cas.add(Base64.getEncoder().encodeToString(bytes(entry.body(), "ca-certificate")));
            }
        }
        return Optional.of(new Authentication.Signature(new Secret(key.orElseThrow()),
                Base64.getEncoder().encodeToString(certificate.orElseThrow()), cas));
    }

    private IkeProposal ike(ContainerNode c, IkeProposal d) {
        return new IkeProposal(
                string(c, "encryption-algorithm").map(n -> Algorithms.byYangName(Encryption.class, n, "ike encryption-algorithm"))
                        .orElse(d.encryption()),
                number(c, "encryption-key-length").orElse((long) d.keyLength()).intValue(),
                string(c, "integrity-algorithm").map(n -> Algorithms.byYangName(Integrity.class, n, "ike integrity-algorithm"))
                        .orElse(d.integrity()),
                string(c, "prf").map(n -> Algorithms.byYangName(Prf.class, n, "ike prf")).orElse(d.prf()),
                string(c, "dh-group").map(n -> Algorithms.byYangName(DhGroup.class, n, "ike dh-group")).orElse(d.dhGroup()),
                number(c, "lifetime").map(Duration::ofSeconds).orElse(d.lifetime()));
    }

    private ChildSaProposal childSa(ContainerNode c, ChildSaProposal d) {
        String protocol = string(c, "security-protocol").orElse("esp");
        if (!protocol.equals("esp")) {
            throw new ConfigurationException("child-sa security-protocol: the agent implements ESP only");
        }
        return new ChildSaProposal(
                string(c, "encryption-algorithm").map(n -> Algorithms.byYangName(Encryption.class, n, "child-sa encryption-algorithm"))
                        .orElse(d.encryption()),
                number(c, "encryption-key-length").orElse((long) d.keyLength()).intValue(),
                string(c, "integrity-algorithm").map(n -> Algorithms.byYangName(Integrity.class, n, "child-sa integrity-algorithm"))
                        .orElse(d.integrity()),
                string(c, "pfs-group").map(n -> Algorithms.byYangName(DhGroup.class, n, "child-sa pfs-group")),
                number(c, "lifetime").map(Duration::ofSeconds).orElse(d.lifetime()),
                number(c, "lifetime-octets").orElse(d.lifetimeOctets()));
    }

    private TunnelInformation tunnel(ContainerNode c) {
        Establishment establishment = switch (string(c, "establishment").orElse("permanent")) {
            case "permanent" -> Establishment.PERMANENT;
            case "traffic-driven" -> Establishment.TRAFFIC_DRIVEN;
            default -> throw new ConfigurationException("tunnel-information establishment: unknown value");
        };
        IpsecMode mode = switch (string(c, "ipsec-mode").orElse("tunnel")) {
            case "tunnel" -> IpsecMode.TUNNEL;
            case "transport-ip-in-ip" -> IpsecMode.TRANSPORT_IP_IN_IP;
            default -> throw new ConfigurationException("tunnel-information ipsec-mode: unknown value");
        };
        boolean dynamicRouting = leaf(c, "dynamic-routing").map(v -> (Boolean) v).orElse(false);
        // idle-timeout exists (when-condition) for traffic-driven tunnels only; its default is 300 s.
        Duration idle = establishment == Establishment.TRAFFIC_DRIVEN
                ? Duration.ofSeconds(number(c, "idle-timeout").orElse(300L)) : Duration.ZERO;
        return new TunnelInformation(establishment, mode, dynamicRouting, idle);
    }

    private List<IpPrefix> prefixes(DataContainerNode parent, String name) {
        List<IpPrefix> out = new ArrayList<>();
        if (parent.childByArg(id(name)) instanceof LeafSetNode<?> set) {
            for (var entry : set.body()) {
                out.add(IpPrefix.parse(entry.body().toString()));
            }
        }
        // A system-ordered leaf-list is a set: sort, so that equal sets make equal tuples.
        out.sort(IpPrefix.ORDER);
        return out;
    }

    // --- NormalizedNode access by local name in cevpn-ce-device ---

    private NodeIdentifier id(String localName) {
        return new NodeIdentifier(QName.create(module, localName));
    }

    private Optional<ContainerNode> container(DataContainerNode parent, String name) {
        return parent.childByArg(id(name)) instanceof ContainerNode c ? Optional.of(c) : Optional.empty();
    }

    private List<MapEntryNode> entries(DataContainerNode parent, String name) {
        return parent.childByArg(id(name)) instanceof MapNode map ? List.copyOf(map.body()) : List.of();
    }

    private Optional<Object> leaf(DataContainerNode parent, String name) {
        NormalizedNode child = parent.childByArg(id(name));
        return child == null ? Optional.empty() : Optional.of(child.body());
    }

    private Optional<String> string(DataContainerNode parent, String name) {
        return leaf(parent, name).map(Object::toString);
    }

    private Optional<Long> number(DataContainerNode parent, String name) {
        return leaf(parent, name).map(v -> {
            if (v instanceof Number n) {
                return n.longValue();
            }
            throw new ConfigurationException(name + ": not a number");
        });
    }

    private Optional<byte[]> binary(DataContainerNode parent, String name) {
        return leaf(parent, name).map(v -> bytes(v, name));
    }

    private static byte[] bytes(Object v, String name) {
        if (v instanceof byte[] b) {
            return b;
        }
        throw new ConfigurationException(name + ": not binary");
    }

    private Duration seconds(Optional<ContainerNode> timers, String name, long defaultSeconds) {
        return Duration.ofSeconds(timers.flatMap(t -> number(t, name)).orElse(defaultSeconds));
    }

    private static InetAddress address(String text, String leaf) {
        try {
            // inet:ip-address may carry an IPv6 zone ("%eth0"); SP-space addresses have none.
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(leaf + ": not an IP address literal");
        }
    }
}

package org.cevpn.agent.pull;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.cevpn.agent.config.ConfigurationException;
import org.cevpn.agent.config.Secret;
import org.cevpn.netconf.client.ServerAuthentication;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;

/**
 * What the pull client needs from running's {@code /ce-device}: the ce-id (the SSH user name), where the VPN
 * server is and how to recognise it, the client key, and the pull timers (pre-configuration, draft §3.2).
 *
 * @param clientKey     the DER PKCS #8 private key (cvt:der-private-key), a {@link Secret}: never printed
 * @param pullInterval  period of pulls (and the safety net in combined mode)
 * @param minRetryWait  first wait after a failed pull or a lost session
 * @param backoffLimit  the longest wait between reconnection attempts (also capped by pullInterval)
 */
public record VpnServerSettings(String ceId, String host, int port, ServerAuthentication server, Secret clientKey,
                                Duration pullInterval, Duration minRetryWait, Duration backoffLimit) {
    static final int DEFAULT_PORT = 830;

    /** The settings in running, or empty when there is no /ce-device (the agent waits to be pre-configured). */
    public static Optional<VpnServerSettings> read(ContainerNode root, QNameModule ce) {
        var r = new Reader(ce);
        if (!(root.childByArg(r.id("ce-device")) instanceof ContainerNode device)
                || !(device.childByArg(r.id("pre-configuration")) instanceof ContainerNode pre)) {
            return Optional.empty();
        }
        String ceId = r.leaf(device, "ce-id").map(Object::toString)
                .orElseThrow(() -> new ConfigurationException("ce-device has no ce-id"));
        ContainerNode server = r.container(pre, "vpn-server")
                .orElseThrow(() -> new ConfigurationException("pre-configuration has no vpn-server"));
        String host;
        int port;
        Optional<Object> address = r.leaf(server, "address");
        if (address.isPresent()) {
            host = address.orElseThrow().toString();
            port = r.leaf(server, "port").map(v -> ((Number) v).intValue()).orElse(DEFAULT_PORT);
        } else {
            String url = r.leaf(server, "url").map(Object::toString)
                    .orElseThrow(() -> new ConfigurationException("vpn-server has neither address nor url"));
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("vpn-server url is not a URI");
            }
            if (!"netconf".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigurationException("vpn-server url must be netconf://host[:port], not " + uri.getScheme() + ":");
            }
            host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        }
        ServerAuthentication auth = r.leaf(server, "ssh-host-key").map(v -> (ServerAuthentication)
                        new ServerAuthentication.PinnedHostKey((byte[]) v))
                .or(() -> r.leaf(server, "ssh-certificate-authority").map(v -> new ServerAuthentication.CertificateAuthority((byte[]) v)))
                .orElseThrow(() -> new ConfigurationException("vpn-server has neither ssh-host-key nor ssh-certificate-authority"));
        Secret key = r.container(pre, "client-identity").flatMap(c -> r.leaf(c, "private-key"))
                .map(v -> new Secret((byte[]) v))
                .orElseThrow(() -> new ConfigurationException("pre-configuration has no client-identity/private-key"));
        Optional<ContainerNode> timers = r.container(pre, "timers");
        return Optional.of(new VpnServerSettings(ceId, host, port, auth, key, r.seconds(timers, "pull-interval", 3600),
                r.seconds(timers, "min-retry-wait", 5), r.seconds(timers, "backoff-limit", 3600)));
    }

    @Override
    public String toString() {
        return "VpnServerSettings[" + ceId + "@" + host + ":" + port + ", " + server + ", pull every "
                + pullInterval.toSeconds() + " s]";
    }

    /** NormalizedNode access by local name in cevpn-ce-device, looking through choices. */
    private record Reader(QNameModule module) {
        NodeIdentifier id(String name) {
            return new NodeIdentifier(QName.create(module, name));
        }

        Optional<ContainerNode> container(DataContainerNode parent, String name) {
            return parent.childByArg(id(name)) instanceof ContainerNode c ? Optional.of(c) : Optional.empty();
        }

        Optional<Object> leaf(DataContainerNode parent, String name) {
            NormalizedNode child = parent.childByArg(id(name));
            if (child != null) {
                return Optional.of(child.body());
            }
            for (NormalizedNode c : parent.body()) {
                if (c instanceof ChoiceNode choice) {
                    Optional<Object> inside = leaf(choice, name);
                    if (inside.isPresent()) {
                        return inside;
                    }
                }
            }
            return Optional.empty();
        }

        Duration seconds(Optional<ContainerNode> timers, String name, long defaultSeconds) {
            return Duration.ofSeconds(timers.flatMap(t -> leaf(t, name)).map(v -> ((Number) v).longValue())
                    .orElse(defaultSeconds));
        }
    }
}

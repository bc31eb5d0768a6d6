package org.cevpn.netconf.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.model.api.Module;

/**
 * The capabilities in our hello: exactly what this server implements (RFC 6241 §8, RFC 6022) and one module
 * capability ({@code namespace?module=name&revision=date}, RFC 6020 §5.6.4) per module of the schema.
 * :xpath, :with-defaults, :notification and :interleave only when the server has those parts. Not
 * implemented, so never advertised: :url. The yang-library (RFC 8525) is served with get.
 */
public final class Capabilities {
    public static final String BASE_1_0 = "urn:ietf:params:netconf:base:1.0";
    public static final String BASE_1_1 = "urn:ietf:params:netconf:base:1.1";
    public static final String MONITORING_NS = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";

    private Capabilities() {
    }

    /** with-defaults (RFC 6243): basic mode explicit, every other mode on request. */
    public static final String WITH_DEFAULTS = org.cevpn.netconf.filter.WithDefaults.CAPABILITY;

    public static List<String> of(final YangSchema schema, final boolean xpath, final boolean withDefaults,
            final boolean notifications) {
        final var caps = new ArrayList<String>(List.of(
            BASE_1_0,
            BASE_1_1,
            "urn:ietf:params:netconf:capability:writable-running:1.0",
            "urn:ietf:params:netconf:capability:candidate:1.0",
            // 1.1 (RFC 6241) adds persist and cancel-commit to 1.0 (RFC 4741); we do both, and say so for the
            // base:1.0 clients that only look for the 1.0 URIs — yangcli (yuma123) offers <commit confirmed> and
            // <validate> only when it sees :confirmed-commit:1.0 and :validate:1.0.
            "urn:ietf:params:netconf:capability:confirmed-commit:1.0",
            "urn:ietf:params:netconf:capability:confirmed-commit:1.1",
            "urn:ietf:params:netconf:capability:rollback-on-error:1.0",
            "urn:ietf:params:netconf:capability:validate:1.0",
            "urn:ietf:params:netconf:capability:validate:1.1",
            "urn:ietf:params:netconf:capability:startup:1.0"));
        if (xpath) {
            caps.add("urn:ietf:params:netconf:capability:xpath:1.0");
        }
        if (withDefaults) {
            caps.add(WITH_DEFAULTS);
        }
        if (notifications) {
            caps.add("urn:ietf:params:netconf:capability:notification:1.0");
            caps.add("urn:ietf:params:netconf:capability:interleave:1.0");
        }
        // RFC 7950 §5.6.4 / RFC 8526 §2: a YANG 1.1 server names its yang-library and its content-id.
        caps.add("urn:ietf:params:netconf:capability:yang-library:1.1?revision=2019-01-04&content-id="
            + new Monitoring(schema, List.of()).contentId());
        // get-schema and /netconf-state: we implement ietf-netconf-monitoring's data and RPC by hand.
        caps.add(MONITORING_NS + "?module=ietf-netconf-monitoring&revision=2010-10-04");
        final var protocol = List.copyOf(caps);
        schema.context().getModules().stream()
            .sorted((a, b) -> a.getName().compareTo(b.getName()))
            .forEach(m -> {
                final var features = features(m, protocol);
                caps.add(m.getNamespace() + "?module=" + m.getName()
                    + m.getRevision().map(r -> "&revision=" + r).orElse("")
                    + (features.isEmpty() ? "" : "&features=" + String.join(",", features)));
            });
        return List.copyOf(caps);
    }

    /** ietf-netconf's features (RFC 6241 Appendix C) and the protocol capability each one stands for. */
    private static final Map<String, String> NETCONF_FEATURES = new LinkedHashMap<>();

    static {
        for (var f : List.of("writable-running:1.0", "candidate:1.0", "confirmed-commit:1.1", "rollback-on-error:1.0",
                "validate:1.1", "startup:1.0", "url:1.0", "xpath:1.0")) {
            NETCONF_FEATURES.put(f.substring(0, f.indexOf(':')), "urn:ietf:params:netconf:capability:" + f);
        }
    }

    /**
     * The module's features this server supports, for the module capability's {@code features} parameter: RFC 6020
     * §5.6.4 reads a missing list as "none", and clients act on it — yangcli (yuma123) drops {@code <commit>}'s
     * confirmed-commit parameters when ietf-netconf comes without {@code confirmed-commit}. ietf-netconf's
     * features are exactly the protocol capabilities we advertise; any other module's features are all compiled
     * into our schema, so all are supported.
     */
    static List<String> features(final Module module, final List<String> protocolCapabilities) {
        if (module.getName().equals("ietf-netconf")) {
            return NETCONF_FEATURES.entrySet().stream().filter(e -> protocolCapabilities.contains(e.getValue()))
                .map(Map.Entry::getKey).toList();
        }
        return module.getFeatures().stream().map(f -> f.getQName().getLocalName()).sorted().toList();
    }
}

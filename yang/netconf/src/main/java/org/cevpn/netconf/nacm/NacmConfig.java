package org.cevpn.netconf.nacm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /nacm} configuration (RFC 8341 §3.2), read from the ietf-netconf-acm data of the running
 * datastore. Absent leaves take the module's defaults: NACM enabled, read and exec permitted, write denied.
 *
 * @param groupsByUser user name to the NACM groups that list it
 * @param problems     rules that could not be used (a path that does not resolve), with the reason; such a
 *                     rule matches nothing — it is never widened into "all data"
 */
public record NacmConfig(boolean enabled, boolean readPermit, boolean writePermit, boolean execPermit,
        boolean externalGroups, Map<String, Set<String>> groupsByUser, List<RuleList> ruleLists,
        List<String> problems) {
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:yang:ietf-netconf-acm";
    private static final Logger LOG = LoggerFactory.getLogger(NacmConfig.class);

    public NacmConfig {
        groupsByUser = Map.copyOf(groupsByUser);
        ruleLists = List.copyOf(ruleLists);
        problems = List.copyOf(problems);
    }

    /** The configuration of a datastore without {@code /nacm}: the module's defaults, no groups, no rules. */
    public static NacmConfig defaults() {
        return new NacmConfig(true, true, false, true, true, Map.of(), List.of(), List.of());
    }

    /** Reads {@code /nacm} from a datastore root (the running configuration). */
    public static NacmConfig read(final ContainerNode root, final YangSchema schema) {
        final QNameModule module = schema.moduleByNamespace(NAMESPACE)
            .orElseThrow(() -> new IllegalArgumentException("ietf-netconf-acm is not in the schema")).getQNameModule();
        final var nacm = root.childByArg(new NodeIdentifier(QName.create(module, "nacm")));
        if (!(nacm instanceof ContainerNode container)) {
            return defaults();
        }
        final var q = new Names(module);
        final var groupsByUser = new HashMap<String, Set<String>>();
        if (container.childByArg(q.id("groups")) instanceof ContainerNode groups
                && groups.childByArg(q.id("group")) instanceof MapNode groupList) {
            for (var group : groupList.body()) {
                final var groupName = q.string(group, "name").orElseThrow();
                for (var user : q.strings(group, "user-name")) {
                    groupsByUser.computeIfAbsent(user, u -> new HashSet<>()).add(groupName);
                }
            }
        }
        final var problems = new ArrayList<String>();
        final var ruleLists = new ArrayList<RuleList>();
        if (container.childByArg(q.id("rule-list")) instanceof MapNode lists) {
            // rule-list and rule are ordered-by user: body() keeps the configured order (first match wins).
            for (var list : lists.body()) {
                final var rules = new ArrayList<NacmRule>();
                if (list.childByArg(q.id("rule")) instanceof MapNode ruleMap) {
                    for (var rule : ruleMap.body()) {
                        final var parsed = rule(rule, q, schema, problems);
                        if (parsed != null) {
                            rules.add(parsed);
                        }
                    }
                }
                ruleLists.add(new RuleList(q.string(list, "name").orElseThrow(), Set.copyOf(q.strings(list, "group")),
                    rules));
            }
        }
        problems.forEach(p -> LOG.warn("NACM rule ignored: {}", p));
        return new NacmConfig(q.bool(container, "enable-nacm", true), q.permit(container, "read-default", true),
            q.permit(container, "write-default", false), q.permit(container, "exec-default", true),
            q.bool(container, "enable-external-groups", true), groupsByUser, ruleLists, problems);
    }

    private static NacmRule rule(final MapEntryNode rule, final Names q, final YangSchema schema,
            final List<String> problems) {
        final var name = q.string(rule, "name").orElseThrow();
        final var module = q.string(rule, "module-name").orElse("*");
        final var ops = AccessOperation.parse(q.leaf(rule, "access-operations").orElse("*"));
        final boolean permit = "permit".equals(q.string(rule, "action").orElse("deny"));
        RuleTarget target = new RuleTarget.Any();
        final var rpc = q.string(rule, "rpc-name");
        final var notification = q.string(rule, "notification-name");
        final var path = q.string(rule, "path");
        if (rpc.isPresent()) {
            target = new RuleTarget.Rpc(rpc.orElseThrow());
        } else if (notification.isPresent()) {
            target = new RuleTarget.Notification(notification.orElseThrow());
        } else if (path.isPresent()) {
            try {
                target = new RuleTarget.DataNode(NacmPath.parse(path.orElseThrow(), module, schema));
            } catch (IllegalArgumentException e) {
                problems.add("rule '" + name + "': path: " + e.getMessage());
                return null;
            }
        }
        return new NacmRule(name, module, target, ops, permit);
    }

    /** Leaf access by local name within ietf-netconf-acm, looking through the rule-type choice. */
    private record Names(QNameModule module) {
        NodeIdentifier id(final String localName) {
            return new NodeIdentifier(QName.create(module, localName));
        }

        Optional<Object> leaf(final DataContainerNode parent, final String localName) {
            final var direct = parent.childByArg(id(localName));
            if (direct != null) {
                return Optional.of(direct.body());
            }
            for (var child : parent.body()) {
                if (child instanceof ChoiceNode choice) {
                    final var inner = leaf(choice, localName);
                    if (inner.isPresent()) {
                        return inner;
                    }
                }
            }
            return Optional.empty();
        }

        Optional<String> string(final DataContainerNode parent, final String localName) {
            return leaf(parent, localName).map(Object::toString);
        }

        List<String> strings(final DataContainerNode parent, final String localName) {
            if (parent.childByArg(id(localName)) instanceof LeafSetNode<?> set) {
                return set.body().stream().map(e -> String.valueOf(e.body())).toList();
            }
            return List.of();
        }

        boolean bool(final DataContainerNode parent, final String localName, final boolean fallback) {
            return leaf(parent, localName).map(v -> (Boolean) v).orElse(fallback);
        }

        boolean permit(final DataContainerNode parent, final String localName, final boolean fallback) {
            return leaf(parent, localName).map(v -> "permit".equals(v.toString())).orElse(fallback);
        }
    }

    /** The groups {@code user} is in: configured ones plus, when enabled, those its transport reported. */
    Set<String> groupsOf(final NacmUser user) {
        final var groups = new HashSet<>(groupsByUser.getOrDefault(user.name(), Set.of()));
        if (externalGroups) {
            groups.addAll(user.externalGroups());
        }
        return groups;
    }

}

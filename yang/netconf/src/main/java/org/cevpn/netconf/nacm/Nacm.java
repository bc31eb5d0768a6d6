package org.cevpn.netconf.nacm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.cevpn.netconf.ErrorPath;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.filter.Trees;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.data.util.DataSchemaContext;
import org.opendaylight.yangtools.yang.data.util.DataSchemaContextTree;
import org.opendaylight.yangtools.yang.model.api.Module;

/**
 * NETCONF access control (RFC 8341): decides, for a user, which protocol operations it may run, which data it
 * may read and write and which notifications it receives. Rules come from the {@code /nacm} configuration of
 * the running datastore ({@link #configure}); the {@code nacm:default-deny-all} / {@code default-deny-write}
 * extensions come from the schema, so data our models mark secret (pre-shared and private keys) stays
 * invisible to a user without an explicit permit rule, whatever read-default says.
 *
 * <p>Thread-safe: the configuration is swapped atomically when running changes; decisions read one snapshot.
 *
 * <p>The schema must contain ietf-netconf (its protocol operations carry the default-deny-all marks for
 * kill-session and delete-config) and ietf-netconf-acm.
 */
public final class Nacm {
    /** The NETCONF base namespace, which is ietf-netconf's. */
    public static final String NETCONF_BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
    /** RFC 5277's replayComplete and notificationComplete live here; RFC 8341 §3.4.6 never filters them. */
    private static final String NETMOD_NOTIFICATION = "urn:ietf:params:xml:ns:netmod:notification";
    /**
     * ietf-netconf operations RFC 8341 protects with nacm:default-deny-all. The ietf-netconf@2013-09-29 revision
     * carries the marks in the module; the 2011-06-01 revision on our classpath predates them, so they are
     * named here as well as read from the schema.
     */
    private static final Set<String> DENY_ALL_BASE_OPERATIONS = Set.of("kill-session", "delete-config");

    private final YangSchema schema;
    private final DataSchemaContextTree schemaTree;
    private final Set<String> recoveryUsers;
    private volatile NacmConfig config = NacmConfig.defaults();
    private final AtomicLong deniedOperations = new AtomicLong();
    private final AtomicLong deniedDataWrites = new AtomicLong();
    private final AtomicLong deniedNotifications = new AtomicLong();

    /**
     * @param recoveryUsers users whose sessions are recovery sessions (RFC 8341 §3.2.5 "recovery session"):
     *                      NACM does not restrict them, so an operator can always repair a configuration
     *                      that locked everyone out. Typically the local administrator account only.
     */
    public Nacm(final YangSchema schema, final Set<String> recoveryUsers) {
        this.schema = Objects.requireNonNull(schema);
        if (schema.moduleByNamespace(NETCONF_BASE).isEmpty()) {
            throw new IllegalArgumentException("NACM needs ietf-netconf in the schema (its default-deny-all marks)");
        }
        if (schema.moduleByNamespace(NacmConfig.NAMESPACE).isEmpty()) {
            throw new IllegalArgumentException("NACM needs ietf-netconf-acm in the schema");
        }
        schemaTree = DataSchemaContextTree.from(schema.context());
        this.recoveryUsers = Set.copyOf(recoveryUsers);
    }

    /** Takes the rules from a (new) running datastore; call after every commit that may touch {@code /nacm}. */
    public NacmConfig configure(final ContainerNode running) {
        final var parsed = NacmConfig.read(running, schema);
        config = parsed;
        return parsed;
    }

    public NacmConfig config() {
        return config;
    }

    public NacmCounters counters() {
        return new NacmCounters(deniedOperations.get(), deniedDataWrites.get(), deniedNotifications.get());
    }

    /** True when NACM does not apply to this user at all (disabled, or a recovery session). */
    private boolean unrestricted(final NacmConfig cfg, final NacmUser user) {
        return !cfg.enabled() || recoveryUsers.contains(user.name());
    }

    /** The rules that apply to a user: rule-lists for its groups, in configured order, flattened. */
    private static List<NacmRule> rulesFor(final NacmConfig cfg, final NacmUser user) {
        final var groups = cfg.groupsOf(user);
        final var rules = new ArrayList<NacmRule>();
        for (var list : cfg.ruleLists()) {
            if (list.appliesTo(groups)) {
                rules.addAll(list.rules());
            }
        }
        return rules;
    }

    // ---- protocol operations (§3.4.4) -------------------------------------------------------------------

    /** May {@code user} invoke the operation {@code rpc}? A denial is counted in denied-operations. */
    public boolean permitsRpc(final NacmUser user, final QName rpc) {
        final var cfg = config;
        if (unrestricted(cfg, user)
                || (NETCONF_BASE.equals(rpc.getNamespace().toString()) && "close-session".equals(rpc.getLocalName()))) {
            return true;
        }
        final var module = schema.moduleByNamespace(rpc.getNamespace().toString());
        final var moduleName = module.map(Module::getName).orElse("");
        for (var rule : rulesFor(cfg, user)) {
            if (rule.coversModule(moduleName) && rule.operations().contains(AccessOperation.EXEC)
                    && switch (rule.target()) {
                        case RuleTarget.Any any -> true;
                        case RuleTarget.Rpc r -> "*".equals(r.name()) || rpc.getLocalName().equals(r.name());
                        default -> false;
                    }) {
                return count(rule.permit(), deniedOperations);
            }
        }
        final boolean denyAll = module.flatMap(m -> m.getRpcs().stream().filter(r -> r.getQName().equals(rpc))
            .findFirst()).map(r -> SchemaExtensions.has(r, SchemaExtensions.DEFAULT_DENY_ALL)).orElse(false)
            || NETCONF_BASE.equals(rpc.getNamespace().toString())
                && DENY_ALL_BASE_OPERATIONS.contains(rpc.getLocalName());
        return count(!denyAll && cfg.execPermit(), deniedOperations);
    }

    /**
     * May {@code user} invoke the YANG 1.1 action {@code action} on the data node {@code target} (e.g. reset on
     * one peer entry)? Data-node rules with exec access on the action's path decide (RFC 8341 §3.4.4 treats an
     * action as a protocol operation on its data node); without one, default-deny-all on the action or its
     * ancestors denies, else exec-default. A denial is counted in denied-operations.
     *
     * @param target the data node the action is invoked on, as NormalizedNode path arguments (list entries as
     *               NodeIdentifierWithPredicates; the MapNode and ChoiceNode wrappers may be present or not)
     */
    public boolean permitsAction(final NacmUser user, final List<PathArgument> target, final QName action) {
        final var cfg = config;
        if (unrestricted(cfg, user)) {
            return true;
        }
        final var path = new ArrayList<DataStep>();
        DataSchemaContext ctx = schemaTree.getRoot();
        boolean denyAll = false;
        for (var arg : target) {
            ctx = ctx instanceof DataSchemaContext.Composite composite ? composite.childByArg(arg) : null;
            denyAll |= ctx != null && SchemaExtensions.has(ctx.dataSchemaNode(), SchemaExtensions.DEFAULT_DENY_ALL);
            if (arg instanceof NodeIdentifierWithPredicates entry) {
                if (!path.isEmpty() && path.getLast().name().equals(entry.getNodeType()) && path.getLast().keys().isEmpty()) {
                    path.removeLast();
                }
                path.add(new DataStep(entry.getNodeType(), entry.asMap(), null));
            } else if (ctx == null || !(ctx.dataSchemaNode() instanceof ChoiceSchemaNode)) {
                path.add(DataStep.of(arg.getNodeType()));
            }
        }
        final var actionSchema = ctx == null ? null : findAction(ctx.dataSchemaNode(), action);
        denyAll |= SchemaExtensions.has(actionSchema, SchemaExtensions.DEFAULT_DENY_ALL);
        path.add(DataStep.of(action));
        return count(decide(rulesFor(cfg, user), path, AccessOperation.EXEC).orElse(!denyAll && cfg.execPermit()),
            deniedOperations);
    }

    private static Object findAction(final Object node, final QName action) {
        if (node instanceof org.opendaylight.yangtools.yang.model.api.ActionNodeContainer container) {
            return container.findAction(action).orElse(null);
        }
        return null;
    }

    /** The access-denied rpc-error for a refused operation (RFC 8341 §3.4.4). */
    public static RpcError operationDenied(final QName rpc) {
        return new RpcError(ErrorType.PROTOCOL, ErrorTag.ACCESS_DENIED, ErrorSeverity.ERROR, null, null,
            "access denied: operation " + rpc.getLocalName() + " is not permitted", List.of());
    }

    // ---- notifications (§3.4.6) -------------------------------------------------------------------------

    /** May {@code user} receive notification {@code type}? A denial is counted in denied-notifications. */
    public boolean permitsNotification(final NacmUser user, final QName type) {
        final var cfg = config;
        if (unrestricted(cfg, user) || NETMOD_NOTIFICATION.equals(type.getNamespace().toString())) {
            return true;
        }
        final var module = schema.moduleByNamespace(type.getNamespace().toString());
        final var moduleName = module.map(Module::getName).orElse("");
        for (var rule : rulesFor(cfg, user)) {
            if (rule.coversModule(moduleName) && rule.operations().contains(AccessOperation.READ)
                    && switch (rule.target()) {
                        case RuleTarget.Any any -> true;
                        case RuleTarget.Notification n -> "*".equals(n.name()) || type.getLocalName().equals(n.name());
                        default -> false;
                    }) {
                return count(rule.permit(), deniedNotifications);
            }
        }
        final boolean denyAll = module.flatMap(m -> m.getNotifications().stream()
            .filter(n -> n.getQName().equals(type)).findFirst())
            .map(n -> SchemaExtensions.has(n, SchemaExtensions.DEFAULT_DENY_ALL)).orElse(false);
        return count(!denyAll && cfg.readPermit(), deniedNotifications);
    }

    private static boolean count(final boolean permit, final AtomicLong denials) {
        if (!permit) {
            denials.incrementAndGet();
        }
        return permit;
    }

    // ---- data read (§3.4.5) -----------------------------------------------------------------------------

    /**
     * The part of {@code data} (a datastore root or a reply's data) {@code user} may read: unreadable nodes
     * are silently removed with their subtrees. Ancestors of readable nodes and the keys of kept list entries
     * stay, so the reply still says where the readable data sits.
     */
    public ContainerNode filterRead(final NacmUser user, final ContainerNode data) {
        final var cfg = config;
        if (unrestricted(cfg, user)) {
            return data;
        }
        final var reader = new Reader(cfg, rulesFor(cfg, user));
        final var kept = new ArrayList<NormalizedNode>();
        for (var child : data.body()) {
            final var pruned = reader.prune(child, schemaTree.getRoot().childByArg(child.name()), List.of(), false);
            if (pruned != null) {
                kept.add(pruned);
            }
        }
        return (ContainerNode) Trees.withChildren(data, kept);
    }

    private final class Reader {
        private final NacmConfig cfg;
        private final List<NacmRule> rules;

        Reader(final NacmConfig cfg, final List<NacmRule> rules) {
            this.cfg = cfg;
            this.rules = rules;
        }

        NormalizedNode prune(final NormalizedNode node, final DataSchemaContext ctx, final List<DataStep> parent,
                final boolean parentDenyAll) {
            final var schemaNode = ctx == null ? null : ctx.dataSchemaNode();
            final boolean denyAll = parentDenyAll || SchemaExtensions.has(schemaNode, SchemaExtensions.DEFAULT_DENY_ALL);
            final var step = stepOf(node);
            final var path = step == null ? parent : append(parent, step);
            final boolean permit = step != null && decide(rules, path, AccessOperation.READ)
                .orElse(!denyAll && cfg.readPermit());
            if (!Trees.isInterior(node)) {
                return permit ? node : null;
            }
            final var kept = new ArrayList<NormalizedNode>();
            for (var child : Trees.children(node)) {
                final var childCtx = ctx instanceof DataSchemaContext.Composite composite
                    ? composite.childByArg(child.name()) : null;
                final var pruned = prune(child, childCtx, path, denyAll);
                if (pruned != null) {
                    kept.add(pruned);
                }
            }
            if (kept.isEmpty() && !(permit && step != null)) {
                return null;
            }
            if (node instanceof MapEntryNode entry) {
                addMissingKeys(entry, kept);
            }
            return Trees.withChildren(node, kept);
        }
    }

    private static void addMissingKeys(final MapEntryNode entry, final List<NormalizedNode> kept) {
        final var present = kept.stream().map(NormalizedNode::name).toList();
        final var keys = Trees.keyLeaves(entry).stream().filter(k -> !present.contains(k.name())).toList();
        kept.addAll(0, keys);
    }

    // ---- data write (§3.4.5) ----------------------------------------------------------------------------

    /**
     * Checks the writes that turn {@code before} into {@code after} (two datastore roots: the target before and
     * after an edit-config, copy-config, delete-config or commit): every created node needs create access,
     * every deleted node delete access (each with its descendants), every changed leaf update access. The first
     * refused node gives an access-denied error naming it; a denial is counted in denied-data-writes.
     */
    public Optional<RpcError> checkWrite(final NacmUser user, final ContainerNode before, final ContainerNode after) {
        final var cfg = config;
        if (unrestricted(cfg, user)) {
            return Optional.empty();
        }
        final var writer = new Writer(cfg, rulesFor(cfg, user));
        final var denial = writer.diff(before, after, schemaTree.getRoot(), List.of(), false, true);
        if (denial == null) {
            return Optional.empty();
        }
        deniedDataWrites.incrementAndGet();
        return Optional.of(RpcError.application(ErrorTag.ACCESS_DENIED, null, errorPath(denial.path()),
            "access denied: " + denial.operation().bitName() + " of this node is not permitted"));
    }

    private record Denial(List<DataStep> path, AccessOperation operation) {
    }

    private final class Writer {
        private final NacmConfig cfg;
        private final List<NacmRule> rules;

        Writer(final NacmConfig cfg, final List<NacmRule> rules) {
            this.cfg = cfg;
            this.rules = rules;
        }

        /** {@code root}: the two nodes are datastore roots, which are no data node themselves. */
        Denial diff(final NormalizedNode before, final NormalizedNode after, final DataSchemaContext ctx,
                final List<DataStep> parent, final boolean parentProtected, final boolean root) {
            if (before == null) {
                return all(after, ctx, parent, parentProtected, AccessOperation.CREATE);
            }
            if (after == null) {
                return all(before, ctx, parent, parentProtected, AccessOperation.DELETE);
            }
            if (before == after) {
                // yangtools' data tree shares unmodified subtrees between versions: nothing written here.
                return null;
            }
            final var schemaNode = root || ctx == null ? null : ctx.dataSchemaNode();
            final boolean isProtected = parentProtected || isProtected(schemaNode);
            final var step = root ? null : stepOf(after);
            final var path = step == null ? parent : append(parent, step);
            if (!Trees.isInterior(after)) {
                return Objects.deepEquals(before.body(), after.body()) ? null
                    : check(path, isProtected, AccessOperation.UPDATE);
            }
            final var old = byName(before);
            final var now = byName(after);
            final var names = new java.util.LinkedHashSet<PathArgument>(old.keySet());
            names.addAll(now.keySet());
            for (var name : names) {
                final var childCtx = ctx instanceof DataSchemaContext.Composite composite
                    ? composite.childByArg(name) : null;
                final var denial = diff(old.get(name), now.get(name), childCtx, path, isProtected, false);
                if (denial != null) {
                    return denial;
                }
            }
            return null;
        }

        private Denial all(final NormalizedNode node, final DataSchemaContext ctx, final List<DataStep> parent,
                final boolean parentProtected, final AccessOperation op) {
            final boolean isProtected = parentProtected || isProtected(ctx == null ? null : ctx.dataSchemaNode());
            final var step = stepOf(node);
            final var path = step == null ? parent : append(parent, step);
            if (step != null) {
                final var denial = check(path, isProtected, op);
                if (denial != null) {
                    return denial;
                }
            }
            for (var child : Trees.children(node)) {
                final var childCtx = ctx instanceof DataSchemaContext.Composite composite
                    ? composite.childByArg(child.name()) : null;
                final var denial = all(child, childCtx, path, isProtected, op);
                if (denial != null) {
                    return denial;
                }
            }
            return null;
        }

        private Denial check(final List<DataStep> path, final boolean isProtected, final AccessOperation op) {
            final boolean permit = decide(rules, path, op).orElse(!isProtected && cfg.writePermit());
            return permit ? null : new Denial(path, op);
        }
    }

    private static boolean isProtected(final Object schemaNode) {
        return SchemaExtensions.has(schemaNode, SchemaExtensions.DEFAULT_DENY_ALL)
            || SchemaExtensions.has(schemaNode, SchemaExtensions.DEFAULT_DENY_WRITE);
    }

    private static Map<PathArgument, NormalizedNode> byName(final NormalizedNode node) {
        final var out = new LinkedHashMap<PathArgument, NormalizedNode>();
        for (var child : Trees.children(node)) {
            out.put(child.name(), child);
        }
        return out;
    }

    // ---- shared -----------------------------------------------------------------------------------------

    /** The action of the first rule matching a data node for an operation, if any rule matches (first wins). */
    private Optional<Boolean> decide(final List<NacmRule> rules, final List<DataStep> path, final AccessOperation op) {
        // module-name is the module defining the node itself (an augmenting module for augmented nodes).
        final var moduleName = schema.moduleByNamespace(path.getLast().name().getNamespace().toString())
            .map(Module::getName).orElse("");
        for (var rule : rules) {
            if (!rule.operations().contains(op)) {
                continue;
            }
            final boolean matches = switch (rule.target()) {
                // A rule without rule-type covers all data of its module.
                case RuleTarget.Any any -> rule.coversModule(moduleName);
                // A path names its nodes itself; module-name "*" or the module's name (RFC 8341 §3.4.5).
                case RuleTarget.DataNode data -> rule.coversModule(moduleName) && data.path().matches(path);
                default -> false;
            };
            if (matches) {
                return Optional.of(rule.permit());
            }
        }
        return Optional.empty();
    }

    /** The NACM step a node adds to its path; null for the wrappers NormalizedNode adds (lists, choices). */
    private static DataStep stepOf(final NormalizedNode node) {
        return switch (node) {
            case MapNode map -> null;
            case LeafSetNode<?> set -> null;
            case UnkeyedListNode list -> null;
            case ChoiceNode choice -> null;
            case MapEntryNode entry -> new DataStep(entry.name().getNodeType(), entry.name().asMap(), null);
            case LeafSetEntryNode<?> entry -> new DataStep(entry.name().getNodeType(), Map.of(), entry.body());
            default -> DataStep.of(node.name().getNodeType());
        };
    }

    private static List<DataStep> append(final List<DataStep> path, final DataStep step) {
        final var out = new ArrayList<DataStep>(path.size() + 1);
        out.addAll(path);
        out.add(step);
        return out;
    }

    private ErrorPath errorPath(final List<DataStep> path) {
        final var xpath = new StringBuilder();
        final var namespaces = new LinkedHashMap<String, String>();
        for (var step : path) {
            xpath.append('/').append(prefixed(step.name(), namespaces));
            step.keys().forEach((key, value) -> xpath.append('[').append(prefixed(key, namespaces)).append('=')
                .append(quote(value)).append(']'));
            if (step.value() != null) {
                xpath.append("[.=").append(quote(step.value())).append(']');
            }
        }
        return path.isEmpty() ? ErrorPath.ROOT : new ErrorPath(xpath.toString(), namespaces);
    }

    private String prefixed(final QName name, final Map<String, String> namespaces) {
        final var ns = name.getNamespace().toString();
        final var prefix = schema.prefixOf(ns);
        namespaces.put(prefix, ns);
        return prefix + ":" + name.getLocalName();
    }

    private static String quote(final Object value) {
        final var text = value instanceof QName q ? q.getLocalName() : String.valueOf(value);
        return text.indexOf('\'') < 0 ? "'" + text + "'" : "\"" + text + "\"";
    }

    /**
     * The RFC 8341 state counters as {@code /nacm} data (denied-operations, denied-data-writes,
     * denied-notifications), for the server to merge into {@code <get>} replies.
     */
    public ContainerNode stateData() {
        final var module = schema.moduleByNamespace(NacmConfig.NAMESPACE).orElseThrow().getQNameModule();
        final var counters = counters();
        return ImmutableNodes.newContainerBuilder()
            .withNodeIdentifier(new NodeIdentifier(QName.create(module, "nacm")))
            .withChild(ImmutableNodes.leafNode(QName.create(module, "denied-operations"),
                org.opendaylight.yangtools.yang.common.Uint32.saturatedOf(counters.deniedOperations())))
            .withChild(ImmutableNodes.leafNode(QName.create(module, "denied-data-writes"),
                org.opendaylight.yangtools.yang.common.Uint32.saturatedOf(counters.deniedDataWrites())))
            .withChild(ImmutableNodes.leafNode(QName.create(module, "denied-notifications"),
                org.opendaylight.yangtools.yang.common.Uint32.saturatedOf(counters.deniedNotifications())))
            .build();
    }
}

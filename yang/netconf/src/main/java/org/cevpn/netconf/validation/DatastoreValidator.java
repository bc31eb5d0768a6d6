package org.cevpn.netconf.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import javax.xml.xpath.XPathExpressionException;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.model.api.AnydataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.AnyxmlSchemaNode;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ContainerSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ElementCountConstraintAware;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.MandatoryAware;
import org.opendaylight.yangtools.yang.model.api.MustConstraintAware;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.stmt.DefaultEffectiveStatement;
import org.opendaylight.yangtools.yang.model.api.type.IdentityrefTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.InstanceIdentifierTypeDefinition;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Validates a complete datastore (the NormalizedNode root) against the rules yangtools' parser does not
 * enforce (RFC 7950 §8): mandatory leaves and choices everywhere (also directly under top-level non-presence
 * containers), min/max-elements, unique, leafref and instance-identifier require-instance, must and when,
 * and — for a configuration datastore — the absence of state (config false) nodes.
 *
 * <p>Works on a DOM view of the data completed with defaults (default leaves and non-presence containers,
 * RFC 7950 §6.4.1's accessible tree), so XPath sees what the model says is there. Thread-safe: every call
 * builds its own evaluation state.
 */
public final class DatastoreValidator {
    /** What the datastore may hold. */
    public enum Scope {
        /** A configuration datastore (running, candidate, startup): config false nodes are errors. */
        CONFIG,
        /** Configuration and state together (the result of a get). */
        CONFIG_AND_STATE
    }

    private final YangSchema schema;
    private final WhenConditions whens;
    /** Namespaces of the modules the server implements, or null: all of the schema's. */
    private final java.util.Set<String> implemented;

    public DatastoreValidator(final YangSchema schema) {
        this(schema, null);
    }

    /**
     * A validator for a server that implements only some modules of its schema and imports the others for their
     * groupings and types (RFC 8525 import-only modules): the VPN server imports cevpn-ce-device for the
     * vpn-configuration grouping but holds no {@code /ce-device}, whose top-level mandatory nodes must not be
     * required of it.
     *
     * @param implementedNamespaces the namespaces of the implemented modules; null: every module of the schema
     */
    public DatastoreValidator(final YangSchema schema, final java.util.Set<String> implementedNamespaces) {
        this.schema = schema;
        whens = new WhenConditions(schema.context());
        implemented = implementedNamespaces == null ? null : java.util.Set.copyOf(implementedNamespaces);
    }

    /**
     * Validates a datastore of the server: top-level mandatory nodes of every implemented module must be there,
     * whether or not the document has any data of that module.
     */
    public ValidationResult validate(final ContainerNode root, final Scope scope) {
        return new Run(DataDom.of(root, schema), scope, implemented).validate();
    }

    /**
     * Validates only the modules the document has top-level data of (yanglint's {@code --present}): the
     * view for a standalone document, e.g. a VPN database file checked against a schema that also holds the
     * CE model.
     */
    public ValidationResult validatePresentModules(final ContainerNode root, final Scope scope) {
        final var namespaces = new java.util.HashSet<String>();
        for (var child : root.body()) {
            namespaces.add(child.name().getNodeType().getNamespace().toString());
        }
        return new Run(DataDom.of(root, schema), scope, namespaces).validate();
    }

    /** One validation: its DOM, XPath state and the errors found so far. */
    private final class Run {
        private final Document dom;
        private final Scope scope;
        private final YangXPath xpath = new YangXPath(schema);
        private final ErrorPaths paths = new ErrorPaths(schema);
        private final List<RpcError> errors = new ArrayList<>();
        /** Namespaces whose top-level nodes are validated; null for all. */
        private final java.util.Set<String> topLevel;

        Run(final Document dom, final Scope scope, final java.util.Set<String> topLevel) {
            this.dom = dom;
            this.scope = scope;
            this.topLevel = topLevel;
        }

        private boolean covered(final DataNodeContainer container, final DataSchemaNode child) {
            return topLevel == null || container != schema.context()
                || topLevel.contains(child.getQName().getNamespace().toString());
        }

        ValidationResult validate() {
            final var data = dom.getDocumentElement();
            complete(data, schema.context(), List.of());
            check(data, schema.context(), List.of());
            return new ValidationResult(errors);
        }

        private boolean inScope(final DataSchemaNode node) {
            // effectiveConfig() is empty where config does not apply; data nodes default to config true
            return scope == Scope.CONFIG_AND_STATE || !Boolean.FALSE.equals(node.effectiveConfig().orElse(null));
        }

        // ---- pass 1: defaults (RFC 7950 §7.6.1, §7.9.3) ----

        private void complete(final Element element, final DataNodeContainer container, final List<QName> path) {
            for (var child : container.getChildNodes()) {
                if (!inScope(child) || !covered(container, child)) {
                    continue;
                }
                final var childPath = append(path, child.getQName());
                if (child instanceof ChoiceSchemaNode choice) {
                    final var active = activeCase(element, choice);
                    final var caseNode = active != null ? active
                        : choice.getDefaultCase().filter(c -> whensHold(element, choice, childPath)
                            && whensHold(element, c, append(childPath, c.getQName()))).orElse(null);
                    if (caseNode != null) {
                        complete(element, caseNode, append(childPath, caseNode.getQName()));
                    }
                    continue;
                }
                final var present = DataDom.children(element, child.getQName());
                if (present.isEmpty()) {
                    if (child instanceof ContainerSchemaNode c && !c.isPresenceContainer()
                            || child instanceof LeafSchemaNode leaf && defaultOf(leaf) != null) {
                        final var added = addImplicit(element, child);
                        if (whenHoldsFor(added, childPath)) {
                            if (child instanceof ContainerSchemaNode c) {
                                complete(added, c, childPath);
                            }
                        } else {
                            element.removeChild(added);
                            xpath.childrenChanged(element);
                        }
                    }
                    continue;
                }
                if (child instanceof DataNodeContainer inner) {
                    for (var e : present) {
                        complete(e, inner, childPath);
                    }
                }
            }
        }

        /** Adds a default leaf or an empty non-presence container that the document left out. */
        private Element addImplicit(final Element parent, final DataSchemaNode node) {
            final var qname = node.getQName();
            final var ns = qname.getNamespace().toString();
            final var e = dom.createElementNS(ns, schema.prefixOf(ns) + ":" + qname.getLocalName());
            if (node instanceof LeafSchemaNode leaf) {
                var value = defaultOf(leaf);
                if (leaf.getType() instanceof IdentityrefTypeDefinition && value.indexOf(':') > 0) {
                    // The default names the identity with a prefix of the module that wrote it.
                    final var p = value.substring(0, value.indexOf(':'));
                    final var module = schema.moduleByNamespace(ns).orElseThrow();
                    var target = module.getPrefix().equals(p) ? ns : null;
                    for (var imp : module.getImports()) {
                        if (imp.getPrefix().equals(p)) {
                            target = schema.moduleByName(imp.getModuleName().getLocalName())
                                .map(m -> m.getNamespace().toString()).orElse(null);
                        }
                    }
                    if (target != null) {
                        final var global = schema.prefixOf(target);
                        e.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:" + global, target);
                        value = global + value.substring(value.indexOf(':'));
                    }
                }
                e.setTextContent(value);
            }
            parent.appendChild(e);
            xpath.childrenChanged(parent);
            final var located = DataDom.find(parent == dom.getDocumentElement() ? schema.context()
                : (DataNodeContainer) DataDom.schemaOf(parent), qname);
            DataDom.setSchema(e, located != null ? located : new DataDom.Located(node, List.of(), List.of()));
            DataDom.markImplicit(e);
            return e;
        }

        private String defaultOf(final LeafSchemaNode leaf) {
            final var own = leaf.asEffectiveStatement()
                .findFirstEffectiveSubstatementArgument(DefaultEffectiveStatement.class);
            if (own.isPresent()) {
                return own.orElseThrow();
            }
            return leaf.getType().getDefaultValue().map(Object::toString).orElse(null);
        }

        private CaseSchemaNode activeCase(final Element element, final ChoiceSchemaNode choice) {
            for (var child : DataDom.elements(element)) {
                final var located = DataDom.locatedOf(child);
                if (located != null) {
                    final int i = located.choices().indexOf(choice);
                    if (i >= 0) {
                        return located.cases().get(i);
                    }
                }
            }
            return null;
        }

        // ---- pass 2: constraints ----

        private void check(final Element element, final DataNodeContainer container, final List<QName> path) {
            // Present children: state in config, when, must, leafref, then their subtrees.
            for (var child : DataDom.elements(element)) {
                final var node = DataDom.schemaOf(child);
                if (node == null) {
                    continue;
                }
                final var childPath = schemaPath(path, DataDom.locatedOf(child));
                if (!inScope(node)) {
                    errors.add(RpcError.application(ErrorTag.INVALID_VALUE, null, paths.of(child),
                        "state data (config false) " + node.getQName().getLocalName()
                            + " is not allowed in a configuration datastore",
                        ErrorInfo.badElement(node.getQName().getLocalName())));
                    continue;
                }
                if (!whenHoldsFor(child, childPath)) {
                    if (!DataDom.isImplicit(child)) {
                        errors.add(RpcError.application(ErrorTag.UNKNOWN_ELEMENT, null, paths.of(child),
                            "when condition of " + node.getQName().getLocalName() + " is false: "
                                + failedWhen, ErrorInfo.badElement(node.getQName().getLocalName())));
                    }
                    continue;
                }
                checkMusts(child, node);
                checkReference(child, node);
                if (node instanceof DataNodeContainer inner) {
                    check(child, inner, childPath);
                }
            }
            checkCardinality(element, container, path);
        }

        private void checkCardinality(final Element element, final DataNodeContainer container,
                final List<QName> path) {
            for (var child : container.getChildNodes()) {
                if (!inScope(child) || !covered(container, child)) {
                    continue;
                }
                final var childPath = append(path, child.getQName());
                if (child instanceof ChoiceSchemaNode choice) {
                    final var active = activeCase(element, choice);
                    if (active != null) {
                        checkCardinality(element, active, append(childPath, active.getQName()));
                    } else if (choice.isMandatory() && whensHold(element, choice, childPath)) {
                        errors.add(RpcError.application(ErrorTag.DATA_MISSING, "missing-choice", paths.of(element),
                            "mandatory choice " + choice.getQName().getLocalName() + " has no case present",
                            ErrorInfo.missingChoice(choice.getQName().getLocalName())));
                    }
                    continue;
                }
                final var present = DataDom.children(element, child.getQName());
                if (present.isEmpty() && child instanceof MandatoryAware m && m.isMandatory()
                        && (child instanceof LeafSchemaNode || child instanceof AnyxmlSchemaNode
                            || child instanceof AnydataSchemaNode)
                        && absentWhenHolds(element, child, childPath)) {
                    errors.add(RpcError.application(ErrorTag.DATA_MISSING, null,
                        paths.childOf(element, child.getQName()),
                        "mandatory " + kind(child) + " " + child.getQName().getLocalName() + " is missing",
                        ErrorInfo.badElement(child.getQName().getLocalName())));
                }
                if (child instanceof ElementCountConstraintAware counted
                        && counted.getElementCountConstraint().isPresent()) {
                    final var limits = counted.getElementCountConstraint().orElseThrow();
                    final int n = present.size();
                    if (limits.getMinElements() != null && n < limits.getMinElements()
                            && (n > 0 || absentWhenHolds(element, child, childPath))) {
                        errors.add(RpcError.application(ErrorTag.OPERATION_FAILED, "too-few-elements",
                            paths.childOf(element, child.getQName()), kind(child) + " "
                                + child.getQName().getLocalName() + " has " + n + " entries, fewer than min-elements "
                                + limits.getMinElements()));
                    }
                    if (limits.getMaxElements() != null && n > limits.getMaxElements()) {
                        errors.add(RpcError.application(ErrorTag.OPERATION_FAILED, "too-many-elements",
                            paths.childOf(element, child.getQName()), kind(child) + " "
                                + child.getQName().getLocalName() + " has " + n + " entries, more than max-elements "
                                + limits.getMaxElements()));
                    }
                }
                if (child instanceof ListSchemaNode list && present.size() > 1) {
                    checkUnique(list, present);
                }
            }
        }

        private static String kind(final DataSchemaNode node) {
            return switch (node) {
                case LeafSchemaNode l -> "leaf";
                case LeafListSchemaNode l -> "leaf-list";
                case ListSchemaNode l -> "list";
                case AnyxmlSchemaNode a -> "anyxml";
                case AnydataSchemaNode a -> "anydata";
                default -> "node";
            };
        }

        private void checkUnique(final ListSchemaNode list, final List<Element> entries) {
            for (var unique : list.getUniqueConstraints()) {
                // Entries grouped by their values of the unique leaves (entries lacking one are exempt).
                final var groups = new LinkedHashMap<List<String>, List<Element>>();
                for (var entry : entries) {
                    final var values = new ArrayList<String>();
                    for (var descendant : unique.argument()) {
                        Element e = entry;
                        for (var step : descendant.getNodeIdentifiers()) {
                            e = e == null ? null : DataDom.child(e, step);
                        }
                        if (e == null) {
                            break;
                        }
                        values.add(e.getTextContent());
                    }
                    if (values.size() == unique.argument().size()) {
                        groups.computeIfAbsent(values, k -> new ArrayList<>()).add(entry);
                    }
                }
                for (var group : groups.values()) {
                    if (group.size() < 2) {
                        continue;
                    }
                    // A datastore has no "first" entry of an unordered list: every entry of the clash is reported.
                    for (var entry : group) {
                        final var info = unique.argument().stream().map(d -> {
                            Element e = entry;
                            for (var step : d.getNodeIdentifiers()) {
                                e = DataDom.child(e, step);
                            }
                            return ErrorInfo.nonUnique(paths.of(e));
                        }).toArray(ErrorInfo[]::new);
                        errors.add(RpcError.application(ErrorTag.OPERATION_FAILED, "data-not-unique",
                            paths.of(entry), "unique constraint \"" + WhenConditions.raw(unique) + "\" of list "
                                + list.getQName().getLocalName() + " violated: " + group.size()
                                + " entries have the same values", info));
                    }
                }
            }
        }

        private void checkMusts(final Element element, final DataSchemaNode node) {
            if (!(node instanceof MustConstraintAware aware)) {
                return;
            }
            for (var must : aware.getMustConstraints()) {
                final var expr = WhenConditions.raw(must.asEffectiveStatement());
                final boolean holds;
                try {
                    holds = xpath.evaluateBoolean(expr, origin(node), element);
                } catch (XPathExpressionException e) {
                    errors.add(RpcError.application(ErrorTag.OPERATION_FAILED, null, paths.of(element),
                        "must \"" + expr + "\" of " + node.getQName().getLocalName() + " cannot be evaluated: "
                            + e.getMessage()));
                    continue;
                }
                if (!holds) {
                    errors.add(RpcError.application(ErrorTag.OPERATION_FAILED,
                        must.getErrorAppTag().orElse("must-violation"), paths.of(element),
                        must.getErrorMessage().orElse("must condition \"" + expr + "\" of "
                            + node.getQName().getLocalName() + " is not satisfied")));
                }
            }
        }

        private void checkReference(final Element element, final DataSchemaNode node) {
            if (!(node instanceof TypedDataSchemaNode typed)) {
                return;
            }
            final var type = typed.getType();
            final var leafref = YangXPath.leafrefOf(type);
            // yangtools reports require-instance false for the unrestricted built-in type, but RFC 7950 §9.13.2
            // makes true the default: only an explicit "require-instance false" (a restricted type) turns it off.
            final boolean instanceId = YangXPath.instanceIdentifierOf(type) instanceof InstanceIdentifierTypeDefinition iid
                && (iid.getBaseType() == null || iid.requireInstance());
            if (leafref == null && !instanceId || leafref != null && !leafref.requireInstance()) {
                return;
            }
            try {
                if (xpath.deref(element).isEmpty()) {
                    final var target = leafref != null ? leafref.getPathStatement().getOriginalString()
                        : "instance-identifier";
                    errors.add(RpcError.application(ErrorTag.DATA_MISSING, "instance-required", paths.of(element),
                        "required instance missing: " + node.getQName().getLocalName() + " refers to "
                            + target + " but no such instance exists",
                        ErrorInfo.badElement(node.getQName().getLocalName())));
                }
            } catch (org.jaxen.FunctionCallException e) {
                errors.add(RpcError.application(ErrorTag.OPERATION_FAILED, null, paths.of(element),
                    "reference of " + node.getQName().getLocalName() + " cannot be evaluated: " + e.getMessage()));
            }
        }

        // ---- when ----

        private String failedWhen = "";

        /** All whens that govern a present element: its own (at itself) and inherited ones (at its parent). */
        private boolean whenHoldsFor(final Element element, final List<QName> schemaPath) {
            final var node = DataDom.schemaOf(element);
            final var parent = (Element) element.getParentNode();
            final var located = DataDom.locatedOf(element);
            if (located != null) {
                // whens of the choices and cases the node sits in, evaluated at the parent
                for (int i = located.choices().size() - 1; i >= 0; i--) {
                    final var caseNode = located.cases().get(i);
                    final var choiceNode = located.choices().get(i);
                    if (!holds(WhenConditions.rawWhen(caseNode), caseNode, parent)
                            || !holds(WhenConditions.rawWhen(choiceNode), choiceNode, parent)) {
                        return false;
                    }
                }
            }
            for (var when : whens.inheritedAt(schemaPath)) {
                if (!evalWhen(when.expression(), new YangXPath.Origin(when.writtenIn(), node.getQName().getModule()),
                        parent)) {
                    return false;
                }
            }
            return holds(WhenConditions.rawWhen(node), node, element);
        }

        /** For an absent node (mandatory checks): its whens, the own one at a dummy node (§7.21.5). */
        private boolean absentWhenHolds(final Element parent, final DataSchemaNode node, final List<QName> path) {
            final var ns = node.getQName().getNamespace().toString();
            final var dummy = dom.createElementNS(ns, schema.prefixOf(ns) + ":" + node.getQName().getLocalName());
            final var located = DataDom.find(parent == dom.getDocumentElement() ? schema.context()
                : (DataNodeContainer) DataDom.schemaOf(parent), node.getQName());
            DataDom.setSchema(dummy, located != null ? located : new DataDom.Located(node, List.of(), List.of()));
            parent.appendChild(dummy);
            xpath.childrenChanged(parent);
            try {
                return whenHoldsFor(dummy, path);
            } finally {
                parent.removeChild(dummy);
                xpath.childrenChanged(parent);
            }
        }

        private boolean whensHold(final Element parent, final DataSchemaNode choiceOrCase, final List<QName> path) {
            return holds(WhenConditions.rawWhen(choiceOrCase), choiceOrCase, parent);
        }

        private boolean holds(final String expression, final DataSchemaNode node, final Element context) {
            return expression == null || evalWhen(expression, origin(node), context);
        }

        private boolean evalWhen(final String expression, final YangXPath.Origin origin, final Element context) {
            try {
                final boolean result = xpath.evaluateBoolean(expression, origin, context);
                if (!result) {
                    failedWhen = expression;
                }
                return result;
            } catch (XPathExpressionException e) {
                errors.add(RpcError.application(ErrorTag.OPERATION_FAILED, null, paths.of(context),
                    "when \"" + expression + "\" cannot be evaluated: " + e.getMessage()));
                return false;
            }
        }

        private static YangXPath.Origin origin(final DataSchemaNode node) {
            final var module = node.getQName().getModule();
            return new YangXPath.Origin(module, module);
        }

        private static List<QName> append(final List<QName> path, final QName name) {
            final var out = new ArrayList<QName>(path.size() + 1);
            out.addAll(path);
            out.add(name);
            return out;
        }

        /** Schema-tree path of a located child: parent path, then choice/case names, then the node. */
        private static List<QName> schemaPath(final List<QName> parentPath, final DataDom.Located located) {
            final var out = new ArrayList<>(parentPath);
            if (located != null) {
                for (int i = 0; i < located.choices().size(); i++) {
                    out.add(located.choices().get(i).getQName());
                    out.add(located.cases().get(i).getQName());
                }
                out.add(located.node().getQName());
            }
            return out;
        }
    }

}

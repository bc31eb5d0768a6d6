package org.cevpn.netconf.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.codec.xml.XmlCodec;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ContainerSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * RFC 6243 with-defaults retrieval. Our datastores keep what clients wrote (a leaf written with its default
 * value stays; a leaf never written is absent), which is the {@code explicit} basic mode. The other modes are
 * derived from the schema: {@code report-all} adds every default leaf of every node that exists (non-presence
 * containers included, and the default case of a choice with no case present), {@code trim} removes leaves
 * whose value is their default, {@code report-all-tagged} is report-all with {@code wd:default="true"} on the
 * default-valued leaves of the XML output ({@link #tagDefaults}).
 *
 * <p>Not covered: leaf-list defaults (YANG 1.1) are not added; nodes under a {@code when} are not added by
 * report-all (the condition is not evaluated here).
 */
public final class WithDefaults {
    public static final String CAPABILITY = "urn:ietf:params:netconf:capability:with-defaults:1.0"
        + "?basic-mode=explicit&also-supported=report-all,trim,report-all-tagged";
    /** Namespace of the wd:default attribute (RFC 6243 §6). */
    public static final String WD_NAMESPACE = "urn:ietf:params:xml:ns:netconf:default:1.0";

    public enum Mode {
        REPORT_ALL("report-all"),
        TRIM("trim"),
        EXPLICIT("explicit"),
        REPORT_ALL_TAGGED("report-all-tagged");

        private final String xmlValue;

        Mode(final String xmlValue) {
            this.xmlValue = xmlValue;
        }

        public String xmlValue() {
            return xmlValue;
        }

        /** The mode named by a {@code <with-defaults>} parameter; invalid-value when none is. */
        public static Mode of(final String value) throws ValidationException {
            for (var mode : values()) {
                if (mode.xmlValue.equals(value.trim())) {
                    return mode;
                }
            }
            throw new ValidationException(RpcError.application(ErrorTag.INVALID_VALUE, null, null,
                "with-defaults must be report-all, trim, explicit or report-all-tagged",
                ErrorInfo.badElement("with-defaults")));
        }
    }

    private final YangSchema schema;
    private final Map<LeafSchemaNode, Optional<Object>> defaults = new java.util.concurrent.ConcurrentHashMap<>();

    public WithDefaults(final YangSchema schema) {
        this.schema = schema;
    }

    /**
     * {@code data} (a datastore root, as stored: explicit mode) as {@code mode} reports it.
     *
     * @param configOnly true for get-config (report-all adds no config false defaults), false for get
     */
    public ContainerNode apply(final ContainerNode data, final Mode mode, final boolean configOnly) {
        return switch (mode) {
            case EXPLICIT -> data;
            case TRIM -> (ContainerNode) trim(data, schema.context());
            case REPORT_ALL, REPORT_ALL_TAGGED -> (ContainerNode) addDefaults(data, schema.context(), configOnly);
        };
    }

    // ---- trim -------------------------------------------------------------------------------------------

    private NormalizedNode trim(final NormalizedNode node, final Object schemaNode) {
        if (!Trees.isInterior(node)) {
            return node;
        }
        final var kept = new ArrayList<NormalizedNode>();
        for (var child : Trees.children(node)) {
            final var childSchema = childSchema(schemaNode, child);
            if (child instanceof LeafNode<?> leaf && childSchema instanceof LeafSchemaNode leafSchema
                    && !(node instanceof MapEntryNode entry && entry.name().keySet().contains(leaf.name().getNodeType()))
                    && defaultOf(leafSchema).map(d -> Objects.deepEquals(d, leaf.body())).orElse(false)) {
                continue;
            }
            kept.add(trim(child, childSchema));
        }
        return Trees.withChildren(node, kept);
    }

    // ---- report-all -------------------------------------------------------------------------------------

    private NormalizedNode addDefaults(final NormalizedNode node, final Object schemaNode, final boolean configOnly) {
        if (!Trees.isInterior(node)) {
            return node;
        }
        final var children = new ArrayList<NormalizedNode>();
        for (var child : Trees.children(node)) {
            children.add(addDefaults(child, childSchema(schemaNode, child), configOnly));
        }
        final DataNodeContainer container = switch (schemaNode) {
            case ChoiceSchemaNode choice -> activeCase(choice, node);
            case DataNodeContainer dnc when node instanceof DataContainerNode -> dnc;
            default -> null;
        };
        if (container != null) {
            final var present = children.stream().map(NormalizedNode::name).toList();
            for (var missing : defaultsFor(container, configOnly)) {
                if (!present.contains(missing.name())) {
                    children.add(missing);
                }
            }
        }
        return Trees.withChildren(node, children);
    }

    /** The default nodes of a schema container none of whose children exist yet (what report-all adds). */
    private List<NormalizedNode> defaultsFor(final DataNodeContainer container, final boolean configOnly) {
        final var out = new ArrayList<NormalizedNode>();
        for (var child : container.getChildNodes()) {
            // A node under a 'when' exists only while its condition holds; evaluating it is the validator's job,
            // so report-all does not invent such a node (idle-timeout of a permanent tunnel, for one).
            if (child instanceof org.opendaylight.yangtools.yang.model.api.WhenConditionAware aware
                    && aware.getWhenCondition().isPresent() || configOnly && !child.isConfiguration()) {
                continue;
            }
            switch (child) {
                case LeafSchemaNode leaf -> defaultOf(leaf).ifPresent(v -> out.add(ImmutableNodes.leafNode(leaf.getQName(), v)));
                case ContainerSchemaNode c when !c.isPresenceContainer() -> {
                    final var inner = defaultsFor(c, configOnly);
                    if (!inner.isEmpty()) {
                        final var b = ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(c.getQName()));
                        inner.forEach(n -> b.withChild((org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild) n));
                        out.add(b.build());
                    }
                }
                case ChoiceSchemaNode choice -> choice.getDefaultCase().ifPresent(caseNode -> {
                    final var inner = defaultsFor(caseNode, configOnly);
                    if (!inner.isEmpty()) {
                        final var b = ImmutableNodes.newChoiceBuilder().withNodeIdentifier(new NodeIdentifier(choice.getQName()));
                        inner.forEach(n -> b.withChild((org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild) n));
                        out.add(b.build());
                    }
                });
                default -> {
                }
            }
        }
        return out;
    }

    /** The case of a present ChoiceNode: the one declaring its first child. */
    private static CaseSchemaNode activeCase(final ChoiceSchemaNode choice, final NormalizedNode node) {
        for (var child : Trees.children(node)) {
            for (var caseNode : choice.getCases()) {
                if (caseNode.dataChildByName(child.name().getNodeType()) != null
                        || caseNode.getChildNodes().stream().anyMatch(c -> c instanceof ChoiceSchemaNode
                            && c.getQName().equals(child.name().getNodeType()))) {
                    return caseNode;
                }
            }
        }
        return null;
    }

    /** Schema of a child NormalizedNode: for list and leaf-list wrappers and their entries, the list itself. */
    private static Object childSchema(final Object parentSchema, final NormalizedNode child) {
        if (parentSchema instanceof ListSchemaNode list && child instanceof MapEntryNode) {
            return list;
        }
        if (parentSchema instanceof DataSchemaNode leafList && !(parentSchema instanceof DataNodeContainer)
                && !(parentSchema instanceof ChoiceSchemaNode)) {
            return leafList;
        }
        final var name = child.name().getNodeType();
        if (parentSchema instanceof ChoiceSchemaNode choice) {
            for (var caseNode : choice.getCases()) {
                final var found = caseNode.dataChildByName(name);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (parentSchema instanceof DataNodeContainer container) {
            return container.dataChildByName(name);
        }
        return null;
    }

    /** The typed default of a leaf (parsed with the schema's XML codec, prefixes as in its module). */
    private Optional<Object> defaultOf(final LeafSchemaNode leaf) {
        return defaults.computeIfAbsent(leaf, this::parseDefault);
    }

    private Optional<Object> parseDefault(final LeafSchemaNode leaf) {
        final var text = leaf.getType().getDefaultValue();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            final var codec = (XmlCodec<Object>) schema.xmlCodecs().codecFor(leaf, type -> {
                throw new UnsupportedOperationException("leafref default");
            });
            return Optional.of(codec.parseValue(moduleNamespaces(leaf), text.orElseThrow().toString()));
        } catch (RuntimeException e) {
            // A default our codec cannot read (a leafref's): report it as absent rather than guess a value.
            return Optional.empty();
        }
    }

    private NamespaceContext moduleNamespaces(final LeafSchemaNode leaf) {
        final var byPrefix = new HashMap<String, String>();
        schema.moduleByNamespace(leaf.getQName().getNamespace().toString()).ifPresent(module -> {
            byPrefix.put(module.getPrefix(), module.getNamespace().toString());
            for (var imp : module.getImports()) {
                schema.moduleByName(imp.getModuleName().getLocalName())
                    .ifPresent(m -> byPrefix.put(imp.getPrefix(), m.getNamespace().toString()));
            }
        });
        return new NamespaceContext() {
            @Override
            public String getNamespaceURI(final String prefix) {
                return byPrefix.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
            }

            @Override
            public String getPrefix(final String namespaceURI) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(final String namespaceURI) {
                return java.util.Collections.emptyIterator();
            }
        };
    }

    // ---- report-all-tagged ------------------------------------------------------------------------------

    /**
     * Adds {@code wd:default="true"} to every leaf element of an XML rendering of data (the children of
     * {@code wrapper}, e.g. a reply's {@code <data>}) whose value is its schema default (RFC 6243 §3.4).
     * Returns the number of leaves tagged.
     */
    public int tagDefaults(final Element wrapper) {
        return tag(wrapper, schema.context());
    }

    private int tag(final Element parent, final DataNodeContainer parentSchema) {
        int tagged = 0;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e) || e.getNamespaceURI() == null) {
                continue;
            }
            final var module = schema.moduleByNamespace(e.getNamespaceURI());
            if (module.isEmpty()) {
                continue;
            }
            final var child = find(parentSchema, org.opendaylight.yangtools.yang.common.QName.create(
                module.orElseThrow().getQNameModule(), e.getLocalName()));
            if (child instanceof LeafSchemaNode leaf) {
                final var def = defaultOf(leaf);
                if (def.isPresent() && Objects.deepEquals(def.orElseThrow(), parseText(leaf, e))) {
                    e.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:wd", WD_NAMESPACE);
                    e.setAttributeNS(WD_NAMESPACE, "wd:default", "true");
                    tagged++;
                }
            } else if (child instanceof DataNodeContainer container) {
                tagged += tag(e, container);
            }
        }
        return tagged;
    }

    private Object parseText(final LeafSchemaNode leaf, final Element element) {
        try {
            @SuppressWarnings("unchecked")
            final var codec = (XmlCodec<Object>) schema.xmlCodecs().codecFor(leaf, type -> {
                throw new UnsupportedOperationException("leafref");
            });
            return codec.parseValue(new NamespaceContext() {
                @Override
                public String getNamespaceURI(final String prefix) {
                    final var ns = element.lookupNamespaceURI(prefix.isEmpty() ? null : prefix);
                    return ns == null ? XMLConstants.NULL_NS_URI : ns;
                }

                @Override
                public String getPrefix(final String namespaceURI) {
                    return null;
                }

                @Override
                public Iterator<String> getPrefixes(final String namespaceURI) {
                    return java.util.Collections.emptyIterator();
                }
            }, element.getTextContent().trim());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static DataSchemaNode find(final DataNodeContainer parent,
            final org.opendaylight.yangtools.yang.common.QName name) {
        final var direct = parent.dataChildByName(name);
        if (direct != null) {
            return direct;
        }
        for (var child : parent.getChildNodes()) {
            if (child instanceof ChoiceSchemaNode choice) {
                for (var caseNode : choice.getCases()) {
                    final var inner = find(caseNode, name);
                    if (inner != null) {
                        return inner;
                    }
                }
            }
        }
        return null;
    }

}

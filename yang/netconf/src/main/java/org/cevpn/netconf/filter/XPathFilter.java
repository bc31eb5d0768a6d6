package org.cevpn.netconf.filter;

import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.jaxen.JaxenException;
import org.jaxen.SimpleNamespaceContext;
import org.jaxen.XPathFunctionContext;
import org.jaxen.BaseXPath;
import org.jaxen.dom.DocumentNavigator;
import org.opendaylight.yangtools.yang.common.Empty;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The {@code :xpath} capability's filter (RFC 6241 §8.9): the {@code select} expression is evaluated against
 * the datastore as an XML document whose root holds the top-level data nodes; every selected node is returned
 * with its subtree, its ancestors and the keys of the list entries on the way. Prefixes in the expression are
 * the in-scope namespace declarations of the filter element.
 *
 * <p>The engine is Jaxen, the XPath 1.0 implementation the validator uses. The validator's own wrapper
 * (YangXPath, DataDom) is internal to its package and bound to schema-wide prefixes and YANG's functions for
 * must/when; a filter needs the request's prefixes and plain XPath 1.0's core function library, so it builds
 * its document here, remembering which NormalizedNode each element stands for.
 */
public final class XPathFilter {
    private final YangSchema schema;
    private final String select;
    private final Map<String, String> namespaces;

    /**
     * @param select     the select attribute
     * @param namespaces prefix to namespace URI, from the filter element's in-scope declarations
     * @throws ValidationException invalid-value when the expression does not parse
     */
    public XPathFilter(final YangSchema schema, final String select, final Map<String, String> namespaces)
            throws ValidationException {
        this.schema = schema;
        this.select = select;
        this.namespaces = Map.copyOf(namespaces);
        try {
            compile(null);
        } catch (JaxenException | RuntimeException e) {
            throw new ValidationException(RpcError.application(ErrorTag.INVALID_VALUE, null, null,
                "the select expression of the XPath filter does not parse: " + e.getMessage(),
                ErrorInfo.badElement("filter")));
        }
    }

    /**
     * The expression bound to a document whose root is {@code root}: a NETCONF datastore has several top-level
     * nodes, which one XML document cannot hold, so they sit under a {@code <data>} element that the navigator
     * presents as the document root ("/" is {@code <data>}, "/ce:ce-device" its child).
     */
    private BaseXPath compile(final Element root) throws JaxenException {
        final var xpath = new BaseXPath(select, new DocumentNavigator() {
            @Override
            public Object getDocumentNode(final Object contextNode) {
                return root != null ? root : super.getDocumentNode(contextNode);
            }

            @Override
            public Object getParentNode(final Object child) {
                return child == root ? null : super.getParentNode(child);
            }
        });
        xpath.setNamespaceContext(new SimpleNamespaceContext(namespaces));
        // XPath 1.0's core function library only, none of Jaxen's extensions.
        xpath.setFunctionContext(new XPathFunctionContext(false));
        return xpath;
    }

    /** Prefix bindings in scope at {@code element} (inner declarations win), for the select expression. */
    public static Map<String, String> inScopeNamespaces(final Element element) {
        final var out = new java.util.HashMap<String, String>();
        for (Node n = element; n instanceof Element e; n = n.getParentNode()) {
            final var attrs = e.getAttributes();
            for (int i = 0; i < attrs.getLength(); i++) {
                final var a = (Attr) attrs.item(i);
                if ("http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI()) && "xmlns".equals(a.getPrefix())) {
                    out.putIfAbsent(a.getLocalName(), a.getValue());
                }
            }
        }
        return out;
    }

    /** The selected part of {@code data}; throws invalid-value when evaluation fails (an unbound prefix...). */
    public ContainerNode apply(final ContainerNode data) throws ValidationException {
        final var rendered = new Rendered();
        final Document doc = rendered.render(data);
        final List<?> hits;
        try {
            hits = compile(doc.getDocumentElement()).selectNodes(doc.getDocumentElement());
        } catch (JaxenException | RuntimeException e) {
            throw new ValidationException(RpcError.application(ErrorTag.INVALID_VALUE, null, null,
                "the XPath filter cannot be evaluated: " + e.getMessage(), ErrorInfo.badElement("filter")));
        }
        // By path, not identity: yangtools materializes leaf nodes afresh on each access.
        final Set<List<PathArgument>> selected = new java.util.HashSet<>();
        for (var hit : hits) {
            Node node = hit instanceof Attr attr ? attr.getOwnerElement() : hit instanceof Node n ? n : null;
            while (node != null && !(node instanceof Element)) {
                node = node.getParentNode();
            }
            if (node == doc.getDocumentElement()) {
                return data;
            }
            if (node != null && rendered.nodeOf.get(node) != null) {
                selected.add(rendered.nodeOf.get(node));
            }
        }
        final var kept = new ArrayList<NormalizedNode>();
        for (var child : data.body()) {
            final var pruned = keep(child, List.of(child.name()), selected);
            if (pruned != null) {
                kept.add(pruned);
            }
        }
        return (ContainerNode) Trees.withChildren(data, kept);
    }

    /** A node selected is kept whole; any other is kept when something under it is, as an ancestor. */
    private static NormalizedNode keep(final NormalizedNode node, final List<PathArgument> path,
            final Set<List<PathArgument>> selected) {
        if (selected.contains(path)) {
            return node;
        }
        if (!Trees.isInterior(node)) {
            return null;
        }
        final var kept = new ArrayList<NormalizedNode>();
        for (var child : Trees.children(node)) {
            final var childPath = new ArrayList<>(path);
            childPath.add(child.name());
            final var pruned = keep(child, childPath, selected);
            if (pruned != null) {
                kept.add(pruned);
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        if (node instanceof MapEntryNode entry) {
            final var names = kept.stream().map(NormalizedNode::name).toList();
            kept.addAll(0, Trees.keyLeaves(entry).stream().filter(k -> !names.contains(k.name())).toList());
        }
        return Trees.withChildren(node, kept);
    }

    /** The data as a DOM (elements named as in XML encoding, leaf values as their XML text). */
    private final class Rendered {
        final Map<Node, List<PathArgument>> nodeOf = new IdentityHashMap<>();
        private Document doc;

        Document render(final ContainerNode data) {
            try {
                doc = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().newDocument();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException("JDK DOM unavailable", e);
            }
            final var root = doc.createElementNS(ErrorInfo.NETCONF_BASE, "data");
            doc.appendChild(root);
            for (var child : data.body()) {
                append(root, child, List.of(child.name()));
            }
            return doc;
        }

        private void append(final Element parent, final NormalizedNode node, final List<PathArgument> path) {
            switch (node) {
                case ChoiceNode choice -> choice.body().forEach(c -> append(parent, c, plus(path, c)));
                case MapNode map -> map.body().forEach(c -> append(parent, c, plus(path, c)));
                case LeafSetNode<?> set -> set.body().forEach(c -> append(parent, c, plus(path, c)));
                case UnkeyedListNode list -> list.body().forEach(c -> append(parent, c, plus(path, c)));
                default -> {
                    final QName name = node.name().getNodeType();
                    final var element = doc.createElementNS(name.getNamespace().toString(), name.getLocalName());
                    parent.appendChild(element);
                    nodeOf.put(element, path);
                    if (Trees.isInterior(node)) {
                        Trees.children(node).forEach(c -> append(element, c, plus(path, c)));
                    } else {
                        element.setTextContent(text(node.body()));
                    }
                }
            }
        }

        private static List<PathArgument> plus(final List<PathArgument> path, final NormalizedNode child) {
            final var out = new ArrayList<PathArgument>(path.size() + 1);
            out.addAll(path);
            out.add(child.name());
            return out;
        }

        private String text(final Object value) {
            return switch (value) {
                case QName q -> prefixOrNamespace(q) + ":" + q.getLocalName();
                case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
                case Set<?> bits -> String.join(" ", bits.stream().map(Object::toString).toList());
                case Empty empty -> "";
                default -> String.valueOf(value);
            };
        }

        private String prefixOrNamespace(final QName q) {
            try {
                return schema.prefixOf(q.getNamespace().toString());
            } catch (IllegalArgumentException e) {
                return "ns";
            }
        }
    }
}

package org.cevpn.netconf.validation;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cevpn.netconf.ErrorPath;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Builds error-paths (RFC 6241 §4.3: an absolute XPath to the node at fault) with each module's prefix and
 * list-key predicates, e.g. {@code /ce:ce-device/ce:peers/ce:peer[ce:name='b2']/ce:address}.
 */
public final class ErrorPaths {
    private final YangSchema schema;

    public ErrorPaths(final YangSchema schema) {
        this.schema = schema;
    }

    /** Path of a data element of the validation DOM (elements below the document's wrapper element). */
    ErrorPath of(final Element element) {
        final var steps = new java.util.ArrayDeque<Element>();
        for (Node n = element; n instanceof Element e && DataDom.schemaOf(e) != null; n = n.getParentNode()) {
            steps.push(e);
        }
        if (steps.isEmpty()) {
            return ErrorPath.ROOT;
        }
        final var b = new Builder();
        for (var e : steps) {
            final var ns = e.getNamespaceURI();
            b.step(ns, e.getLocalName());
            final var node = DataDom.schemaOf(e);
            if (node instanceof ListSchemaNode list) {
                for (QName key : list.getKeyDefinition()) {
                    final var keyElement = DataDom.child(e, key);
                    if (keyElement != null) {
                        b.predicate(key.getNamespace().toString(), key.getLocalName(), keyElement.getTextContent());
                    }
                }
            } else if (node instanceof org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode) {
                b.valuePredicate(e.getTextContent());
            }
        }
        return b.build();
    }

    /** Path of a node reached through NormalizedNode path arguments (choice arguments already left out). */
    public ErrorPath of(final List<PathArgument> args) {
        final var b = new Builder();
        for (var arg : args) {
            final var qname = arg.getNodeType();
            b.step(qname.getNamespace().toString(), qname.getLocalName());
            if (arg instanceof NodeIdentifierWithPredicates nip) {
                for (var entry : nip.entrySet()) {
                    b.predicate(entry.getKey().getNamespace().toString(), entry.getKey().getLocalName(),
                        b.valueText(entry.getValue()));
                }
            } else if (arg instanceof NodeWithValue<?> nwv) {
                b.valuePredicate(b.valueText(nwv.getValue()));
            }
        }
        return b.build();
    }

    /** Path of a child named {@code qname} (which may not exist) of {@code parent}. */
    ErrorPath childOf(final Element parent, final QName qname) {
        final var base = DataDom.schemaOf(parent) == null ? ErrorPath.ROOT : of(parent);
        final var ns = new LinkedHashMap<>(base.namespaces());
        final var prefix = prefixFor(qname.getNamespace().toString());
        ns.put(prefix, qname.getNamespace().toString());
        final var xpath = (base.xpath().equals("/") ? "" : base.xpath()) + "/" + prefix + ":" + qname.getLocalName();
        return new ErrorPath(xpath, ns);
    }

    private String prefixFor(final String namespace) {
        try {
            return schema.prefixOf(namespace);
        } catch (IllegalArgumentException e) {
            return "ns";
        }
    }

    static String quote(final String value) {
        // XPath 1.0 literals have no escapes: pick the quote the value does not contain.
        return value.indexOf('\'') < 0 ? "'" + value + "'" : "\"" + value + "\"";
    }

    private final class Builder {
        private final StringBuilder xpath = new StringBuilder();
        private final Map<String, String> namespaces = new LinkedHashMap<>();

        void step(final String namespace, final String localName) {
            xpath.append('/').append(prefix(namespace)).append(':').append(localName);
        }

        void predicate(final String namespace, final String localName, final String value) {
            xpath.append('[').append(prefix(namespace)).append(':').append(localName).append('=')
                .append(quote(value)).append(']');
        }

        void valuePredicate(final String value) {
            xpath.append("[.=").append(quote(value)).append(']');
        }

        String valueText(final Object value) {
            return switch (value) {
                case QName q -> prefix(q.getNamespace().toString()) + ":" + q.getLocalName();
                case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
                case Set<?> bits -> String.join(" ", bits.stream().map(Object::toString).sorted().toList());
                default -> String.valueOf(value);
            };
        }

        private String prefix(final String namespace) {
            final var prefix = prefixFor(namespace);
            namespaces.put(prefix, namespace);
            return prefix;
        }

        ErrorPath build() {
            return new ErrorPath(xpath.length() == 0 ? "/" : xpath.toString(), namespaces);
        }
    }
}

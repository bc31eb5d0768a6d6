package org.cevpn.netconf.filter;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.Empty;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * RFC 6241 §6 subtree filtering over a NormalizedNode datastore. The filter's elements are read as §6.2 says:
 * <ul>
 * <li>namespace selection (§6.2.1): a filter element in a namespace matches data in that namespace only; one
 *     without a namespace ({@code xmlns=""}) matches the name in any module;</li>
 * <li>attribute match (§6.2.2): our instance data carries no XML attributes, so a filter element with an
 *     attribute (other than namespace declarations) matches nothing;</li>
 * <li>containment nodes (§6.2.3): elements with child elements — their children filter the node's children;</li>
 * <li>selection nodes (§6.2.4): empty elements — the matching nodes are returned whole;</li>
 * <li>content match nodes (§6.2.5): elements with text only — all of a sibling set must equal the data for the
 *     parent to be kept; when a sibling set holds nothing but content match nodes, the parent is returned whole.
 *     On a leaf-list, a content match selects the entries with that value.</li>
 * </ul>
 * Kept list entries always carry their keys, so the reply says which entry it is. Several filter elements for
 * the same node (one per list entry wanted, for example) select the union of what each selects.
 */
public final class SubtreeFilter {
    private final YangSchema schema;
    private final List<Element> top;

    /** @param filterElement the {@code <filter type="subtree">} element (or any element holding the filter). */
    public SubtreeFilter(final YangSchema schema, final Element filterElement) {
        this.schema = schema;
        this.top = elements(filterElement);
    }

    /** The selected part of {@code data} (a datastore root); empty when the filter selects nothing. */
    public ContainerNode apply(final ContainerNode data) {
        if (top.isEmpty()) {
            // An empty filter selects nothing (RFC 6241 §6.4.2).
            return (ContainerNode) Trees.withChildren(data, List.of());
        }
        final var result = level(data, top, true);
        return result == null ? (ContainerNode) Trees.withChildren(data, List.of()) : (ContainerNode) result;
    }

    /** Applies one sibling set of filter elements to the children of {@code parent}; null: parent not selected. */
    private NormalizedNode level(final NormalizedNode parent, final List<Element> filters, final boolean root) {
        final var contentMatch = new ArrayList<Element>();
        final var others = new ArrayList<Element>();
        for (var f : filters) {
            if (isContentMatch(f)) {
                contentMatch.add(f);
            } else {
                others.add(f);
            }
        }
        // Content match nodes first: each must hold for this parent, or nothing of it is selected.
        final var matchedLeaves = new LinkedHashMap<PathArgument, NormalizedNode>();
        for (var f : contentMatch) {
            if (hasAttributes(f)) {
                return null;
            }
            final var text = f.getTextContent().trim();
            boolean any = false;
            for (var candidate : flatChildren(parent)) {
                if (!nameMatches(f, candidate)) {
                    continue;
                }
                if (candidate instanceof LeafSetNode<?> set) {
                    final var entries = set.body().stream().filter(e -> valueMatches(text, e.body()))
                        .map(e -> (NormalizedNode) e).toList();
                    if (!entries.isEmpty()) {
                        matchedLeaves.merge(set.name(), Trees.withChildren(set, entries), SubtreeFilter::union);
                        any = true;
                    }
                } else if (!Trees.isInterior(candidate) && valueMatches(text, candidate.body())) {
                    matchedLeaves.put(candidate.name(), candidate);
                    any = true;
                }
            }
            if (!any) {
                return null;
            }
        }
        if (others.isEmpty() && !root) {
            return parent;
        }
        final var selected = new LinkedHashMap<PathArgument, NormalizedNode>(matchedLeaves);
        for (var f : others) {
            if (hasAttributes(f)) {
                continue;
            }
            final var children = elements(f);
            for (var candidate : flatChildren(parent)) {
                if (!nameMatches(f, candidate)) {
                    continue;
                }
                final NormalizedNode picked;
                if (children.isEmpty()) {
                    picked = candidate;
                } else if (candidate instanceof MapNode || candidate instanceof UnkeyedListNode
                        || candidate instanceof LeafSetNode<?>) {
                    final var entries = new ArrayList<NormalizedNode>();
                    for (var entry : Trees.children(candidate)) {
                        final var kept = level(entry, children, false);
                        if (kept != null) {
                            entries.add(kept);
                        }
                    }
                    picked = entries.isEmpty() ? null : Trees.withChildren(candidate, entries);
                } else if (Trees.isInterior(candidate)) {
                    picked = level(candidate, children, false);
                } else {
                    picked = null;
                }
                if (picked != null) {
                    selected.merge(picked.name(), picked, SubtreeFilter::union);
                }
            }
        }
        if (selected.isEmpty() && (contentMatch.isEmpty() || root)) {
            return null;
        }
        final var kept = new ArrayList<NormalizedNode>();
        if (parent instanceof MapEntryNode entry) {
            for (var key : Trees.keyLeaves(entry)) {
                if (!selected.containsKey(key.name())) {
                    kept.add(key);
                }
            }
        }
        kept.addAll(regroup(parent, selected));
        return Trees.withChildren(parent, kept);
    }

    /** Puts selected nodes that sit inside choices back under (copies of) their ChoiceNodes. */
    private static List<NormalizedNode> regroup(final NormalizedNode parent, final Map<PathArgument, NormalizedNode> selected) {
        final var out = new ArrayList<NormalizedNode>();
        for (var child : Trees.children(parent)) {
            if (child instanceof ChoiceNode choice) {
                final var inner = regroup(choice, selected);
                if (!inner.isEmpty()) {
                    out.add(Trees.withChildren(choice, inner));
                }
            } else {
                final var picked = selected.get(child.name());
                if (picked != null) {
                    out.add(picked);
                }
            }
        }
        return out;
    }

    /** Two selections of the same node merged: what either selected. */
    static NormalizedNode union(final NormalizedNode a, final NormalizedNode b) {
        if (!Trees.isInterior(a)) {
            return a;
        }
        final var merged = new LinkedHashMap<PathArgument, NormalizedNode>();
        for (var c : Trees.children(a)) {
            merged.put(c.name(), c);
        }
        for (var c : Trees.children(b)) {
            merged.merge(c.name(), c, SubtreeFilter::union);
        }
        return Trees.withChildren(a, merged.values());
    }

    /** Children of a data node with choices looked through (choices have no element of their own). */
    private static List<NormalizedNode> flatChildren(final NormalizedNode parent) {
        final var out = new ArrayList<NormalizedNode>();
        for (var child : Trees.children(parent)) {
            if (child instanceof ChoiceNode choice) {
                out.addAll(flatChildren(choice));
            } else {
                out.add(child);
            }
        }
        return out;
    }

    private static boolean nameMatches(final Element filter, final NormalizedNode data) {
        final QName name = data.name().getNodeType();
        final var ns = filter.getNamespaceURI();
        return name.getLocalName().equals(localName(filter))
            && (ns == null || ns.isEmpty() || ns.equals(name.getNamespace().toString()));
    }

    private static String localName(final Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    /** Content match compares the XML text of the value; identities by name, prefixes being the writer's. */
    private boolean valueMatches(final String text, final Object value) {
        return switch (value) {
            case QName q -> text.equals(q.getLocalName()) || text.endsWith(":" + q.getLocalName())
                && text.substring(0, text.indexOf(':')).equals(schema.prefixOf(q.getNamespace().toString()));
            case byte[] bytes -> text.equals(Base64.getEncoder().encodeToString(bytes));
            case Set<?> bits -> Set.of(text.split("\\s+")).equals(bits.stream().map(Object::toString)
                .collect(java.util.stream.Collectors.toSet()));
            case Empty empty -> text.isEmpty();
            default -> text.equals(String.valueOf(value));
        };
    }

    /** A content match node: text and no child elements (§6.2.5); whitespace-only text is a selection node. */
    private static boolean isContentMatch(final Element e) {
        return elements(e).isEmpty() && !e.getTextContent().trim().isEmpty();
    }

    private static boolean hasAttributes(final Element e) {
        final var attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            final var a = (Attr) attrs.item(i);
            if (!"http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI())) {
                return true;
            }
        }
        return false;
    }

    static List<Element> elements(final Node parent) {
        final var out = new ArrayList<Element>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

}

package org.cevpn.netconf.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jaxen.NamedAccessNavigator;
import org.jaxen.UnsupportedAxisException;
import org.jaxen.dom.DocumentNavigator;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Jaxen's DOM navigator with the children of each node indexed by name. YANG lists are siblings under one
 * parent, so a step like {@code ../../vpn} from inside one of 10,000 {@code ce-device} entries would otherwise
 * scan all 10,000 siblings on every evaluation (quadratic over the datastore); with the index it visits only
 * the {@code vpn} elements. Indexes are built on first use and dropped when the validator changes a node's
 * children ({@link #childrenChanged}).
 */
final class IndexedDomNavigator extends DocumentNavigator implements NamedAccessNavigator {
    private static final long serialVersionUID = 1L;

    private final transient Map<Node, Map<String, List<Element>>> index = new IdentityHashMap<>();

    void childrenChanged(final Node parent) {
        index.remove(parent);
    }

    @Override
    public Iterator<?> getChildAxisIterator(final Object contextNode, final String localName,
            final String namespacePrefix, final String namespaceURI) {
        if (!(contextNode instanceof Node node)) {
            return Collections.emptyIterator();
        }
        final var byName = index.computeIfAbsent(node, IndexedDomNavigator::indexChildren);
        return byName.getOrDefault(key(namespaceURI, localName), List.of()).iterator();
    }

    @Override
    public Iterator<?> getAttributeAxisIterator(final Object contextNode, final String localName,
            final String namespacePrefix, final String namespaceURI) throws UnsupportedAxisException {
        final var matching = new ArrayList<Object>();
        for (var it = getAttributeAxisIterator(contextNode); it.hasNext();) {
            if (it.next() instanceof Attr attr && localName.equals(attr.getLocalName() != null
                    ? attr.getLocalName() : attr.getName())
                    && equalsNs(namespaceURI, attr.getNamespaceURI())) {
                matching.add(attr);
            }
        }
        return matching.iterator();
    }

    private static Map<String, List<Element>> indexChildren(final Node parent) {
        final var byName = new HashMap<String, List<Element>>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                byName.computeIfAbsent(key(e.getNamespaceURI(), e.getLocalName()), k -> new ArrayList<>()).add(e);
            }
        }
        return byName;
    }

    private static String key(final String namespace, final String localName) {
        return (namespace == null ? "" : namespace) + '\u0000' + localName;
    }

    private static boolean equalsNs(final String a, final String b) {
        return (a == null || a.isEmpty()) ? b == null || b.isEmpty() : a.equals(b);
    }
}

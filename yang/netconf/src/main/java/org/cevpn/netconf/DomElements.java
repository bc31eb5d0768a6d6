package org.cevpn.netconf;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The element children of a DOM node: what NETCONF messages are read by, text and comments in between ignored. */
public final class DomElements {
    private DomElements() {
    }

    /** The first child element named {@code localName} (any namespace), or null. */
    public static Element child(final Node parent, final String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** Every child element, in document order. */
    public static List<Element> children(final Node parent) {
        final var list = new ArrayList<Element>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                list.add(e);
            }
        }
        return list;
    }
}

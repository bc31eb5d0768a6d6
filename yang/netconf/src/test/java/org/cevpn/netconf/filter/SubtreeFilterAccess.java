package org.cevpn.netconf.filter;

import java.util.List;
import org.w3c.dom.Element;

/** Test access to the filter package's element helper. */
public final class SubtreeFilterAccess {
    private SubtreeFilterAccess() {
    }

    /** A DOM element from XML text. */
    public static Element parse(final String xml) {
        return FilterTestSupport.element(xml);
    }

    public static List<Element> elements(final Element parent) {
        return SubtreeFilter.elements(parent);
    }
}

package org.cevpn.netconf.filter;

import java.util.List;
import org.w3c.dom.Element;

/** Test access to the filter package's element helper. */
public final class SubtreeFilterAccess {
    private SubtreeFilterAccess() {
    }

    public static List<Element> elements(final Element parent) {
        return SubtreeFilter.elements(parent);
    }
}

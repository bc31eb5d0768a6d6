package org.cevpn.netconf.nacm;

import java.util.Map;
import org.opendaylight.yangtools.yang.common.QName;

/**
 * One step of a data node's path as NACM sees it: the node's name plus, for a list entry, its keys and, for a
 * leaf-list entry, its value. Choices, cases and the list/leaf-list wrappers of NormalizedNode have no step:
 * NACM paths (like XPath) name data nodes only.
 */
record DataStep(QName name, Map<QName, Object> keys, Object value) {
    DataStep {
        keys = Map.copyOf(keys);
    }

    static DataStep of(final QName name) {
        return new DataStep(name, Map.of(), null);
    }
}

package org.cevpn.netconf.server;

import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.filter.Filter;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.w3c.dom.Element;

/** Subtree (RFC 6241 §6) and XPath (§8.9) filters, from the {@code org.cevpn.netconf.filter} package. */
public final class PolicyReadFilter implements ReadFilter {
    private final YangSchema schema;

    public PolicyReadFilter(final YangSchema schema) {
        this.schema = schema;
    }

    @Override
    public ContainerNode select(final Element filter, final ContainerNode data) throws RpcException {
        try {
            return Filter.parse(schema, filter, true).apply(data);
        } catch (ValidationException e) {
            throw new RpcException(e.errors());
        }
    }

    @Override
    public boolean supportsXPath() {
        return true;
    }
}

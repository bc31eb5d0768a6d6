package org.cevpn.netconf.server;

import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.datastore.RpcException;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.w3c.dom.Element;

/**
 * Where the {@code <filter>} of get and get-config (RFC 6241 §6 subtree, §8.9 XPath) plugs in. The real
 * implementation is the {@code org.cevpn.netconf.filter} package. Until it is wired in, {@link #UNSUPPORTED}
 * answers any filter with operation-not-supported rather than ignoring it (an ignored filter would hand the
 * client more data than it asked for), and the hello does not advertise {@code :xpath}.
 */
public interface ReadFilter {
    /** The part of {@code data} the filter selects. */
    ContainerNode select(Element filter, ContainerNode data) throws RpcException;

    /** Whether XPath filters are supported (decides the {@code :xpath} capability). */
    boolean supportsXPath();

    ReadFilter UNSUPPORTED = new ReadFilter() {
        @Override
        public ContainerNode select(final Element filter, final ContainerNode data) throws RpcException {
            throw RpcException.protocol(ErrorTag.OPERATION_NOT_SUPPORTED,
                "filters are not supported by this server yet: ask without <filter>");
        }

        @Override
        public boolean supportsXPath() {
            return false;
        }

        @Override
        public String toString() {
            return "ReadFilter.UNSUPPORTED";
        }
    };
}

package org.cevpn.netconf.server;

import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/**
 * The application's state data (config false nodes) for {@code get} (RFC 6241 §7.7): given the running
 * configuration, returns it with the state nodes added where the schema puts them (e.g. a tunnel's state
 * inside its peer list entry). Access control, filters and with-defaults then apply to the whole tree, as
 * to configuration. Called on the session's thread, once per {@code get}.
 */
@FunctionalInterface
public interface StateData {
    ContainerNode addState(ContainerNode running);
}

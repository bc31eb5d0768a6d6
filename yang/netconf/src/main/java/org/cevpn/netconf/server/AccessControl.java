package org.cevpn.netconf.server;

import org.cevpn.netconf.datastore.RpcException;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/**
 * Where NETCONF access control (RFC 8341 NACM) plugs into the server: may this user run this operation, and
 * which part of the data may he read. Write checks are the datastore's {@code WriteGuard}. The real
 * implementation is the {@code org.cevpn.netconf.nacm} package; until it is wired in, {@link #PERMIT_ALL}.
 */
public interface AccessControl {
    /** Refuses (access-denied) an operation the user may not execute. */
    void checkExecute(String user, String namespace, String operation) throws RpcException;

    /** Refuses (access-denied) a YANG action on a data node the user may not invoke it on. */
    default void checkAction(final String user,
            final java.util.List<org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument> target,
            final org.opendaylight.yangtools.yang.common.QName action) throws RpcException {
    }

    /** The part of {@code data} the user may read (RFC 8341 §3.4.5: the rest is silently left out). */
    ContainerNode readable(String user, ContainerNode data);

    /** A session began: its id is how the datastores' write checks know the user. */
    default void sessionStarted(final long session, final String user) {
    }

    default void sessionEnded(final long session) {
    }

    /** No access control at all: every user may run everything and read everything. */
    AccessControl PERMIT_ALL = new AccessControl() {
        @Override
        public void checkExecute(final String user, final String namespace, final String operation) {
            // permits everything, by definition
        }

        @Override
        public ContainerNode readable(final String user, final ContainerNode data) {
            return data;
        }

        @Override
        public String toString() {
            return "AccessControl.PERMIT_ALL";
        }
    };
}

package org.cevpn.netconf.datastore;

import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/**
 * Checked before a session's change replaces a datastore: where NACM's write rules (RFC 8341 §3.4.5: create,
 * update, delete per node) plug in. The real one is in {@code org.cevpn.netconf.nacm}; {@link #PERMIT_ALL}
 * lets every session write everything.
 */
@FunctionalInterface
public interface WriteGuard {
    /** Throws access-denied when the session may not turn {@code before} into {@code after}. */
    void check(long session, Datastore target, ContainerNode before, ContainerNode after) throws RpcException;

    WriteGuard PERMIT_ALL = (session, target, before, after) -> { };
}

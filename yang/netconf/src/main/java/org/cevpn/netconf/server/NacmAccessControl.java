package org.cevpn.netconf.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.datastore.WriteGuard;
import org.cevpn.netconf.nacm.Nacm;
import org.cevpn.netconf.nacm.NacmUser;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/**
 * RFC 8341 access control for the server, from the {@code org.cevpn.netconf.nacm} package: operations are
 * checked before dispatch, reads are trimmed to what the user may see, and every session's write to a
 * datastore passes {@link Nacm#checkWrite} (this object is also the datastores' {@link WriteGuard}).
 * The rules are read from running at start and after every change of running.
 */
public final class NacmAccessControl implements AccessControl, WriteGuard {
    private final Nacm nacm;
    private final YangSchema schema;
    /** The user of each open session: the datastores know sessions by id only. */
    private final Map<Long, String> users = new ConcurrentHashMap<>();

    public NacmAccessControl(final Nacm nacm, final YangSchema schema) {
        this.nacm = nacm;
        this.schema = schema;
    }

    /** Reads the NACM rules from running now and after each change of it. */
    public void follow(final Datastores datastores) {
        nacm.configure(datastores.snapshot(Datastore.RUNNING).root());
        datastores.addRunningListener(snapshot -> nacm.configure(snapshot.root()));
    }

    @Override
    public void sessionStarted(final long session, final String user) {
        users.put(session, user);
    }

    @Override
    public void sessionEnded(final long session) {
        users.remove(session);
    }

    @Override
    public void checkExecute(final String user, final String namespace, final String operation)
            throws RpcException {
        final var module = schema.moduleByNamespace(namespace);
        final var rpc = module.isPresent() ? QName.create(module.orElseThrow().getQNameModule(), operation)
            : QName.create(namespace, operation);
        if (!nacm.permitsRpc(NacmUser.of(user), rpc)) {
            throw new RpcException(Nacm.operationDenied(rpc));
        }
    }

    @Override
    public void checkAction(final String user,
            final java.util.List<org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument> target,
            final QName action) throws RpcException {
        if (!nacm.permitsAction(NacmUser.of(user), target, action)) {
            throw new RpcException(Nacm.operationDenied(action));
        }
    }

    @Override
    public ContainerNode readable(final String user, final ContainerNode data) {
        return nacm.filterRead(NacmUser.of(user), data);
    }

    @Override
    public void check(final long session, final Datastore target, final ContainerNode before,
            final ContainerNode after) throws RpcException {
        final var user = users.get(session);
        if (user == null) {
            throw new IllegalStateException("write by unknown session " + session);
        }
        final var denied = nacm.checkWrite(NacmUser.of(user), before, after);
        if (denied.isPresent()) {
            throw new RpcException(denied.orElseThrow());
        }
    }
}

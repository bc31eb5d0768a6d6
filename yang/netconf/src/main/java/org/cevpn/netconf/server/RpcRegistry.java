package org.cevpn.netconf.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cevpn.netconf.datastore.RpcException;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.w3c.dom.Element;

/**
 * The application RPCs of our YANG modules (the agent's and controller's own operations), each served by a
 * handler the agent or controller registers under the RPC's QName.
 *
 * <p>The input reaches the handler parsed against the RPC's {@code input} statement (types, unknown elements,
 * mandatory input leaves; not must/when), as a NormalizedNode container, with the DOM beside it.
 * YANG actions ({@code <action xmlns="urn:ietf:params:xml:ns:yang:1">}, RFC 7950 §7.15.2) are registered by
 * the action's QName; their handler also gets the data node they were invoked on (which must exist in running).
 */
public final class RpcRegistry {
    /** Serves one RPC: the reply body (XML inside {@code <rpc-reply>}), or null for {@code <ok/>}. */
    @FunctionalInterface
    public interface Handler {
        String invoke(long sessionId, String user, ContainerNode input, Element element) throws RpcException;
    }

    /** Serves one action on one data node. */
    @FunctionalInterface
    public interface ActionHandler {
        String invoke(long sessionId, String user, org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier target,
            ContainerNode input, Element element) throws RpcException;
    }

    private final Map<QName, Handler> handlers = new ConcurrentHashMap<>();
    private final Map<QName, ActionHandler> actions = new ConcurrentHashMap<>();

    public void registerAction(final QName action, final ActionHandler handler) {
        if (actions.putIfAbsent(action, handler) != null) {
            throw new IllegalStateException("action " + action + " already has a handler");
        }
    }

    Optional<ActionHandler> findAction(final QName action) {
        return Optional.ofNullable(actions.get(action));
    }

    public void register(final QName rpc, final Handler handler) {
        if (handlers.putIfAbsent(rpc, handler) != null) {
            throw new IllegalStateException("RPC " + rpc + " already has a handler");
        }
    }

    Optional<Handler> find(final QName rpc) {
        return Optional.ofNullable(handlers.get(rpc));
    }
}

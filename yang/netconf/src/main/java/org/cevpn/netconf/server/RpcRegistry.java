package org.cevpn.netconf.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cevpn.netconf.datastore.RpcException;
import org.opendaylight.yangtools.yang.common.QName;
import org.w3c.dom.Element;

/**
 * The application RPCs of our YANG modules (the agent's and controller's own operations), each served by a
 * handler the agent or controller registers under the RPC's QName.
 *
 * <p>Not done yet: the input is handed over as the DOM of the RPC element; it is not parsed against the
 * RPC's input schema here, so a handler must read it defensively.
 */
public final class RpcRegistry {
    /** Serves one RPC: the reply body (XML inside {@code <rpc-reply>}), or null for {@code <ok/>}. */
    @FunctionalInterface
    public interface Handler {
        String invoke(long sessionId, String user, Element input) throws RpcException;
    }

    private final Map<QName, Handler> handlers = new ConcurrentHashMap<>();

    public void register(final QName rpc, final Handler handler) {
        if (handlers.putIfAbsent(rpc, handler) != null) {
            throw new IllegalStateException("RPC " + rpc + " already has a handler");
        }
    }

    Optional<Handler> find(final QName rpc) {
        return Optional.ofNullable(handlers.get(rpc));
    }
}

package org.cevpn.agent.pull;

import java.util.function.Supplier;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.server.RpcRegistry;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.w3c.dom.Element;

/**
 * The {@code resync} RPC of cevpn-ce-device: a pull now; the version in effect and whether it changed, or the
 * rpc-error the model names — resource-denied/server-unreachable when the VPN server cannot be reached, the
 * validation errors when the pulled configuration was refused.
 */
public final class ResyncRpc implements RpcRegistry.Handler {
    private final QNameModule ce;
    private final Supplier<PullClient> pull;

    /** @param pull the agent's pull client, null while the agent is starting */
    public ResyncRpc(QNameModule ce, Supplier<PullClient> pull) {
        this.ce = ce;
        this.pull = pull;
    }

    @Override
    public String invoke(long sessionId, String user, ContainerNode input, Element element) throws RpcException {
        PullClient client = pull.get();
        if (client == null) {
            throw RpcException.application(ErrorTag.OPERATION_FAILED, "the agent is starting");
        }
        PullClient.PullReport report;
        try {
            report = client.resync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RpcException.application(ErrorTag.OPERATION_FAILED, "interrupted");
        }
        switch (report.outcome()) {
            case "unreachable" -> throw new RpcException(RpcError.application(ErrorTag.RESOURCE_DENIED, "server-unreachable", null,
                    report.error().orElse("VPN server unreachable")));
            case "rejected" -> throw new RpcException(report.errors());
            default -> { }
        }
        if (report.appliedVersion() == 0) {
            throw RpcException.application(ErrorTag.OPERATION_FAILED,
                    "the VPN server holds no VPN configuration for this CE: none is in effect");
        }
        String ns = ce.namespace().toString();
        return "<configuration-version xmlns=\"" + ns + "\">" + report.appliedVersion() + "</configuration-version><updated xmlns=\""
                + ns + "\">" + report.updated() + "</updated>";
    }
}

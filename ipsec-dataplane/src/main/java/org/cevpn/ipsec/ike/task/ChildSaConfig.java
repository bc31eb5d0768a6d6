package org.cevpn.ipsec.ike.task;

import java.util.List;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.TrafficSelector;

/**
 * The child SA a tunnel carries: ESP proposals (SPI left empty: each exchange fills in a fresh
 * one) and the traffic selectors of our side and the peer's side, e.g. the customer subnets of
 * the two sites (draft-ietf-l3vpn-ce-based §4).
 *
 * <p>{@code transportMode}: the child SA is a transport-mode SA (RFC 7296 §1.3.1, USE_TRANSPORT_MODE),
 * e.g. protecting IP-in-IP between the two CE addresses (RFC 3884, draft §5); the initiator asks for it
 * and the responder only agrees when its own configuration says transport too, so a mode mismatch is
 * a refused child SA rather than an SA whose packets one side would drop.
 */
public record ChildSaConfig(List<Proposal> proposals, List<TrafficSelector> local, List<TrafficSelector> remote,
                            boolean transportMode) {
    /** A tunnel-mode child SA. */
    public ChildSaConfig(List<Proposal> proposals, List<TrafficSelector> local, List<TrafficSelector> remote) {
        this(proposals, local, remote, false);
    }

    public ChildSaConfig {
        proposals = List.copyOf(proposals);
        local = List.copyOf(local);
        remote = List.copyOf(remote);
        if (proposals.isEmpty() || local.isEmpty() || remote.isEmpty()) {
            throw new IllegalArgumentException("a child SA needs proposals and selectors on both sides");
        }
        for (Proposal p : proposals) {
            if (p.protocolId() != ProtocolId.ESP.value()) {
                throw new IllegalArgumentException("child SA proposals are ESP");
            }
        }
    }
}

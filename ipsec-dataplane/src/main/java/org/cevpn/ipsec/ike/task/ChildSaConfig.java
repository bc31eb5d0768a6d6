package org.cevpn.ipsec.ike.task;

import java.util.List;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.TrafficSelector;

/**
 * The child SA a tunnel carries: ESP proposals (SPI left empty: each exchange fills in a fresh
 * one) and the traffic selectors of our side and the peer's side, e.g. the customer subnets of
 * the two sites (draft-ietf-l3vpn-ce-based §4).
 */
public record ChildSaConfig(List<Proposal> proposals, List<TrafficSelector> local, List<TrafficSelector> remote) {
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

package org.cevpn.ipsec.ike.task;

import java.util.List;
import org.cevpn.ipsec.ike.crypto.ChildSaKeys;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.TrafficSelector;

/**
 * A negotiated child SA pair, ready for the ESP data plane: the chosen ESP proposal, our inbound
 * SPI (the peer sends to it), the peer's (we send to it), the keys (initiator-to-responder and
 * back, see {@link ChildSaKeys}), the narrowed selectors, ours and the peer's, and whether both
 * sides agreed on transport mode (USE_TRANSPORT_MODE, RFC 7296 §1.3.1).
 */
public record ChildSaResult(Proposal chosen, int inboundSpi, int outboundSpi, ChildSaKeys keys, boolean weInitiated,
                            List<TrafficSelector> local, List<TrafficSelector> remote, boolean transportMode) {
    /** A tunnel-mode child SA. */
    public ChildSaResult(Proposal chosen, int inboundSpi, int outboundSpi, ChildSaKeys keys, boolean weInitiated,
                         List<TrafficSelector> local, List<TrafficSelector> remote) {
        this(chosen, inboundSpi, outboundSpi, keys, weInitiated, local, remote, false);
    }

    public ChildSaResult {
        local = List.copyOf(local);
        remote = List.copyOf(remote);
    }
}

package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import java.util.List;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.IkeInitConfig;

/**
 * One CE's IKE settings: its address and IKE ports (500 and 4500 in production), its IKE proposals, its peers (an IKE_SA_INIT from anyone else is
 * refused: the draft's CEs only talk to provisioned peers), the half-open count that turns on
 * COOKIEs, the retransmission schedule and the largest IKE datagram before RFC 7383 fragmentation.
 */
public record EngineConfig(InetAddress localAddress, int ikePort, int natTPort, IkeInitConfig ike, List<PeerConfig> peers,
                           int cookieThreshold, RetransmitPolicy retransmit, int maxDatagram) {
    public EngineConfig {
        peers = List.copyOf(peers);
        if (cookieThreshold < 1 || maxDatagram < 576) {
            throw new IllegalArgumentException("cookie threshold >= 1, datagrams of at least 576 octets (RFC 7383 §2.5.1)");
        }
    }
}

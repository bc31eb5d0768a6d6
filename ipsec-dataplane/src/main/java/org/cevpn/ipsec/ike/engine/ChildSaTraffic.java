package org.cevpn.ipsec.ike.engine;

import org.cevpn.ipsec.ike.task.ChildSaResult;

/**
 * What the tunnel supervisor needs to know from the ESP data plane about a child SA: packet
 * counters, which prove the peer alive (inbound) and the tunnel in use (both directions).
 */
public interface ChildSaTraffic {
    /** Packets received on the child SA's inbound SPI; 0 if it is not installed. */
    long inboundPackets(ChildSaResult child);

    /** Packets sent on the child SA's outbound SPI; 0 if it is not installed. */
    long outboundPackets(ChildSaResult child);
}

package org.cevpn.ipsec.dataplane;

import org.cevpn.ipsec.esp.IpPacketView;

/**
 * Told when a VPN-side packet finds no outbound SA (the packet itself is dropped and counted as
 * NO_SA): the trigger for a traffic-driven tunnel (draft §3.4), like the kernel's XFRM "acquire".
 * Called on the data plane's outbound thread for every such packet: implementations must be
 * quick and not block (e.g. note the destination and let the IKE thread act on it).
 */
@FunctionalInterface
public interface TrafficWithoutSa {
    /** {@code packet} is valid only during the call. */
    void onPacketWithoutSa(IpPacketView packet);
}

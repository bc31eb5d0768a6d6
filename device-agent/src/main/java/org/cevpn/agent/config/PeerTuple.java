package org.cevpn.agent.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A peer tuple (draft §3.3): &lt;peer CE address, authentication, SA information, tunnel information&gt;,
 * with the peer's CE id (its IKEv2 identity), its VPN, and the traffic selectors: the peer site's prefixes
 * (remote) and this site's prefixes in that VPN (local). The SA proposals are resolved: the peer's own
 * sa-information, else the VPN's sa-defaults, else the model's defaults. A value: equal tuples need no
 * change to the tunnel.
 */
public record PeerTuple(InetAddress spAddress, String ceId, String vpnId, Authentication authentication,
                        IkeProposal ike, ChildSaProposal childSa, TunnelInformation tunnel,
                        List<IpPrefix> remotePrefixes, List<IpPrefix> localPrefixes) {
    public PeerTuple {
        remotePrefixes = List.copyOf(remotePrefixes);
        localPrefixes = List.copyOf(localPrefixes);
    }
}

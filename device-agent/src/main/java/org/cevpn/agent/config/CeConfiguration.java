package org.cevpn.agent.config;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * The committed configuration of this CE: its id, its pre-configuration, and — once the VPN server has
 * provisioned it — the configuration version and the peer tuples by peer SP address (a pair of CEs shares
 * at most one VPN, so the address names the tunnel).
 */
public record CeConfiguration(String ceId, PreConfiguration preConfiguration, Optional<Long> configurationVersion,
                              Map<InetAddress, PeerTuple> peers) {
    public CeConfiguration {
        peers = Map.copyOf(peers);
    }
}

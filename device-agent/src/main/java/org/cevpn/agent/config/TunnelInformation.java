package org.cevpn.agent.config;

import java.time.Duration;

/**
 * The tunnel information of a peer tuple (draft §3.3): permanent or traffic-driven, tunnel mode IPsec or
 * transport mode over IP-in-IP, dynamic routing through it or not; {@code idleTimeout} is
 * {@link Duration#ZERO} for a permanent tunnel (it is never torn down for idleness).
 */
public record TunnelInformation(Establishment establishment, IpsecMode ipsecMode, boolean dynamicRouting,
                                Duration idleTimeout) {
    public enum Establishment { PERMANENT, TRAFFIC_DRIVEN }

    public enum IpsecMode { TUNNEL, TRANSPORT_IP_IN_IP }

    public static final TunnelInformation DEFAULT =
            new TunnelInformation(Establishment.PERMANENT, IpsecMode.TUNNEL, false, Duration.ZERO);

    public boolean permanent() {
        return establishment == Establishment.PERMANENT;
    }
}

package org.cevpn.agent.reconcile;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.cevpn.agent.config.IpPrefix;

/**
 * What a routing daemon adapter calls (draft §4.3): the routes it learned over the tunnel to a dynamic-routing
 * peer, i.e. the destinations that peer's IP-in-IP interface leads to. The first one is usually the peer's
 * end of the point-to-point link (a host route), so that the routing protocol's own packets can cross; every
 * route takes effect on the installed child SAs from the next packet and on every later one (rekeys, a new
 * tunnel after a failure). A destination has one next hop: a route that overlaps one via another peer is
 * refused rather than left to the data plane's SA order (it does no longest-prefix match between peers).
 */
public interface TunnelRoutes {
    /**
     * Routes {@code prefix} through the tunnel to {@code peer}; returns once the data plane carries it.
     *
     * @throws IllegalArgumentException when {@code peer} is not a configured dynamic-routing peer, or the prefix
     *                                  overlaps a route through another peer
     */
    void addRoute(InetAddress peer, IpPrefix prefix);

    /** Withdraws a learned route (configured remote prefixes stay); returns once the data plane no longer carries it. */
    void removeRoute(InetAddress peer, IpPrefix prefix);

    /** The learned routes by peer. */
    Map<InetAddress, List<IpPrefix>> learnedRoutes();
}

package org.cevpn.ipsec.ike.task;

import java.net.InetSocketAddress;

/** The addresses and ports an IKE message travelled between, as this side sees them. */
public record Endpoints(InetSocketAddress local, InetSocketAddress remote) {
}

package org.cevpn.ipsec.ike.engine;

import java.net.InetSocketAddress;

/**
 * A datagram the engine wants sent: the UDP payload (already with the four-zero non-ESP marker
 * when it goes to port 4500, RFC 3948 §2.2) and where to.
 */
public record Outbound(byte[] payload, InetSocketAddress to) {
}

package org.cevpn.ipsec.ike.engine;

import java.net.InetSocketAddress;

/**
 * An IKE message the engine wants sent, and where to: {@code viaNatT} means from our NAT-T port
 * (4500) with the four-zero non-ESP marker in front (RFC 3948 §2.2), which the socket layer adds
 * ({@code UdpSockets.sendIke} of the data plane does).
 */
public record Outbound(byte[] message, InetSocketAddress to, boolean viaNatT) {
    /** The UDP payload: the message, behind the non-ESP marker when it goes via NAT-T. */
    public byte[] udpPayload() {
        if (!viaNatT) {
            return message.clone();
        }
        byte[] out = new byte[4 + message.length];
        System.arraycopy(message, 0, out, 4, message.length);
        return out;
    }
}

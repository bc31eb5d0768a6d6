package org.cevpn.ipsec.dataplane;

import java.net.InetSocketAddress;

/**
 * One IKE message as received: the bytes after any non-ESP marker, the sender, and whether it came
 * on the NAT-T port (so the reply goes back the same way).
 */
public record IkeDatagram(byte[] message, InetSocketAddress from, boolean viaNatT) {
    @Override
    public String toString() {
        return "IkeDatagram[" + message.length + " bytes from " + from + (viaNatT ? " via 4500" : " via 500") + "]";
    }
}

package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import org.cevpn.ipsec.ike.task.IkeAuthConfig;

/**
 * A peer CE this CE builds a tunnel with (draft-ietf-l3vpn-ce-based §4: the VPN server tells each
 * CE its peers): its address and IKE ports (500 and 4500 unless a test says otherwise), and the
 * IKE_AUTH settings (identities, credentials, child SA).
 */
public record PeerConfig(InetAddress address, int ikePort, int natTPort, IkeAuthConfig auth) {
    public PeerConfig(InetAddress address, IkeAuthConfig auth) {
        this(address, 500, 4500, auth);
    }
}

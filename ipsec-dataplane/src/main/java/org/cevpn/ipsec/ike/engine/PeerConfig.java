package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import org.cevpn.ipsec.ike.task.IkeAuthConfig;

/**
 * A peer CE this CE builds a tunnel with (draft-ietf-l3vpn-ce-based §4: the VPN server tells each
 * CE its peers): its address, and the IKE_AUTH settings (identities, credentials, child SA).
 */
public record PeerConfig(InetAddress address, IkeAuthConfig auth) {
}

package org.cevpn.ipsec.esp;

/**
 * The two ways draft-ietf-l3vpn-ce-based §5 uses IPsec between CEs.
 *
 * <p>Both carry the customer's packet as the ESP payload with next header 4 (IPv4) or 41 (IPv6). Over
 * UDP encapsulation (RFC 3948) the outer IP header comes from the kernel's socket, so the two modes
 * produce the same bytes on the wire; they differ in what the SA's selectors mean and what inbound
 * processing checks.
 */
public enum Mode {
    /**
     * Tunnel mode: the SA's selectors are the customer prefixes; an inner packet is protected by the SA
     * whose selectors it matches, and an inbound inner packet must match them too.
     */
    TUNNEL,
    /**
     * Transport mode over an IP-in-IP tunnel (RFC 3884): the customer packet is IP-in-IP encapsulated
     * between the two CE addresses and the SA protects protocol 4 between exactly those addresses. The
     * SA's selectors are the routes of the virtual IP-in-IP interface (prefixes reachable via that peer
     * CE); inbound, the outer source must be the peer CE and the next header must be IP-in-IP, after
     * which the IP-in-IP decapsulation function checks the inner packet against the tunnel's routes.
     */
    TRANSPORT_IPIP
}

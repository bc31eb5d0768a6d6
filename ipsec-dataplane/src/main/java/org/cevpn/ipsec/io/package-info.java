/**
 * Packet I/O: the VPN-side {@link org.cevpn.ipsec.io.PacketPort} (TUN device through FFM, or in memory
 * for tests) and the SP-side {@link org.cevpn.ipsec.io.UdpSockets} (UDP/4500 with RFC 3948
 * encapsulation, UDP/500 for IKE).
 */
package org.cevpn.ipsec.io;

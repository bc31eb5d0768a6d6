/**
 * One CE's data plane: the loops joining the VPN side and the SP side through the SAD, the inbound
 * classifier of draft-ietf-l3vpn-ce-based §6.2 (ESP, IKE, NAT keepalive, counted drops), the hand-off
 * to the IKE engine ({@link org.cevpn.ipsec.dataplane.IkeSink}), and a runnable main with static SAs.
 */
package org.cevpn.ipsec.dataplane;

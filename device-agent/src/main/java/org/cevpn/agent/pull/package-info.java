/**
 * The pull client (draft §3.3, §3.5): the CE fetches its VPN configuration from the VPN server with the
 * pull-configuration RPC of cevpn-vpn-database, over NETCONF/SSH with the pre-configuration's server host key and
 * client key (user name: the ce-id). It pulls at start, every pull-interval, when the server's
 * configuration-changed notification names it (combined mode, create-subscription), when an unknown peer starts
 * IKE (rate-limited), and on the resync RPC. A pulled configuration is written to running like any edit (validated;
 * a rejected one raises configuration-rejected and the last good one stays).
 */
package org.cevpn.agent.pull;

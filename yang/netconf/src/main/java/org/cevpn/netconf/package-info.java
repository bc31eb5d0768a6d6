/**
 * Values shared by everything NETCONF in cevpn: the {@code <rpc-error>} of RFC 6241 §4.3
 * ({@link org.cevpn.netconf.RpcError} with {@link org.cevpn.netconf.ErrorType}, {@link org.cevpn.netconf.ErrorTag},
 * {@link org.cevpn.netconf.ErrorSeverity}, {@link org.cevpn.netconf.ErrorPath}, {@link org.cevpn.netconf.ErrorInfo}).
 */
package org.cevpn.netconf;

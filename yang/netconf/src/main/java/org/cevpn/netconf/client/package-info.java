/**
 * The NETCONF client (RFC 6241 over SSH, RFC 6242): the CE's pull client uses it northbound towards the VPN
 * server, the controller will use it southbound towards the CEs (push).
 *
 * <pre>{@code
 * var settings = new NetconfClient.Settings(host, 830, "ce1",
 *     new ServerAuthentication.PinnedHostKey(sshHostKeyBlob),      // cvt:ssh-public-key (RFC 4253 §6.6 blob)
 *     ClientKey.fromPkcs8(derPrivateKey), Duration.ofSeconds(10));  // cvt:der-private-key (PKCS #8)
 * try (var client = NetconfClient.connect(settings, events)) {      // SSH, netconf subsystem, hello
 *     client.createSubscription();                                   // notifications reach events.notification
 *     RpcReply reply = client.rpc("<pull-configuration xmlns=\"...\"><ce-id>ce1</ce-id></pull-configuration>");
 *     Element body = reply.orThrow();                                // RpcException with the parsed rpc-errors
 * }
 * }</pre>
 *
 * <p>Server authentication is by pinned host key only: any other key ends the connection with a
 * {@link org.cevpn.netconf.client.ServerAuthenticationException} naming both fingerprints. X.509 host
 * authentication (RFC 6187, the model's {@code ca-certificate} choice) is not implemented: the shaded MINA SSHD
 * has no x509v3-* host key support, and {@link NetconfClient#connect} refuses that choice with a clear error
 * rather than accept an unverified key. Framing is the server's {@link org.cevpn.netconf.server.Framing}.
 */
package org.cevpn.netconf.client;

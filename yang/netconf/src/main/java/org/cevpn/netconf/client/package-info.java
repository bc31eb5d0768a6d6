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
 * <p>Server authentication is by pinned host key ({@link org.cevpn.netconf.client.ServerAuthentication.PinnedHostKey})
 * or by an SSH certificate authority ({@link org.cevpn.netconf.client.ServerAuthentication.CertificateAuthority}: an
 * OpenSSH host certificate signed by the CA, valid now, naming the host connected to). Anything else ends the
 * connection with a {@link org.cevpn.netconf.client.ServerAuthenticationException} that says why. X.509 host keys
 * (RFC 6187) are not implemented: OpenSSH does not do them and the shaded MINA SSHD has no x509v3-* support;
 * OpenSSH certificates are what operators' CAs issue. Framing is the server's {@link org.cevpn.netconf.server.Framing}.
 */
package org.cevpn.netconf.client;

/**
 * The NETCONF server (RFC 6241 over SSH, RFC 6242): framing, sessions, the hello, base operations, get-schema
 * and netconf-state (RFC 6022), create-subscription (RFC 5277), application RPCs and YANG actions, on top of
 * {@link org.cevpn.netconf.datastore} and the policy packages (nacm, filter, notification).
 *
 * <p>How the agent and the controller start one (this is what {@link org.cevpn.netconf.server.NetconfServerMain}
 * does):
 * <pre>{@code
 * var rules = new Nacm(schema, Set.of("admin"));                 // schema incl. ietf-netconf, ietf-netconf-acm,
 * var nacm = new NacmAccessControl(rules, schema);               //   nc-notifications, notifications
 * var datastores = new Datastores(schema, parser, validator, stateDir, scheduler, nacm);
 * nacm.follow(datastores);                                       // NACM rules come from running
 * var rpcs = new RpcRegistry();
 * rpcs.register(resyncQName, (session, user, input, element) -> "<configuration-version ...>");
 * rpcs.registerAction(resetQName, (session, user, target, input, element) -> null);   // null: <ok/>
 * var events = new NotificationStream("NETCONF", "...", schema, rules, 10_000, Clock.systemUTC(), scheduler);
 * var server = new NetconfServer(schema, datastores, nacm, new PolicyReadFilter(schema),
 *     new WithDefaults(schema), rpcs, 16 << 20).withNotifications(events);
 * var ssh = new SshTransport(server, "0.0.0.0", 830, stateDir.resolve("ssh_host_key"),
 *     new SshUsers().withPasswordHash("admin", hash).withAuthorizedKeys("controller", keysFile));
 * events.publish(notificationBody);                              // tunnel-down, configuration-changed ...
 * }</pre>
 *
 * <p>Seams with honest defaults for a server without policy: {@link org.cevpn.netconf.server.AccessControl#PERMIT_ALL},
 * {@link org.cevpn.netconf.server.ReadFilter#UNSUPPORTED} (any filter is operation-not-supported),
 * {@link org.cevpn.netconf.datastore.WriteGuard#PERMIT_ALL}; no notification stream means no :notification.
 */
package org.cevpn.netconf.server;

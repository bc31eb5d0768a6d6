/**
 * NETCONF access control (RFC 8341) over the datastores' NormalizedNode trees.
 *
 * <p>How the NETCONF server is meant to use it:
 * <pre>{@code
 * // schema: cevpn modules plus ietf-netconf, ietf-netconf-acm (and nc-notifications for the stream), e.g.
 * //   new SchemaContextLoader(cl).load(n -> n.startsWith("cevpn-") || n.startsWith("ietf-netconf@")
 * //       || n.startsWith("ietf-netconf-acm") || n.startsWith("nc-notifications"), List.of())
 * Nacm nacm = new Nacm(schema, Set.of("admin"));          // recovery users: NACM never restricts them
 * nacm.configure(running);                                   // at start and after every commit to running
 * NacmUser user = new NacmUser(sshUserName, groupsFromTransport);
 *
 * if (!nacm.permitsRpc(user, rpcQName)) reply(Nacm.operationDenied(rpcQName));   // every <rpc>, first
 * if (!nacm.permitsAction(user, targetPath, actionQName)) reply(Nacm.operationDenied(actionQName));
 * ContainerNode visible = nacm.filterRead(user, datastoreRoot);   // get, get-config, copy-config source ...
 * nacm.checkWrite(user, targetBefore, targetAfter).ifPresent(this::replyAndDiscard);  // edit/copy/delete/commit
 * nacm.permitsNotification(user, type)                       // done by NotificationStream per subscriber
 * nacm.stateData()                                           // /nacm counters for <get>
 * }</pre>
 *
 * <p>Rules are matched in order (rule-lists of the user's groups, then their rules: first match wins). Without a
 * matching rule, the schema's {@code nacm:default-deny-all} / {@code default-deny-write} marks deny (our models
 * mark pre-shared and private keys), else read-default / write-default / exec-default decide. close-session is
 * always permitted; kill-session and delete-config are default-deny-all. Rule paths resolve prefixes as module
 * prefixes or module names ({@link org.cevpn.netconf.nacm.NacmPath}).
 */
package org.cevpn.netconf.nacm;

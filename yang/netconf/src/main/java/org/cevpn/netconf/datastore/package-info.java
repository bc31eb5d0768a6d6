/**
 * The configuration datastores of a NETCONF server: running, candidate and startup (RFC 6241 §7, §8.3, §8.4,
 * §8.7) as immutable NormalizedNode roots with version counters, edit-config semantics on a yangtools DataTree,
 * locks, commit and confirmed commit, and crash-safe files.
 *
 * <p>How the server (or an agent/controller embedding it) uses it:
 * <pre>{@code
 * Datastores ds = new Datastores(schema, parser, validator, stateDir, scheduler, writeGuard);  // loads files
 * ds.addRunningListener(snapshot -> reconciler.apply(snapshot.root()));   // every new running, in order
 * ds.editConfig(sessionId, Datastore.CANDIDATE, configElement, EditOperation.MERGE, TestOption.TEST_THEN_SET,
 *     ErrorOption.ROLLBACK_ON_ERROR);                                       // RpcException: the rpc-errors
 * ds.commit(sessionId, new Datastores.CommitOptions(true, Duration.ofSeconds(60), null, null)); // confirmed
 * ds.sessionEnded(sessionId);   // releases locks, rolls back that session's unconfirmed commit
 * }</pre>
 *
 * <p>Running is valid at every instant (DatastoreValidator, Scope.CONFIG, before any change to it); the
 * candidate may hold invalid data only through test-option {@code set}. running.xml and startup.xml are replaced
 * by write-temp + fsync + rename + directory fsync ({@link org.cevpn.netconf.datastore.DatastoreFile}); a
 * confirmed commit keeps its rollback point in a file too, so a restart before confirmation rolls it back.
 */
package org.cevpn.netconf.datastore;

/**
 * From committed configuration to tunnels: {@link org.cevpn.agent.reconcile.Reconciler} diffs the desired peer
 * tuples against those applied and adds (permanent: initiated at once; traffic-driven: on the first packet),
 * re-establishes changed ones and deletes removed ones with no further retries (draft §3.6);
 * {@link org.cevpn.agent.reconcile.PeerTranslation} turns a tuple into the IKE engine's settings;
 * {@link org.cevpn.agent.reconcile.TunnelStates} keeps the operational state the engine's events make, and
 * {@link org.cevpn.agent.reconcile.AgentNotification} are the notifications the CE sends.
 *
 * <p>Threads: the engine and its supervisor are touched only on the IKE thread (through
 * {@code IkeService.submit}); {@code apply} runs on the datastore's listener thread and only computes the diff.
 */
package org.cevpn.agent.reconcile;

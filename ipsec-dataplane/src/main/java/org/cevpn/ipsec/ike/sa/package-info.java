/**
 * The per-IKE-SA bookkeeping that makes exchanges survive a lossy network (strongSwan's
 * task_manager in small parts): the request in flight and its retransmissions, the responder's
 * message-id window with its cached answer, and the responder's half-open SAs (IKE_SA_INIT
 * retransmissions, COOKIE threshold). Sockets and timers stay with the caller.
 */
package org.cevpn.ipsec.ike.sa;

/**
 * RFC 5277 event notifications: the NETCONF stream ({@link org.cevpn.netconf.notification.NotificationStream})
 * with a bounded replay log, {@code <create-subscription>} parsing and checks
 * ({@link org.cevpn.netconf.notification.SubscriptionRequest}), and the {@code <notification>} encoding
 * ({@link org.cevpn.netconf.notification.NotificationXml}).
 *
 * <p>How the NETCONF server is meant to use it:
 * <pre>{@code
 * NotificationStream netconf = new NotificationStream("NETCONF", "default NETCONF event stream", schema, nacm,
 *     10_000, Clock.systemUTC(), scheduler);
 * netconf.publish(notificationBody);        // the agent's tunnel-up/-down, configuration-applied ...
 *
 * // <create-subscription>: refuse a second one on the same session yourself (RFC 5277 §2.1.1)
 * SubscriptionRequest req = SubscriptionRequest.parse(schema, element, clock.instant(), Set.of("NETCONF"), true);
 * Subscription sub = netconf.subscribe(req, user, sessionSink);   // reply <ok/> first, then events flow
 * sessionSink.send(n) -> write(new NotificationXml(schema).encode(n)); // non-blocking: queue it
 * session closed -> sub.cancel();
 * <get> -> merge netconf.streamsData() (/netconf/streams)
 * }</pre>
 */
package org.cevpn.netconf.notification;

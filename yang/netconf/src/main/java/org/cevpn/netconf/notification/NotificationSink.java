package org.cevpn.netconf.notification;

/**
 * Where a subscription's notifications go: implemented by the NETCONF session, which encodes them
 * ({@link NotificationXml}) and writes them out. Called with the stream's lock held, so events arrive in order:
 * an implementation must not block (queue the message for the session's writer instead).
 */
public interface NotificationSink {
    /** One notification for the client (events, replayComplete, notificationComplete). */
    void send(NetconfNotification notification);

    /** The subscription is over (after notificationComplete, or cancelled): the session may subscribe again. */
    void ended();
}

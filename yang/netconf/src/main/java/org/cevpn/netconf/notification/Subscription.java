package org.cevpn.netconf.notification;

/** A live subscription: the session cancels it when it closes (RFC 5277: a subscription lives with its session). */
public interface Subscription {
    void cancel();

    boolean isActive();
}

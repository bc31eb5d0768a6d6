package org.cevpn.ipsec.esp;

/**
 * Receives {@link SaEvent}s. Called on a data-plane or timer thread: implementations hand the event
 * to their own queue and return.
 */
@FunctionalInterface
public interface SaEventListener {
    void onSaEvent(SaEvent event);

    SaEventListener IGNORE = e -> { };
}

package org.cevpn.ipsec.ike.sk;

/**
 * A protected message that does not open: its ICV does not verify, or its SK payload is not even
 * shaped like one (too short, not whole cipher blocks, a pad length beyond the plaintext). Such a
 * message is dropped silently and counted (RFC 7296 §2.21: no answer to what may be a forgery).
 */
public final class SkException extends Exception {
    /** Why the message was dropped, for the drop counters. */
    public enum Reason { INTEGRITY, MALFORMED }

    private final Reason reason;

    SkException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

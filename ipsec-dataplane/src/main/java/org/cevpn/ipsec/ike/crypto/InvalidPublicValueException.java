package org.cevpn.ipsec.ike.crypto;

/**
 * The peer's KE public value failed validation (RFC 7296 §3.4, RFC 6989): wrong length, out of
 * range, not on the curve, or producing a degenerate shared secret. The exchange must fail; the
 * value is never used.
 */
public final class InvalidPublicValueException extends Exception {
    public InvalidPublicValueException(String reason) {
        super(reason, null, false, false);
    }
}

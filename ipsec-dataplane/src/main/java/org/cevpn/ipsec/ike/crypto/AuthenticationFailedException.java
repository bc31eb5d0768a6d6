package org.cevpn.ipsec.ike.crypto;

/**
 * The peer's AUTH payload does not verify, or cannot be checked (malformed, an algorithm we do
 * not accept, a key of the wrong type). Answered with AUTHENTICATION_FAILED; the reason is for
 * our log only.
 */
public final class AuthenticationFailedException extends Exception {
    public AuthenticationFailedException(String reason) {
        super(reason, null, false, false);
    }
}

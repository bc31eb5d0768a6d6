package org.cevpn.ipsec.ike.crypto;

import java.util.Arrays;

/**
 * Key material of one child SA pair (RFC 7296 §2.17): for each direction an encryption key (with
 * its salt, for AEAD ciphers, as the last four octets) and an integrity key (empty for AEAD).
 * "Initiator" keys protect traffic from the IKE initiator to the responder.
 */
public final class ChildSaKeys {
    private final byte[] encryptionInitiator;
    private final byte[] integrityInitiator;
    private final byte[] encryptionResponder;
    private final byte[] integrityResponder;

    ChildSaKeys(byte[] keymat, KeyLengths l) {
        // §2.17: all keys for initiator-to-responder first; per direction encryption before integrity.
        int at = 0;
        encryptionInitiator = Arrays.copyOfRange(keymat, at, at += l.encryption());
        integrityInitiator = Arrays.copyOfRange(keymat, at, at += l.integrity());
        encryptionResponder = Arrays.copyOfRange(keymat, at, at += l.encryption());
        integrityResponder = Arrays.copyOfRange(keymat, at, at + l.integrity());
    }

    public byte[] encryptionInitiator() {
        return encryptionInitiator.clone();
    }

    public byte[] integrityInitiator() {
        return integrityInitiator.clone();
    }

    public byte[] encryptionResponder() {
        return encryptionResponder.clone();
    }

    public byte[] integrityResponder() {
        return integrityResponder.clone();
    }

    public void destroy() {
        for (byte[] k : new byte[][] {encryptionInitiator, integrityInitiator, encryptionResponder, integrityResponder}) {
            Arrays.fill(k, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "ChildSaKeys[encryption " + encryptionInitiator.length + ", integrity " + integrityInitiator.length
                + " octets per direction]";
    }
}

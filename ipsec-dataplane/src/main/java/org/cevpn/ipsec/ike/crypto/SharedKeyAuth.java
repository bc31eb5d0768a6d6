package org.cevpn.ipsec.ike.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * AUTH by shared key message integrity code (RFC 7296 §2.15, method 2):
 * AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>).
 */
public final class SharedKeyAuth {
    private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    private SharedKeyAuth() {
    }

    public static byte[] compute(Prf prf, byte[] sharedSecret, byte[] signedOctets) {
        byte[] padded = prf.compute(sharedSecret, KEY_PAD);
        try {
            return prf.compute(padded, signedOctets);
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
    }

    /** Constant-time comparison with the received AUTH data. */
    public static boolean verify(Prf prf, byte[] sharedSecret, byte[] signedOctets, byte[] received) {
        return MessageDigest.isEqual(compute(prf, sharedSecret, signedOctets), received);
    }
}

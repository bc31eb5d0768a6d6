package org.cevpn.ipsec.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * IVs for CBC that an attacker cannot predict (RFC 3602 §3 forbids predictable IVs): each IV is
 * AES_K(counter) under a random key K known to nobody. One AES block per packet instead of a
 * SecureRandom call, and no allocation. Not thread-safe.
 */
public final class UnpredictableIvSource {
    private final Cipher ecb;
    private final byte[] counter = new byte[16];
    private long next;

    public UnpredictableIvSource(SecureRandom random) {
        byte[] k = new byte[16];
        random.nextBytes(k);
        random.nextBytes(counter);
        try {
            ecb = JceProviders.cipher("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding is not available", e);
        }
        java.util.Arrays.fill(k, (byte) 0);
    }

    /** Writes the next 16-byte IV at {@code out[off]}. */
    public void next(byte[] out, int off) {
        long n = next++;
        for (int i = 0; i < 8; i++) {
            counter[8 + i] = (byte) (n >>> (56 - 8 * i));
        }
        try {
            ecb.update(counter, 0, 16, out, off);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.cevpn.ipsec.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CBC without padding (RFC 3602): ESP and IKE both pad to the block size themselves. The IV is
 * explicit (16 bytes) and supplied by the caller; see {@link UnpredictableIvSource}. Not thread-safe.
 */
public final class AesCbc {
    public static final int BLOCK = 16;

    private final EncryptionAlgorithm algorithm;
    private final SecretKeySpec key;
    private final Cipher encryptor;
    private final Cipher decryptor;

    public AesCbc(EncryptionAlgorithm algorithm, SecretBytes key) {
        if (algorithm != EncryptionAlgorithm.AES_CBC_128 && algorithm != EncryptionAlgorithm.AES_CBC_256) {
            throw new IllegalArgumentException(algorithm + " is not AES-CBC");
        }
        if (key.length() != algorithm.keyLength()) {
            throw new IllegalArgumentException(algorithm + " needs a " + algorithm.keyLength() + "-byte key, got " + key.length());
        }
        this.algorithm = algorithm;
        this.key = new SecretKeySpec(key.toByteArray(), "AES");
        try {
            this.encryptor = JceProviders.cipher("AES/CBC/NoPadding");
            this.decryptor = JceProviders.cipher("AES/CBC/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC/NoPadding is not available", e);
        }
    }

    public EncryptionAlgorithm algorithm() { return algorithm; }

    /** Encrypts {@code len} bytes (a multiple of 16) with the 16-byte IV at {@code iv[ivOff]}. */
    public int encrypt(byte[] iv, int ivOff, byte[] in, int inOff, int len, byte[] out, int outOff) {
        return run(encryptor, Cipher.ENCRYPT_MODE, iv, ivOff, in, inOff, len, out, outOff);
    }

    /** Decrypts {@code len} bytes; returns -1 when {@code len} is not a positive multiple of 16. */
    public int decrypt(byte[] iv, int ivOff, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len <= 0 || len % BLOCK != 0) {
            return -1;
        }
        return run(decryptor, Cipher.DECRYPT_MODE, iv, ivOff, in, inOff, len, out, outOff);
    }

    private int run(Cipher c, int mode, byte[] iv, int ivOff, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len % BLOCK != 0) {
            throw new IllegalArgumentException("CBC input must be a multiple of 16 bytes, got " + len);
        }
        try {
            c.init(mode, key, new IvParameterSpec(iv, ivOff, BLOCK));
            return c.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "AesCbc[" + algorithm + ", key redacted]";
    }
}

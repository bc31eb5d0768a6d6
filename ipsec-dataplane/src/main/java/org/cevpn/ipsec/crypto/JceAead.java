package org.cevpn.ipsec.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared body of our JCE-backed AEADs: one encrypt and one decrypt {@link Cipher} created once,
 * re-initialised per packet with the new nonce (JCE refuses to encrypt twice under one key and nonce,
 * which is exactly the guard we want). The nonce array is ours and reused.
 */
abstract sealed class JceAead permits AesGcm, ChaCha20Poly1305 {
    private final EncryptionAlgorithm algorithm;
    private final SecretKeySpec key;
    private final Cipher encryptor;
    private final Cipher decryptor;
    private final byte[] encNonce = new byte[12];
    private final byte[] decNonce = new byte[12];

    JceAead(EncryptionAlgorithm algorithm, String transformation, String keyAlgorithm, SecretBytes keyMaterial) {
        if (keyMaterial.length() != algorithm.keyMaterialLength()) {
            throw new IllegalArgumentException(algorithm + " needs " + algorithm.keyMaterialLength()
                    + " bytes of key material (key + 4-byte salt), got " + keyMaterial.length());
        }
        this.algorithm = algorithm;
        this.key = new SecretKeySpec(keyMaterial.slice(0, algorithm.keyLength()), keyAlgorithm);
        byte[] salt = keyMaterial.slice(algorithm.keyLength(), 4);
        System.arraycopy(salt, 0, encNonce, 0, 4);
        System.arraycopy(salt, 0, decNonce, 0, 4);
        try {
            this.encryptor = JceProviders.cipher(transformation);
            this.decryptor = JceProviders.cipher(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is not available in this JDK", e);
        }
    }

    /** The JCE parameter object carrying {@code nonce}. */
    abstract AlgorithmParameterSpec parameters(byte[] nonce);

    public final EncryptionAlgorithm algorithm() { return algorithm; }

    public final int icvLength() { return 16; }

    public final int seal(byte[] iv, int ivOff, byte[] aad, int aadOff, int aadLen,
                          byte[] in, int inOff, int len, byte[] out, int outOff) {
        System.arraycopy(iv, ivOff, encNonce, 4, 8);
        try {
            encryptor.init(Cipher.ENCRYPT_MODE, key, parameters(encNonce));
            if (aadLen > 0) {
                encryptor.updateAAD(aad, aadOff, aadLen);
            }
            return encryptor.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            // Only a programming error gets here (short buffer, reused IV): never the peer's input.
            throw new IllegalStateException(algorithm + " seal failed: " + e.getClass().getSimpleName(), e);
        }
    }

    public final int open(byte[] iv, int ivOff, byte[] aad, int aadOff, int aadLen,
                          byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len < 16) {
            return -1;
        }
        System.arraycopy(iv, ivOff, decNonce, 4, 8);
        try {
            decryptor.init(Cipher.DECRYPT_MODE, key, parameters(decNonce));
            if (aadLen > 0) {
                decryptor.updateAAD(aad, aadOff, aadLen);
            }
            return decryptor.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " open failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + algorithm + ", key redacted]";
    }
}

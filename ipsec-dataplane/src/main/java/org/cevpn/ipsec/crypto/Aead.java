package org.cevpn.ipsec.crypto;

/**
 * An AEAD with the IPsec nonce construction: nonce = salt (4 bytes, from the key material) || IV
 * (8 bytes, explicit in the packet). This is the construction of RFC 4106 (ESP AES-GCM), RFC 5282
 * (IKEv2 SK payload with AES-GCM) and RFC 7634 (ChaCha20-Poly1305 in ESP and IKEv2), so the same
 * object serves ESP and IKE.
 *
 * <p>An instance holds two initialised JCE ciphers and is <b>not thread-safe</b>: use one per SA and
 * direction (or per thread). Input and output must not overlap: JCE copies overlapping buffers.
 */
public sealed interface Aead permits AesGcm, ChaCha20Poly1305 {

    EncryptionAlgorithm algorithm();

    /** Tag length appended by {@link #seal}. */
    int icvLength();

    /**
     * Encrypts {@code len} bytes of {@code in} at {@code inOff} into {@code out} at {@code outOff} and
     * appends the ICV. The caller guarantees the 8-byte IV is never reused with this key.
     *
     * @return bytes written: {@code len + icvLength()}
     */
    int seal(byte[] iv, int ivOff, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Verifies and decrypts {@code len} bytes (ciphertext followed by ICV).
     *
     * @return plaintext length, or {@code -1} when the ICV does not verify (nothing usable is written)
     */
    int open(byte[] iv, int ivOff, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int len, byte[] out, int outOff);

    /** Creates the AEAD for {@code algorithm} from key material = key || salt. */
    static Aead create(EncryptionAlgorithm algorithm, SecretBytes keyMaterial) {
        return switch (algorithm) {
            case AES_GCM_16_128, AES_GCM_16_256 -> new AesGcm(algorithm, keyMaterial);
            case CHACHA20_POLY1305 -> new ChaCha20Poly1305(keyMaterial);
            case AES_CBC_128, AES_CBC_256 ->
                    throw new IllegalArgumentException(algorithm + " is not an AEAD; use CbcHmac");
        };
    }
}

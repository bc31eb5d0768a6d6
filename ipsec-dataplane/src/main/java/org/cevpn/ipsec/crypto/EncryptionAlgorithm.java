package org.cevpn.ipsec.crypto;

/**
 * Encryption transforms we implement, identified as in the IANA "IKEv2 Transform Type 1" registry
 * (the number IKE negotiates) plus the key length attribute where the transform has one.
 *
 * <p>Key material lengths follow the RFCs that define the keying: RFC 4106 §8.1 and RFC 7634 §2 take
 * a 4-byte salt from the end of the key material; AES-CBC (RFC 3602) has none.
 */
public enum EncryptionAlgorithm {
    /** ENCR_AES_CBC (12), 128-bit key, RFC 3602. Needs a separate integrity algorithm. */
    AES_CBC_128(12, 128, 16, 0, 16, 0, 16),
    /** ENCR_AES_CBC (12), 256-bit key, RFC 3602. */
    AES_CBC_256(12, 256, 32, 0, 16, 0, 16),
    /** ENCR_AES_GCM_16 (20), 128-bit key, RFC 4106. */
    AES_GCM_16_128(20, 128, 16, 4, 8, 16, 4),
    /** ENCR_AES_GCM_16 (20), 256-bit key, RFC 4106. The default. */
    AES_GCM_16_256(20, 256, 32, 4, 8, 16, 4),
    /** ENCR_CHACHA20_POLY1305 (28), RFC 7634. */
    CHACHA20_POLY1305(28, 256, 32, 4, 8, 16, 4);

    private final int ianaId;
    private final int keyBits;
    private final int keyLength;
    private final int saltLength;
    private final int ivLength;
    private final int icvLength;
    private final int blockSize;

    EncryptionAlgorithm(int ianaId, int keyBits, int keyLength, int saltLength, int ivLength,
                        int icvLength, int blockSize) {
        this.ianaId = ianaId;
        this.keyBits = keyBits;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.ivLength = ivLength;
        this.icvLength = icvLength;
        this.blockSize = blockSize;
    }

    /** Transform ID in the IANA IKEv2 registry. */
    public int ianaId() { return ianaId; }

    /** Value of the Key Length transform attribute (bits). */
    public int keyBits() { return keyBits; }

    /** Cipher key length in bytes, without salt. */
    public int keyLength() { return keyLength; }

    /** Salt taken from the end of the key material (0 when the algorithm has none). */
    public int saltLength() { return saltLength; }

    /** Total key material an SA needs for this transform: key followed by salt. */
    public int keyMaterialLength() { return keyLength + saltLength; }

    /** Explicit IV carried in every packet. */
    public int ivLength() { return ivLength; }

    /** ICV produced by the AEAD itself (0 for CBC, whose ICV comes from the integrity algorithm). */
    public int icvLength() { return icvLength; }

    /** Alignment the ESP payload plus trailer must reach (RFC 4303 §2.4: at least 4). */
    public int blockSize() { return blockSize; }

    public boolean isAead() { return icvLength > 0; }

    /** Looks a transform up by IANA number and key length; an unknown pair is a clear error. */
    public static EncryptionAlgorithm of(int ianaId, int keyBits) {
        for (EncryptionAlgorithm a : values()) {
            if (a.ianaId == ianaId && a.keyBits == keyBits) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported encryption transform " + ianaId + " with key length " + keyBits);
    }
}

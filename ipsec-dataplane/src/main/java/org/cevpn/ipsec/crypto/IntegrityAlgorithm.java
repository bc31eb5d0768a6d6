package org.cevpn.ipsec.crypto;

/** Integrity transforms, identified as in the IANA "IKEv2 Transform Type 3" registry. */
public enum IntegrityAlgorithm {
    /** NONE (0): only valid together with an AEAD encryption transform. */
    NONE(0, 0, 0),
    /** AUTH_HMAC_SHA2_256_128 (12), RFC 4868: 32-byte key, ICV truncated to 16 bytes. */
    HMAC_SHA2_256_128(12, 32, 16);

    private final int ianaId;
    private final int keyLength;
    private final int icvLength;

    IntegrityAlgorithm(int ianaId, int keyLength, int icvLength) {
        this.ianaId = ianaId;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
    }

    public int ianaId() { return ianaId; }

    public int keyLength() { return keyLength; }

    public int icvLength() { return icvLength; }

    public static IntegrityAlgorithm of(int ianaId) {
        for (IntegrityAlgorithm a : values()) {
            if (a.ianaId == ianaId) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported integrity transform " + ianaId);
    }
}

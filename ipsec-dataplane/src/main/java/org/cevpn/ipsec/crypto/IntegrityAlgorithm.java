package org.cevpn.ipsec.crypto;

/** Integrity transforms, identified as in the IANA "IKEv2 Transform Type 3" registry. */
public enum IntegrityAlgorithm {
    /** NONE (0): only valid together with an AEAD encryption transform. */
    NONE(0, 0, 0, null),
    /** AUTH_HMAC_SHA2_256_128 (12), RFC 4868: 32-byte key, ICV truncated to 16 bytes. */
    HMAC_SHA2_256_128(12, 32, 16, "HmacSHA256"),
    /** AUTH_HMAC_SHA2_384_192 (13), RFC 4868: 48-byte key, ICV truncated to 24 bytes. */
    HMAC_SHA2_384_192(13, 48, 24, "HmacSHA384"),
    /** AUTH_HMAC_SHA2_512_256 (14), RFC 4868: 64-byte key, ICV truncated to 32 bytes. */
    HMAC_SHA2_512_256(14, 64, 32, "HmacSHA512");

    private final int ianaId;
    private final int keyLength;
    private final int icvLength;
    private final String jceName;

    IntegrityAlgorithm(int ianaId, int keyLength, int icvLength, String jceName) {
        this.ianaId = ianaId;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
        this.jceName = jceName;
    }

    /** The JCE Mac name of the underlying HMAC; null for NONE. */
    String jceName() { return jceName; }

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

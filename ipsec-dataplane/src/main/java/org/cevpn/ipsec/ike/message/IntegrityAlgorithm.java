package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Transform type 3 ids (IANA "Transform Type 3 - Integrity Algorithm Transform IDs"). */
public enum IntegrityAlgorithm {
    NONE(0),
    HMAC_SHA1_96(2),
    AES_XCBC_96(5),
    HMAC_SHA2_256_128(12),
    HMAC_SHA2_384_192(13),
    HMAC_SHA2_512_256(14);

    private final int value;

    IntegrityAlgorithm(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<IntegrityAlgorithm> of(int value) {
        for (IntegrityAlgorithm v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

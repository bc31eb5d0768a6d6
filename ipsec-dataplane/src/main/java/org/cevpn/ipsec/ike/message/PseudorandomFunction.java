package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Transform type 2 ids (IANA "Transform Type 2 - Pseudorandom Function Transform IDs"). */
public enum PseudorandomFunction {
    HMAC_SHA1(2),
    AES128_XCBC(4),
    HMAC_SHA2_256(5),
    HMAC_SHA2_384(6),
    HMAC_SHA2_512(7);

    private final int value;

    PseudorandomFunction(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<PseudorandomFunction> of(int value) {
        for (PseudorandomFunction v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Transform types (IANA "Transform Type Values", RFC 7296 §3.3.2; type 4 is "Key Exchange Method", formerly D-H group). */
public enum TransformType {
    ENCRYPTION(1),
    PRF(2),
    INTEGRITY(3),
    KEY_EXCHANGE(4),
    SEQUENCE_NUMBERS(5);

    private final int value;

    TransformType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<TransformType> of(int value) {
        for (TransformType v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

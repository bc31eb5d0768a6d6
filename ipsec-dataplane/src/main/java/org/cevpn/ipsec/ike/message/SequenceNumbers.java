package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Transform type 5 ids (IANA "Transform Type 5 - Sequence Numbers Transform IDs"). */
public enum SequenceNumbers {
    NO_ESN(0),
    ESN(1);

    private final int value;

    SequenceNumbers(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<SequenceNumbers> of(int value) {
        for (SequenceNumbers v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Transform type 4 ids (IANA "Transform Type 4 - Key Exchange Method Transform IDs"), the value also carried in the KE payload. */
public enum DhGroup {
    NONE(0),
    MODP_2048(14),
    MODP_3072(15),
    MODP_4096(16),
    ECP_256(19),
    ECP_384(20),
    ECP_521(21),
    CURVE25519(31),
    CURVE448(32);

    private final int value;

    DhGroup(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<DhGroup> of(int value) {
        for (DhGroup v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

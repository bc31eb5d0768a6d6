package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Transform type 1 ids (IANA "Transform Type 1 - Encryption Algorithm Transform IDs"). AES ids take a Key Length attribute. */
public enum EncryptionAlgorithm {
    AES_CBC(12),
    AES_CTR(13),
    AES_GCM_8(18),
    AES_GCM_12(19),
    AES_GCM_16(20),
    CHACHA20_POLY1305(28);

    private final int value;

    EncryptionAlgorithm(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<EncryptionAlgorithm> of(int value) {
        for (EncryptionAlgorithm v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Authentication methods (IANA "IKEv2 Authentication Method"; RFC 7296 §3.8, RFC 4754, RFC 7427). */
public enum AuthMethod {
    RSA_DIGITAL_SIGNATURE(1),
    SHARED_KEY_MIC(2),
    DSS_DIGITAL_SIGNATURE(3),
    ECDSA_SHA256_P256(9),
    ECDSA_SHA384_P384(10),
    ECDSA_SHA512_P521(11),
    DIGITAL_SIGNATURE(14);

    private final int value;

    AuthMethod(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<AuthMethod> of(int value) {
        for (AuthMethod v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

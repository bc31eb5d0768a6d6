package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** IKEv2 hash algorithms for the SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 §4, IANA registry). */
public enum HashAlgorithm {
    SHA1(1),
    SHA2_256(2),
    SHA2_384(3),
    SHA2_512(4),
    IDENTITY(5);

    private final int value;

    HashAlgorithm(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<HashAlgorithm> of(int value) {
        for (HashAlgorithm h : values()) {
            if (h.value == value) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }
}

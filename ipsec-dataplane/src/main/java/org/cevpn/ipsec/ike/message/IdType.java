package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Identification payload ID types (RFC 7296 §3.5). */
public enum IdType {
    IPV4_ADDR(1),
    FQDN(2),
    RFC822_ADDR(3),
    IPV6_ADDR(5),
    DER_ASN1_DN(9),
    DER_ASN1_GN(10),
    KEY_ID(11);

    private final int value;

    IdType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<IdType> of(int value) {
        for (IdType v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

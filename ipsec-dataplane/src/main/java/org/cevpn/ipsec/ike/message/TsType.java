package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Traffic selector types (RFC 7296 §3.13.1). */
public enum TsType {
    IPV4_ADDR_RANGE(7),
    IPV6_ADDR_RANGE(8);

    private final int value;

    TsType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<TsType> of(int value) {
        for (TsType v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

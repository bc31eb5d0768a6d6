package org.cevpn.agent.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * The transform names of cevpn-types, as enums carrying their YANG name and IANA value (RFC 7296 §3.3.2
 * registries), so that the rest of the agent never compares strings.
 */
public final class Algorithms {
    private Algorithms() {
    }

    /**
     * An enum whose constants are the cevpn-types enum names: the YANG name is the registry prefix
     * followed by the constant's name in lower case with hyphens (AES_GCM_16 → encr-aes-gcm-16).
     */
    interface Named {
        String name();

        String yangPrefix();

        default String yangName() {
            return yangPrefix() + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static <E extends Enum<E> & Named> E byYangName(Class<E> type, String name, String leaf) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.yangName().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigurationException(leaf + ": the agent does not support '" + name + "'"));
    }

    public enum Encryption implements Named {
        AES_CBC(12), AES_GCM_16(20), CHACHA20_POLY1305(28);

        private final int iana;

        Encryption(int iana) {
            this.iana = iana;
        }

        @Override
        public String yangPrefix() {
            return "encr-";
        }

        public int iana() {
            return iana;
        }

        /** AEAD algorithms carry no separate integrity transform. */
        public boolean aead() {
            return this != AES_CBC;
        }
    }

    public enum Integrity implements Named {
        NONE(0), HMAC_SHA2_256_128(12),
        HMAC_SHA2_384_192(13), HMAC_SHA2_512_256(14);

        private final int iana;

        Integrity(int iana) {
            this.iana = iana;
        }

        @Override
        public String yangPrefix() {
            return "auth-";
        }

        public int iana() {
            return iana;
        }
    }

    public enum Prf implements Named {
        HMAC_SHA2_256(5), HMAC_SHA2_384(6), HMAC_SHA2_512(7);

        private final int iana;

        Prf(int iana) {
            this.iana = iana;
        }

        @Override
        public String yangPrefix() {
            return "prf-";
        }

        public int iana() {
            return iana;
        }
    }

    public enum DhGroup implements Named {
        MODP_2048(14), ECP_256(19), ECP_384(20), ECP_521(21),
        CURVE25519(31);

        private final int iana;

        DhGroup(int iana) {
            this.iana = iana;
        }

        @Override
        public String yangPrefix() {
            return "";
        }

        public int iana() {
            return iana;
        }
    }
}

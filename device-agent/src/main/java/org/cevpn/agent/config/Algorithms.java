package org.cevpn.agent.config;

import java.util.Arrays;

/**
 * The transform names of cevpn-types, as enums carrying their YANG name and IANA value (RFC 7296 §3.3.2
 * registries), so that the rest of the agent never compares strings.
 */
public final class Algorithms {
    private Algorithms() {
    }

    /** An enum whose constants are named in YANG. */
    interface Named {
        String yangName();
    }

    static <E extends Enum<E> & Named> E byYangName(Class<E> type, String name, String leaf) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.yangName().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigurationException(leaf + ": the agent does not support '" + name + "'"));
    }

    public enum Encryption implements Named {
        AES_CBC("encr-aes-cbc", 12), AES_GCM_16("encr-aes-gcm-16", 20), CHACHA20_POLY1305("encr-chacha20-poly1305", 28);

        private final String yangName;
        private final int iana;

        Encryption(String yangName, int iana) {
            this.yangName = yangName;
            this.iana = iana;
        }

        @Override
        public String yangName() {
            return yangName;
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
        NONE("auth-none", 0), HMAC_SHA2_256_128("auth-hmac-sha2-256-128", 12),
        HMAC_SHA2_384_192("auth-hmac-sha2-384-192", 13), HMAC_SHA2_512_256("auth-hmac-sha2-512-256", 14);

        private final String yangName;
        private final int iana;

        Integrity(String yangName, int iana) {
            this.yangName = yangName;
            this.iana = iana;
        }

        @Override
        public String yangName() {
            return yangName;
        }

        public int iana() {
            return iana;
        }
    }

    public enum Prf implements Named {
        HMAC_SHA2_256("prf-hmac-sha2-256", 5), HMAC_SHA2_384("prf-hmac-sha2-384", 6), HMAC_SHA2_512("prf-hmac-sha2-512", 7);

        private final String yangName;
        private final int iana;

        Prf(String yangName, int iana) {
            this.yangName = yangName;
            this.iana = iana;
        }

        @Override
        public String yangName() {
            return yangName;
        }

        public int iana() {
            return iana;
        }
    }

    public enum DhGroup implements Named {
        MODP_2048("modp-2048", 14), ECP_256("ecp-256", 19), ECP_384("ecp-384", 20), ECP_521("ecp-521", 21),
        CURVE25519("curve25519", 31);

        private final String yangName;
        private final int iana;

        DhGroup(String yangName, int iana) {
            this.yangName = yangName;
            this.iana = iana;
        }

        @Override
        public String yangName() {
            return yangName;
        }

        public int iana() {
            return iana;
        }
    }
}

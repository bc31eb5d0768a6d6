package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/** Certificate encodings for CERT and CERTREQ (RFC 7296 §3.6). */
public enum CertEncoding {
    X509_SIGNATURE(4),
    CRL(7),
    RAW_RSA_KEY(11),
    HASH_AND_URL_X509(12),
    HASH_AND_URL_BUNDLE(13);

    private final int value;

    CertEncoding(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<CertEncoding> of(int value) {
        for (CertEncoding v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

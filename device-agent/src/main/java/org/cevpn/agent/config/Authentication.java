package org.cevpn.agent.config;

import java.util.List;

/**
 * How this CE and a peer authenticate each other (draft §3.3: a pre-shared key in the peer tuple, or
 * digital signatures with this CE's local credentials).
 */
public sealed interface Authentication {
    /** The key both CEs hold. Its toString shows no key. */
    record PreSharedKey(Secret key) implements Authentication {
    }

    /**
     * Digital signatures: this CE's private key and certificate (DER) and the CA certificates (DER, as
     * base64 text so that the record compares by value) that issue the peers' certificates.
     */
    record Signature(Secret privateKey, String certificateBase64, List<String> caCertificatesBase64)
            implements Authentication {
        public Signature {
            caCertificatesBase64 = List.copyOf(caCertificatesBase64);
        }

        @Override
        public String toString() {
            return "Signature[certificate " + certificateBase64.length() + " chars, " + caCertificatesBase64.size()
                    + " CA certificate(s), private key hidden]";
        }
    }
}

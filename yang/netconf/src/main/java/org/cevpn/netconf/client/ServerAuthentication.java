package org.cevpn.netconf.client;

import java.util.Arrays;

/** How the client recognises the NETCONF server (the model's {@code server-authentication} choice). */
public sealed interface ServerAuthentication {
    /**
     * The server's SSH host key, pinned: the RFC 4253 §6.6 public key blob (cvt:ssh-public-key). Any other key
     * is refused.
     */
    record PinnedHostKey(byte[] blob) implements ServerAuthentication {
        public PinnedHostKey {
            blob = blob.clone();
        }

        @Override
        public byte[] blob() {
            return blob.clone();
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof PinnedHostKey other && Arrays.equals(blob, other.blob);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(blob);
        }

        @Override
        public String toString() {
            return "PinnedHostKey[" + SshKeys.fingerprint(blob) + "]";
        }
    }

    /**
     * A CA that issues the server's X.509 host certificate (RFC 6187). Not supported by this client: connecting
     * with it fails with a {@link ServerAuthenticationException} that says so.
     */
    record CaCertificate(byte[] der) implements ServerAuthentication {
        public CaCertificate {
            der = der.clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof CaCertificate other && Arrays.equals(der, other.der);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(der);
        }

        @Override
        public String toString() {
            return "CaCertificate[" + der.length + " octets]";
        }
    }
}

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
     * The SSH certificate authority whose host certificate the server presents (OpenSSH certificates,
     * PROTOCOL.certkeys): the CA's public key blob (cvt:ssh-public-key). The certificate must be a host
     * certificate, valid now, signed by this CA, and name the host the client connects to among its principals.
     */
    record CertificateAuthority(byte[] caKeyBlob) implements ServerAuthentication {
        public CertificateAuthority {
            caKeyBlob = caKeyBlob.clone();
        }

        @Override
        public byte[] caKeyBlob() {
            return caKeyBlob.clone();
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof CertificateAuthority other && Arrays.equals(caKeyBlob, other.caKeyBlob);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(caKeyBlob);
        }

        @Override
        public String toString() {
            return "CertificateAuthority[" + SshKeys.fingerprint(caKeyBlob) + "]";
        }
    }
}

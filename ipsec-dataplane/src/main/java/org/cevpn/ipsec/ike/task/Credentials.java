package org.cevpn.ipsec.ike.task;

import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.ike.crypto.CertificateChainValidator;
import org.cevpn.ipsec.ike.crypto.SignatureScheme;
import org.cevpn.ipsec.ike.message.CertEncoding;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;

/**
 * How a CE proves who it is in IKE_AUTH, and how it checks its peer (draft-ietf-l3vpn-ce-based
 * §5: the VPN server provisions either a pre-shared key per tunnel or certificates from its CA).
 */
public final class Credentials {
    private Credentials() {
    }

    /** Our side: sign (or MAC) our AUTH payload. */
    public sealed interface Own permits OwnSharedKey, OwnCertificate {
    }

    /** The shared key of a tunnel (RFC 7296 §2.15), as {@link SecretBytes}: never printed. */
    public record OwnSharedKey(SecretBytes key) implements Own {
        public OwnSharedKey(byte[] secret) {
            this(SecretBytes.copyOf(secret));
        }

        /** A copy of the key, for the PRF. */
        public byte[] secret() {
            return key.toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OwnSharedKey k && MessageDigest.isEqual(secret(), k.secret());
        }

        @Override
        public int hashCode() {
            return key.length(); // not derived from the key
        }

        @Override
        public String toString() {
            return "OwnSharedKey[" + key.length() + " octets]";
        }
    }

    /** Our certificate chain (end entity first) and its private key, used with RFC 7427 signatures. */
    public record OwnCertificate(List<X509Certificate> chain, PrivateKey key, SignatureScheme scheme) implements Own {
        public OwnCertificate {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("empty certificate chain");
            }
        }

        List<Payload> certPayloads() {
            return chain.stream().map(c -> {
                try {
                    return (Payload) new Payload.Certificate(CertEncoding.X509_SIGNATURE.value(), Octets.copyOf(c.getEncoded()));
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException("our own certificate does not encode", e);
                }
            }).toList();
        }

        @Override
        public String toString() {
            return "OwnCertificate[" + chain.getFirst().getSubjectX500Principal() + ", " + scheme + "]";
        }
    }

    /** How the peer's AUTH is checked. */
    public sealed interface Peer permits PeerSharedKey, PeerCertificate {
    }

    /** The shared key the peer's AUTH must be made with; never printed. */
    public record PeerSharedKey(SecretBytes key) implements Peer {
        public PeerSharedKey(byte[] secret) {
            this(SecretBytes.copyOf(secret));
        }

        /** A copy of the key, for the PRF. */
        public byte[] secret() {
            return key.toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PeerSharedKey k && MessageDigest.isEqual(secret(), k.secret());
        }

        @Override
        public int hashCode() {
            return key.length();
        }

        @Override
        public String toString() {
            return "PeerSharedKey[" + key.length() + " octets]";
        }
    }

    /** The peer must present a chain to one of our trust anchors and sign with an accepted scheme. */
    public record PeerCertificate(CertificateChainValidator validator, Set<SignatureScheme> accepted) implements Peer {
        public PeerCertificate {
            accepted = Set.copyOf(accepted);
        }
    }
}

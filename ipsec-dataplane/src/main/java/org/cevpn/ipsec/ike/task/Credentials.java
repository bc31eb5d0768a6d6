package org.cevpn.ipsec.ike.task;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
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

    /** The shared key of a tunnel (RFC 7296 §2.15). Never printed. */
    public record OwnSharedKey(byte[] secret) implements Own {
        public OwnSharedKey {
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OwnSharedKey k && Arrays.equals(secret, k.secret);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(secret);
        }

        @Override
        public String toString() {
            return "OwnSharedKey[" + secret.length + " octets]";
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

    public record PeerSharedKey(byte[] secret) implements Peer {
        public PeerSharedKey {
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PeerSharedKey k && Arrays.equals(secret, k.secret);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(secret);
        }

        @Override
        public String toString() {
            return "PeerSharedKey[" + secret.length + " octets]";
        }
    }

    /** The peer must present a chain to one of our trust anchors and sign with an accepted scheme. */
    public record PeerCertificate(CertificateChainValidator validator, Set<SignatureScheme> accepted) implements Peer {
        public PeerCertificate {
            accepted = Set.copyOf(accepted);
        }
    }
}

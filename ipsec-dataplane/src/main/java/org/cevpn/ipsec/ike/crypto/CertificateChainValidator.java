package org.cevpn.ipsec.ike.crypto;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.cevpn.ipsec.ike.message.CertEncoding;
import org.cevpn.ipsec.ike.message.IdType;
import org.cevpn.ipsec.ike.message.Payload;

/**
 * Validates the peer's certificate chain from its CERT payloads (RFC 7296 §3.6, X.509 signature
 * encoding) against the trust anchors the controller provisioned, with the JDK's PKIX validator
 * (signatures, validity dates, basic constraints, key usage, name chaining), and checks that the
 * peer's ID payload names the end-entity certificate (RFC 4945 §3.1): a DN equal to the subject,
 * or an FQDN, RFC822 address or IP address among its subjectAltNames. Revocation is not checked:
 * the CE-based VPN's key authority rotates certificates and there is no CRL/OCSP service to ask.
 */
public final class CertificateChainValidator {
    private static final int SAN_RFC822 = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final Set<TrustAnchor> anchors;

    public CertificateChainValidator(Collection<X509Certificate> trustedCas) {
        if (trustedCas.isEmpty()) {
            throw new IllegalArgumentException("no trust anchors");
        }
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate ca : trustedCas) {
            a.add(new TrustAnchor(ca, null));
        }
        this.anchors = Set.copyOf(a);
    }

    /**
     * The CERTREQ payload's Certification Authority field for our trust anchors (RFC 7296 §3.7):
     * the concatenated SHA-1 hashes of their SubjectPublicKeyInfo. A peer that sends certificates
     * only when asked (strongSwan's default) needs it.
     */
    public byte[] authorityHashes() {
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (TrustAnchor a : anchors) {
                out.writeBytes(sha1.digest(a.getTrustedCert().getPublicKey().getEncoded()));
            }
            return out.toByteArray();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is unavailable", e);
        }
    }

    /**
     * @param certificates the peer's CERT payloads, end-entity certificate first (RFC 7296 §3.6)
     * @param id           the peer's IDi/IDr payload
     * @param at           the validation time
     * @return the end-entity certificate's public key, to verify the AUTH payload with
     */
    public PublicKey validate(List<Payload.Certificate> certificates, Payload.Identification id, Date at)
            throws AuthenticationFailedException {
        if (certificates.isEmpty()) {
            throw new AuthenticationFailedException("no CERT payload");
        }
        List<X509Certificate> chain = new ArrayList<>(certificates.size());
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Payload.Certificate c : certificates) {
                if (c.encoding() != CertEncoding.X509_SIGNATURE.value()) {
                    throw new AuthenticationFailedException("certificate encoding " + c.encoding() + " not supported");
                }
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(c.data().toByteArray())));
            }
            CertPath path = factory.generateCertPath(withoutAnchors(chain));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(at);
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (CertificateException e) {
            throw new AuthenticationFailedException("unreadable certificate: " + e.getMessage());
        } catch (CertPathValidatorException e) {
            throw new AuthenticationFailedException("certificate chain rejected: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKIX validation unavailable", e);
        }
        X509Certificate leaf = chain.getFirst();
        if (!names(leaf, id)) {
            throw new AuthenticationFailedException("ID does not name the certificate's subject");
        }
        return leaf.getPublicKey();
    }

    /** A peer may send its CA too; PKIX wants the path without the anchor. */
    private List<X509Certificate> withoutAnchors(List<X509Certificate> chain) {
        List<X509Certificate> out = new ArrayList<>(chain);
        if (out.size() > 1) {
            out.removeIf(c -> anchors.stream().anyMatch(a -> a.getTrustedCert().equals(c)));
        }
        return out;
    }

    private static boolean names(X509Certificate leaf, Payload.Identification id) {
        IdType type = IdType.of(id.idType()).orElse(null);
        if (type == null) {
            return false;
        }
        byte[] data = id.data().toByteArray();
        try {
            return switch (type) {
                case DER_ASN1_DN -> new X500Principal(data).equals(leaf.getSubjectX500Principal());
                case FQDN -> hasAltName(leaf, SAN_DNS, new String(data, StandardCharsets.US_ASCII));
                case RFC822_ADDR -> hasAltName(leaf, SAN_RFC822, new String(data, StandardCharsets.US_ASCII));
                case IPV4_ADDR, IPV6_ADDR -> hasAltName(leaf, SAN_IP, InetAddress.getByAddress(data).getHostAddress());
                case DER_ASN1_GN, KEY_ID -> false;
            };
        } catch (IllegalArgumentException | UnknownHostException | CertificateParsingException e) {
            return false; // a malformed ID names nothing
        }
    }

    private static boolean hasAltName(X509Certificate leaf, int kind, String value) throws CertificateParsingException,
            UnknownHostException {
        Collection<List<?>> alt = leaf.getSubjectAlternativeNames();
        if (alt == null) {
            return false;
        }
        for (List<?> entry : alt) {
            if (((Integer) entry.get(0)) != kind || !(entry.get(1) instanceof String s)) {
                continue;
            }
            boolean match = kind == SAN_IP
                    ? InetAddress.getByName(s).getHostAddress().equals(value)
                    : s.equalsIgnoreCase(value);
            if (match) {
                return true;
            }
        }
        return false;
    }
}

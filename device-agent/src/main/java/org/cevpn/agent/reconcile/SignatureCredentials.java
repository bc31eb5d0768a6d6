package org.cevpn.agent.reconcile;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import org.cevpn.agent.config.Authentication;
import org.cevpn.agent.config.ConfigurationException;
import org.cevpn.ipsec.ike.crypto.AuthenticationFailedException;
import org.cevpn.ipsec.ike.crypto.CertificateChainValidator;
import org.cevpn.ipsec.ike.crypto.DigitalSignatureAuth;
import org.cevpn.ipsec.ike.crypto.SignatureScheme;
import org.cevpn.ipsec.ike.task.Credentials;
import org.cevpn.ipsec.ike.task.Identity;

/**
 * The local credentials of a digital-signature peer in the engine's terms (draft §3.3 (ii), RFC 7427).
 *
 * <p>How a certificate is bound to a CE: the CE's id is a subjectAltName dNSName of its certificate, and
 * the CE sends it as an ID_FQDN identity. That is RFC 4945's recommended pairing (the ID is checked against
 * the certificate's subjectAltName, never against a subject CN), and it is what strongSwan does with
 * {@code id = ce1} and a certificate whose SAN is {@code DNS:ce1}. The peer's chain must lead to one of the
 * configured CA certificates, be within its validity dates, and its ID must equal the tuple's ce-id, so a
 * valid certificate of another CE is refused (AUTHENTICATION_FAILED). Pre-shared-key peers keep ID_KEY_ID.
 * A ce-id used with certificates must therefore be a DNS name: letters, digits and hyphens in dot-separated
 * labels (no underscore, which the ce-id type otherwise allows).
 */
final class SignatureCredentials {
    private static final Pattern DNS_NAME =
            Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final int SAN_DNS = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SignatureCredentials() {
    }

    /** The ID_FQDN identity of a CE authenticated by certificate. */
    static Identity identity(String ceId, String whose) {
        if (!DNS_NAME.matcher(ceId).matches()) {
            throw new ConfigurationException(whose + " ce-id '" + ceId + "' is not a DNS name, so no certificate can carry it"
                    + " as a subjectAltName dNSName (digital-signature peers need one)");
        }
        return new Identity(org.cevpn.ipsec.ike.message.IdType.FQDN.value(),
                org.cevpn.ipsec.ike.message.Octets.copyOf(ceId.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * This CE's certificate and private key, checked here so that a configuration mistake is this CE's
     * last-error rather than an AUTHENTICATION_FAILED at the peer: the key must be the certificate's, the
     * certificate must name {@code localCeId} and be valid now.
     */
    static Credentials.OwnCertificate own(Authentication.Signature s, String localCeId) {
        X509Certificate certificate;
        try {
            certificate = certificate(Base64.getDecoder().decode(s.certificateBase64()));
        } catch (CertificateException e) {
            throw new ConfigurationException("local-credentials/certificate is not a DER X.509 certificate");
        }
        checkValidity(certificate);
        if (!hasDnsName(certificate, localCeId)) {
            throw new ConfigurationException("this CE's certificate (" + certificate.getSubjectX500Principal()
                    + ") does not carry its ce-id '" + localCeId + "' as a subjectAltName dNSName");
        }
        String algorithm = certificate.getPublicKey().getAlgorithm();
        SignatureScheme scheme = switch (algorithm) {
            // PSS: strongSwan verifies it through RFC 7427 and it is the engine's choice in the interop matrix.
            case "RSA" -> SignatureScheme.RSA_PSS_SHA256;
            // The hash that matches the curve's strength (RFC 5656 §6.2.1 practice; strongSwan does the same).
            case "EC" -> switch (((ECKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize()) {
                case 256 -> SignatureScheme.ECDSA_SHA256;
                case 384 -> SignatureScheme.ECDSA_SHA384;
                case 521 -> SignatureScheme.ECDSA_SHA512;
                default -> throw new ConfigurationException("this CE's certificate has an EC key on a curve other than P-256, P-384 or P-521");
            };
            default -> throw new ConfigurationException("this CE's certificate has a " + algorithm + " key; RSA and ECDSA are supported");
        };
        PrivateKey key;
        byte[] der = s.privateKey().octets();
        try {
            key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            // Never the key or the provider's message about it: only what kind of key was expected.
            throw new ConfigurationException("local-credentials/private-key is not a PKCS #8 " + algorithm
                    + " private key (the certificate's key type)");
        } finally {
            java.util.Arrays.fill(der, (byte) 0);
        }
        // A key that is not the certificate's would only show up as a bad signature at every peer.
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        try {
            DigitalSignatureAuth.verify(DigitalSignatureAuth.sign(scheme, key, probe, RANDOM), certificate.getPublicKey(), probe,
                    EnumSet.of(scheme));
        } catch (AuthenticationFailedException | IllegalArgumentException e) {
            throw new ConfigurationException("local-credentials/private-key does not belong to the certificate");
        }
        return new Credentials.OwnCertificate(List.of(certificate), key, scheme);
    }

    /** Whether this CE's certificate is valid now (checked on every use: it may have expired since it was read). */
    static void checkValidity(X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new ConfigurationException("this CE's certificate expired on " + certificate.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new ConfigurationException("this CE's certificate is not valid before " + certificate.getNotBefore().toInstant());
        }
    }

    /** How the peer's certificate is checked: a chain to the configured CAs; RSA (PKCS#1, PSS) or ECDSA with SHA-2. */
    static Credentials.PeerCertificate peer(Authentication.Signature s) {
        List<X509Certificate> cas = new ArrayList<>();
        for (String b64 : s.caCertificatesBase64()) {
            try {
                cas.add(certificate(Base64.getDecoder().decode(b64)));
            } catch (CertificateException e) {
                throw new ConfigurationException("a local-credentials/ca-certificate is not a DER X.509 certificate");
            }
        }
        if (cas.isEmpty()) {
            throw new ConfigurationException("digital-signature peers need at least one local-credentials/ca-certificate");
        }
        return new Credentials.PeerCertificate(new CertificateChainValidator(cas), EnumSet.allOf(SignatureScheme.class));
    }

    private static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static boolean hasDnsName(X509Certificate certificate, String name) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            return names.stream().anyMatch(n -> ((Integer) n.get(0)) == SAN_DNS && n.get(1) instanceof String d
                    && d.equalsIgnoreCase(name));
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}

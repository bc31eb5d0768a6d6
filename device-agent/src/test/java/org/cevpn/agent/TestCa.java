package org.cevpn.agent;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made by a test (BouncyCastle): it issues CE certificates the way the VPN
 * server's key authority would, with the CE id as subjectAltName dNSName.
 */
public final class TestCa {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A CE's credentials, DER: the certificate and its PKCS #8 private key. */
    public record Issued(byte[] certificate, byte[] privateKey) {
        public String certificateBase64() {
            return Base64.getEncoder().encodeToString(certificate);
        }

        public String privateKeyBase64() {
            return Base64.getEncoder().encodeToString(privateKey);
        }

        @Override
        public String toString() {
            return "Issued[private key hidden]";
        }
    }

    /** The key types a CE may have. */
    public enum KeyType { EC_P256, EC_P384, RSA_2048 }

    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    public TestCa(String commonName) throws Exception {
        name = new X500Name("CN=" + commonName + ",O=cevpn test");
        keys = keyPair(KeyType.EC_P256);
        Instant now = Instant.now();
        certificate = sign(name, keys, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), true, null);
    }

    public byte[] certificate() throws Exception {
        return certificate.getEncoded();
    }

    public String certificateBase64() throws Exception {
        return Base64.getEncoder().encodeToString(certificate());
    }

    /** A certificate valid from yesterday for 30 days naming {@code ceId}. */
    public Issued issue(String ceId, KeyType type) throws Exception {
        Instant now = Instant.now();
        return issue(ceId, type, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    }

    public Issued issue(String ceId, KeyType type, Instant from, Instant to) throws Exception {
        KeyPair ce = keyPair(type);
        X509Certificate c = sign(new X500Name("CN=" + ceId + ",O=cevpn test"), ce, Date.from(from), Date.from(to), false, ceId);
        return new Issued(c.getEncoded(), ce.getPrivate().getEncoded());
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKeys, Date from, Date to, boolean ca, String dnsName)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM), from, to, subject,
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign : KeyUsage.digitalSignature));
        if (dnsName != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(keys.getPrivate())));
    }

    private static KeyPair keyPair(KeyType type) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(type == KeyType.RSA_2048 ? "RSA" : "EC");
        switch (type) {
            case EC_P256 -> g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            case EC_P384 -> g.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
            case RSA_2048 -> g.initialize(2048, RANDOM);
        }
        return g.generateKeyPair();
    }
}

package org.cevpn.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cevpn.ipsec.ike.message.CertEncoding;
import org.cevpn.ipsec.ike.message.IdType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A CA, an intermediate and CE certificates made with BouncyCastle; validated with the JDK's PKIX. */
public class CertificateChainValidatorTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long DAY = 86_400_000L;
    private static final Date NOW = new Date();
    private static KeyPair caKeys;
    private static KeyPair subKeys;
    private static KeyPair ceKeys;
    private static X509Certificate ca;
    private static X509Certificate sub;
    private static X509Certificate ce;

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    public static X509Certificate issue(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey, boolean isCa,
                                 Date from, Date to, GeneralName... altNames) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), new BigInteger(64, RANDOM),
                from, to, new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign : KeyUsage.digitalSignature));
        if (altNames.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    @BeforeAll
    static void pki() throws Exception {
        caKeys = ec();
        subKeys = ec();
        ceKeys = ec();
        Date from = new Date(NOW.getTime() - DAY);
        Date to = new Date(NOW.getTime() + 365 * DAY);
        ca = issue("CN=cevpn provider CA", caKeys, "CN=cevpn provider CA", caKeys.getPrivate(), true, from, to);
        sub = issue("CN=cevpn VPN 7 CA", subKeys, "CN=cevpn provider CA", caKeys.getPrivate(), true, from, to);
        ce = issue("CN=ce1,O=vpn7", ceKeys, "CN=cevpn VPN 7 CA", subKeys.getPrivate(), false, from, to,
                new GeneralName(GeneralName.dNSName, "ce1.vpn7.example.net"),
                new GeneralName(GeneralName.iPAddress, "192.0.2.11"));
    }

    private static Payload.Certificate cert(X509Certificate c) throws Exception {
        return new Payload.Certificate(CertEncoding.X509_SIGNATURE.value(), Octets.copyOf(c.getEncoded()));
    }

    private static Payload.Identification fqdn(String name) {
        return new Payload.Identification(true, IdType.FQDN.value(), Octets.copyOf(name.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aChainToTheProvisionedCaValidatesAndAuthVerifiesWithItsKey() throws Exception {
        CertificateChainValidator v = new CertificateChainValidator(List.of(ca));
        var key = v.validate(List.of(cert(ce), cert(sub)), fqdn("ce1.vpn7.example.net"), NOW);
        assertEquals(ceKeys.getPublic(), key);
        // The peer may include the root as well.
        v.validate(List.of(cert(ce), cert(sub), cert(ca)), fqdn("CE1.vpn7.example.net"), NOW);
        // IP and DN identities.
        v.validate(List.of(cert(ce), cert(sub)), new Payload.Identification(true, IdType.IPV4_ADDR.value(),
                Octets.copyOf(InetAddress.getByName("192.0.2.11").getAddress())), NOW);
        v.validate(List.of(cert(ce), cert(sub)), new Payload.Identification(true, IdType.DER_ASN1_DN.value(),
                Octets.copyOf(ce.getSubjectX500Principal().getEncoded())), NOW);
        // And the AUTH the CE signs verifies with the validated key.
        byte[] octets = {1, 2, 3, 4};
        byte[] auth = DigitalSignatureAuth.sign(SignatureScheme.ECDSA_SHA256, ceKeys.getPrivate(), octets, RANDOM);
        DigitalSignatureAuth.verify(auth, key, octets, EnumSet.of(SignatureScheme.ECDSA_SHA256));
    }

    @Test
    void brokenChainsAreRefused() throws Exception {
        CertificateChainValidator v = new CertificateChainValidator(List.of(ca));
        Payload.Identification id = fqdn("ce1.vpn7.example.net");
        // intermediate missing
        assertThrows(AuthenticationFailedException.class, () -> v.validate(List.of(cert(ce)), id, NOW));
        // another provider's CA
        KeyPair otherKeys = ec();
        X509Certificate other = issue("CN=cevpn provider CA", otherKeys, "CN=cevpn provider CA", otherKeys.getPrivate(), true,
                new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY));
        assertThrows(AuthenticationFailedException.class,
                () -> new CertificateChainValidator(List.of(other)).validate(List.of(cert(ce), cert(sub)), id, NOW));
        // outside the validity period
        assertThrows(AuthenticationFailedException.class,
                () -> v.validate(List.of(cert(ce), cert(sub)), id, new Date(NOW.getTime() + 400 * DAY)));
        // a CE certificate used as an issuer (no CA basic constraint)
        KeyPair rogueKeys = ec();
        X509Certificate rogue = issue("CN=ce9", rogueKeys, "CN=ce1,O=vpn7", ceKeys.getPrivate(), false,
                new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY), new GeneralName(GeneralName.dNSName, "ce9.example.net"));
        assertThrows(AuthenticationFailedException.class,
                () -> v.validate(List.of(cert(rogue), cert(ce), cert(sub)), fqdn("ce9.example.net"), NOW));
        // garbage, wrong encoding, nothing at all
        assertThrows(AuthenticationFailedException.class, () -> v.validate(List.of(new Payload.Certificate(
                CertEncoding.X509_SIGNATURE.value(), Octets.fromHex("3003020101"))), id, NOW));
        assertThrows(AuthenticationFailedException.class, () -> v.validate(List.of(new Payload.Certificate(
                CertEncoding.RAW_RSA_KEY.value(), Octets.copyOf(ce.getEncoded()))), id, NOW));
        assertThrows(AuthenticationFailedException.class, () -> v.validate(List.of(), id, NOW));
    }

    @Test
    void theIdMustNameTheCertificate() throws Exception {
        CertificateChainValidator v = new CertificateChainValidator(List.of(ca));
        List<Payload.Certificate> chain = List.of(cert(ce), cert(sub));
        assertThrows(AuthenticationFailedException.class, () -> v.validate(chain, fqdn("ce2.vpn7.example.net"), NOW));
        assertThrows(AuthenticationFailedException.class, () -> v.validate(chain, new Payload.Identification(true,
                IdType.IPV4_ADDR.value(), Octets.copyOf(InetAddress.getByName("192.0.2.12").getAddress())), NOW));
        assertThrows(AuthenticationFailedException.class, () -> v.validate(chain, new Payload.Identification(true,
                IdType.DER_ASN1_DN.value(), Octets.copyOf(sub.getSubjectX500Principal().getEncoded())), NOW));
        assertThrows(AuthenticationFailedException.class, () -> v.validate(chain, new Payload.Identification(true,
                IdType.DER_ASN1_DN.value(), Octets.fromHex("ffff")), NOW));
        assertThrows(AuthenticationFailedException.class, () -> v.validate(chain, new Payload.Identification(true,
                IdType.IPV4_ADDR.value(), Octets.fromHex("0102")), NOW));
    }
}

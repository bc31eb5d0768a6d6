package org.cevpn.ipsec.ike.crypto;

import java.io.IOException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.cevpn.ipsec.ike.message.HashAlgorithm;

/**
 * The signature schemes we use with the RFC 7427 Digital Signature authentication method: the
 * AlgorithmIdentifier that prefixes the signature (DER), the JCE algorithm and the key type.
 * ECDSA signatures are DER Ecdsa-Sig-Value as JCE produces them (RFC 7427 §3).
 */
public enum SignatureScheme {
    RSA_PKCS1_SHA256("SHA256withRSA", "RSA", HashAlgorithm.SHA2_256,
            new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE), null),
    RSA_PKCS1_SHA384("SHA384withRSA", "RSA", HashAlgorithm.SHA2_384,
            new AlgorithmIdentifier(PKCSObjectIdentifiers.sha384WithRSAEncryption, DERNull.INSTANCE), null),
    RSA_PKCS1_SHA512("SHA512withRSA", "RSA", HashAlgorithm.SHA2_512,
            new AlgorithmIdentifier(PKCSObjectIdentifiers.sha512WithRSAEncryption, DERNull.INSTANCE), null),
    /** RSASSA-PSS, SHA-256, MGF1 with SHA-256, 32-octet salt, trailer 1 (left at its default). */
    RSA_PSS_SHA256("RSASSA-PSS", "RSA", HashAlgorithm.SHA2_256,
            pss(NISTObjectIdentifiers.id_sha256, 32),
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC)),
    ECDSA_SHA256("SHA256withECDSA", "EC", HashAlgorithm.SHA2_256,
            new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256), null),
    ECDSA_SHA384("SHA384withECDSA", "EC", HashAlgorithm.SHA2_384,
            new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384), null),
    ECDSA_SHA512("SHA512withECDSA", "EC", HashAlgorithm.SHA2_512,
            new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA512), null);

    private final String jceAlgorithm;
    private final String keyAlgorithm;
    private final HashAlgorithm hash;
    private final byte[] algorithmIdentifier;
    private final PSSParameterSpec pssParameters;

    SignatureScheme(String jceAlgorithm, String keyAlgorithm, HashAlgorithm hash, AlgorithmIdentifier id,
                    PSSParameterSpec pssParameters) {
        this.jceAlgorithm = jceAlgorithm;
        this.keyAlgorithm = keyAlgorithm;
        this.hash = hash;
        this.algorithmIdentifier = der(id);
        this.pssParameters = pssParameters;
    }

    private static AlgorithmIdentifier pss(ASN1ObjectIdentifier hashOid, int saltLength) {
        AlgorithmIdentifier hashId = new AlgorithmIdentifier(hashOid, DERNull.INSTANCE);
        RSASSAPSSparams params = new RSASSAPSSparams(hashId,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hashId),
                new ASN1Integer(saltLength), RSASSAPSSparams.DEFAULT_TRAILER_FIELD);
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, params);
    }

    private static byte[] der(ASN1Encodable e) {
        try {
            return e.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException ex) {
            throw new IllegalStateException("DER encoding of a constant failed", ex);
        }
    }

    /** The DER AlgorithmIdentifier as it appears in the AUTH payload. */
    public byte[] algorithmIdentifier() {
        return algorithmIdentifier.clone();
    }

    public String jceAlgorithm() {
        return jceAlgorithm;
    }

    /** "RSA" or "EC": the JCA key algorithm this scheme signs with. */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    public HashAlgorithm hash() {
        return hash;
    }

    /** Parameters the JCE Signature needs (RSASSA-PSS only). */
    public Optional<AlgorithmParameterSpec> parameters() {
        return Optional.ofNullable(pssParameters);
    }

    /** The scheme whose AlgorithmIdentifier is exactly these DER octets. */
    public static Optional<SignatureScheme> byAlgorithmIdentifier(byte[] der) {
        for (SignatureScheme s : values()) {
            if (Arrays.equals(s.algorithmIdentifier, der)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}

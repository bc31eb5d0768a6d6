package org.cevpn.ipsec.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.Set;

/**
 * AUTH by the Digital Signature method (RFC 7427, auth method 14): the AUTH data is
 * {@code len(AlgorithmIdentifier) | AlgorithmIdentifier | signature} over the signed octets of
 * RFC 7296 §2.15.
 */
public final class DigitalSignatureAuth {
    private DigitalSignatureAuth() {
    }

    /** AUTH payload data for {@code signedOctets}. */
    public static byte[] sign(SignatureScheme scheme, PrivateKey key, byte[] signedOctets, SecureRandom random) {
        if (!scheme.keyAlgorithm().equals(key.getAlgorithm())) {
            throw new IllegalArgumentException(scheme + " cannot sign with a " + key.getAlgorithm() + " key");
        }
        try {
            Signature s = Signature.getInstance(scheme.jceAlgorithm());
            if (scheme.parameters().isPresent()) {
                s.setParameter(scheme.parameters().get());
            }
            s.initSign(key, random);
            s.update(signedOctets);
            byte[] signature = s.sign();
            byte[] id = scheme.algorithmIdentifier();
            return KeyDerivation.concat(new byte[] {(byte) id.length}, id, signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(scheme + " signing failed", e);
        }
    }

    /**
     * Verifies AUTH payload data and returns the scheme it used.
     *
     * @param accepted the schemes our policy accepts (e.g. those matching the hash algorithms we
     *                 announced in SIGNATURE_HASH_ALGORITHMS)
     */
    public static SignatureScheme verify(byte[] authData, PublicKey key, byte[] signedOctets,
                                         Set<SignatureScheme> accepted) throws AuthenticationFailedException {
        if (authData.length < 1) {
            throw new AuthenticationFailedException("empty AUTH data");
        }
        int idLength = authData[0] & 0xff;
        if (idLength == 0 || authData.length < 1 + idLength + 1) {
            throw new AuthenticationFailedException("AUTH data shorter than its AlgorithmIdentifier");
        }
        byte[] id = Arrays.copyOfRange(authData, 1, 1 + idLength);
        SignatureScheme scheme = SignatureScheme.byAlgorithmIdentifier(id)
                .orElseThrow(() -> new AuthenticationFailedException("signature AlgorithmIdentifier not supported"));
        if (!accepted.contains(scheme)) {
            throw new AuthenticationFailedException(scheme + " not accepted by policy");
        }
        if (!scheme.keyAlgorithm().equals(key.getAlgorithm())) {
            throw new AuthenticationFailedException(scheme + " signature but the peer's key is " + key.getAlgorithm());
        }
        byte[] signature = Arrays.copyOfRange(authData, 1 + idLength, authData.length);
        try {
            Signature s = Signature.getInstance(scheme.jceAlgorithm());
            if (scheme.parameters().isPresent()) {
                s.setParameter(scheme.parameters().get());
            }
            s.initVerify(key);
            s.update(signedOctets);
            if (!s.verify(signature)) {
                throw new AuthenticationFailedException(scheme + " signature does not verify");
            }
            return scheme;
        } catch (java.security.SignatureException | java.security.InvalidKeyException e) {
            // Malformed signature encodings (e.g. a broken ECDSA DER) land here: a failed check.
            throw new AuthenticationFailedException(scheme + " signature unusable: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(scheme + " is unavailable", e);
        }
    }
}

package org.cevpn.ipsec.crypto;

import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.GCMParameterSpec;

/** AES-GCM with a 16-byte ICV (ENCR_AES_GCM_16, RFC 4106 / RFC 5282). */
public final class AesGcm extends JceAead implements Aead {

    AesGcm(EncryptionAlgorithm algorithm, SecretBytes keyMaterial) {
        super(requireGcm(algorithm), "AES/GCM/NoPadding", "AES", keyMaterial);
    }

    private static EncryptionAlgorithm requireGcm(EncryptionAlgorithm a) {
        if (a != EncryptionAlgorithm.AES_GCM_16_128 && a != EncryptionAlgorithm.AES_GCM_16_256) {
            throw new IllegalArgumentException(a + " is not AES-GCM");
        }
        return a;
    }

    @Override
    AlgorithmParameterSpec parameters(byte[] nonce) {
        return new GCMParameterSpec(128, nonce);
    }
}

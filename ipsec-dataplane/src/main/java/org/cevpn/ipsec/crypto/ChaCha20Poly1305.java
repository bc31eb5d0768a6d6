package org.cevpn.ipsec.crypto;

import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/** ChaCha20-Poly1305 (ENCR_CHACHA20_POLY1305, RFC 7634 on top of RFC 8439). */
public final class ChaCha20Poly1305 extends JceAead implements Aead {

    ChaCha20Poly1305(SecretBytes keyMaterial) {
        super(EncryptionAlgorithm.CHACHA20_POLY1305, "ChaCha20-Poly1305", "ChaCha20", keyMaterial);
    }

    @Override
    AlgorithmParameterSpec parameters(byte[] nonce) {
        return new IvParameterSpec(nonce);
    }
}

package org.cevpn.ipsec.ike.crypto;

import java.util.List;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.message.TransformType;

/**
 * How many octets of key material each key of a negotiated suite takes (RFC 7296 §2.14, §2.17).
 * Encryption lengths include the salt of counter-mode ciphers: 4 octets for AES-GCM (RFC 5282
 * §7.1, RFC 4106 §8.1) and ChaCha20-Poly1305 (RFC 7634 §2.1 / RFC 7539). Integrity is 0 for
 * AEAD suites. {@code prf} is 0 for child SAs.
 */
public record KeyLengths(int prf, int integrity, int encryption) {
    private static final int SALT = 4;

    public KeyLengths {
        if (prf < 0 || integrity < 0 || encryption < 0) {
            throw new IllegalArgumentException("negative key length");
        }
    }

    /** For an IKE SA negotiated with {@code proposal} (one transform of each type chosen). */
    public static KeyLengths forIke(Proposal proposal) {
        Prf prf = Prf.of(single(proposal, TransformType.PRF).id())
                .orElseThrow(() -> new IllegalArgumentException("unsupported PRF in " + proposal));
        return new KeyLengths(prf.keyLength(), integrity(proposal), encryption(single(proposal, TransformType.ENCRYPTION)));
    }

    /** For a child SA (ESP) negotiated with {@code proposal}. */
    public static KeyLengths forChild(Proposal proposal) {
        return new KeyLengths(0, integrity(proposal), encryption(single(proposal, TransformType.ENCRYPTION)));
    }

    public static int encryption(Transform encr) {
        EncryptionAlgorithm alg = EncryptionAlgorithm.of(encr.id())
                .orElseThrow(() -> new IllegalArgumentException("unsupported encryption transform " + encr.id()));
        return switch (alg) {
            case AES_CBC -> aesKey(encr);
            case AES_CTR, AES_GCM_8, AES_GCM_12, AES_GCM_16 -> aesKey(encr) + SALT;
            case CHACHA20_POLY1305 -> 32 + SALT;
        };
    }

    public static int integrity(IntegrityAlgorithm alg) {
        return switch (alg) {
            case NONE -> 0;
            case HMAC_SHA1_96 -> 20;
            case AES_XCBC_96 -> 16;
            case HMAC_SHA2_256_128 -> 32;
            case HMAC_SHA2_384_192 -> 48;
            case HMAC_SHA2_512_256 -> 64;
        };
    }

    public int total() {
        return 2 * (integrity + encryption) + 3 * prf;
    }

    private static int integrity(Proposal proposal) {
        List<Transform> integ = proposal.transforms(TransformType.INTEGRITY);
        if (integ.isEmpty()) {
            return 0;
        }
        if (integ.size() > 1) {
            throw new IllegalArgumentException("more than one integrity transform chosen");
        }
        return integrity(IntegrityAlgorithm.of(integ.getFirst().id())
                .orElseThrow(() -> new IllegalArgumentException("unsupported integrity transform " + integ.getFirst().id())));
    }

    private static int aesKey(Transform encr) {
        int bits = encr.keyLength().orElseThrow(() -> new IllegalArgumentException("AES transform without Key Length"));
        if (bits != 128 && bits != 192 && bits != 256) {
            throw new IllegalArgumentException("AES key length " + bits);
        }
        return bits / 8;
    }

    private static Transform single(Proposal proposal, TransformType type) {
        List<Transform> t = proposal.transforms(type);
        if (t.size() != 1) {
            throw new IllegalArgumentException(t.size() + " transforms of type " + type + " chosen, 1 expected");
        }
        return t.getFirst();
    }
}

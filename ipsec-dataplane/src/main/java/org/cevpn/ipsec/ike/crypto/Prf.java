package org.cevpn.ipsec.ike.crypto;

import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;

/** The IKE pseudorandom functions we implement (RFC 4868 HMAC-SHA2) and prf+ (RFC 7296 §2.13). */
public enum Prf {
    HMAC_SHA2_256(PseudorandomFunction.HMAC_SHA2_256, "HmacSHA256", 32),
    HMAC_SHA2_384(PseudorandomFunction.HMAC_SHA2_384, "HmacSHA384", 48),
    HMAC_SHA2_512(PseudorandomFunction.HMAC_SHA2_512, "HmacSHA512", 64);

    /** prf+ counts blocks with one octet and starts at 1 (§2.13). */
    private static final int MAX_PRF_PLUS_BLOCKS = 255;

    private final PseudorandomFunction id;
    private final String jceName;
    private final int outputLength;

    Prf(PseudorandomFunction id, String jceName, int outputLength) {
        this.id = id;
        this.jceName = jceName;
        this.outputLength = outputLength;
    }

    public static Optional<Prf> of(int transformId) {
        for (Prf p : values()) {
            if (p.id.value() == transformId) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public PseudorandomFunction id() {
        return id;
    }

    public int outputLength() {
        return outputLength;
    }

    /** The preferred key length, used for SK_d, SK_pi and SK_pr (§2.14): the HMAC output length. */
    public int keyLength() {
        return outputLength;
    }

    /** prf(key, data[0] | data[1] | ...). */
    public byte[] compute(byte[] key, byte[]... data) {
        Mac mac = mac(key);
        for (byte[] d : data) {
            mac.update(d);
        }
        return mac.doFinal();
    }

    /**
     * prf+(K, S) = T1 | T2 | ... truncated to {@code length}, where T1 = prf(K, S | 0x01) and
     * Tn = prf(K, T(n-1) | S | n).
     */
    public byte[] plus(byte[] key, byte[] seed, int length) {
        if (length < 0 || length > MAX_PRF_PLUS_BLOCKS * outputLength) {
            throw new IllegalArgumentException("prf+ cannot produce " + length + " octets with " + this);
        }
        Mac mac = mac(key);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int filled = 0;
        for (int n = 1; filled < length; n++) {
            mac.update(t);
            mac.update(seed);
            mac.update((byte) n);
            t = mac.doFinal();
            int take = Math.min(t.length, length - filled);
            System.arraycopy(t, 0, out, filled, take);
            filled += take;
        }
        return out;
    }

    private Mac mac(byte[] key) {
        try {
            Mac mac = org.cevpn.ipsec.crypto.JceProviders.mac(jceName);
            // HMAC pads keys with zeros to the block size, so an empty key equals a one-zero-octet
            // key; SecretKeySpec refuses empty keys, hence the substitution.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, jceName));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jceName + " is unavailable", e);
        }
    }
}

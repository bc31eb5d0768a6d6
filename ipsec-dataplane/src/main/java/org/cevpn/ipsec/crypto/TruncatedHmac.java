package org.cevpn.ipsec.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC truncated to the ICV length of its IANA integrity transform (RFC 4868 for SHA-2:
 * AUTH_HMAC_SHA2_256_128 keeps the leftmost 128 bits, _384_192 the leftmost 192, _512_256 the
 * leftmost 256; the key is as long as the hash output). Data is fed in pieces so ESP can authenticate
 * SPI || sequence || IV || ciphertext || (ESN high bits) without copying. Not thread-safe.
 */
public final class TruncatedHmac {
    private final IntegrityAlgorithm algorithm;
    private final Mac mac;
    private final byte[] full;
    private final byte[] expected;

    public TruncatedHmac(IntegrityAlgorithm algorithm, SecretBytes key) {
        if (algorithm.jceName() == null) {
            throw new IllegalArgumentException("unsupported integrity algorithm " + algorithm);
        }
        if (key.length() != algorithm.keyLength()) {
            throw new IllegalArgumentException(algorithm + " needs a " + algorithm.keyLength() + "-byte key, got " + key.length());
        }
        this.algorithm = algorithm;
        try {
            this.mac = JceProviders.mac(algorithm.jceName());
            mac.init(new SecretKeySpec(key.toByteArray(), algorithm.jceName()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jceName() + " is not available", e);
        }
        this.full = new byte[mac.getMacLength()];
        this.expected = new byte[algorithm.icvLength()];
    }

    public IntegrityAlgorithm algorithm() { return algorithm; }

    public int icvLength() { return algorithm.icvLength(); }

    public void update(byte[] data, int off, int len) {
        mac.update(data, off, len);
    }

    /** Finishes the MAC and writes the truncated ICV at {@code out[outOff]}; resets for the next message. */
    public void finish(byte[] out, int outOff) {
        try {
            mac.doFinal(full, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        System.arraycopy(full, 0, out, outOff, algorithm.icvLength());
    }

    /** Finishes the MAC and compares it in constant time with the ICV at {@code icv[icvOff]}. */
    public boolean verify(byte[] icv, int icvOff) {
        finish(expected, 0);
        int diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff |= expected[i] ^ icv[icvOff + i];
        }
        return diff == 0;
    }

    /** Resets a partially fed MAC (after a parse error). */
    public void reset() {
        mac.reset();
    }

    /** One-shot convenience for tests and IKE: truncated HMAC of {@code data}. */
    public byte[] compute(byte[] data) {
        byte[] out = new byte[icvLength()];
        update(data, 0, data.length);
        finish(out, 0);
        return out;
    }

    @Override
    public String toString() {
        return "TruncatedHmac[" + algorithm + ", key redacted]";
    }
}

package org.cevpn.ipsec.esp;

import org.cevpn.ipsec.crypto.Aead;
import org.cevpn.ipsec.crypto.AesCbc;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.crypto.TruncatedHmac;
import org.cevpn.ipsec.crypto.UnpredictableIvSource;

/**
 * How one SA turns an ESP header + plaintext into IV, ciphertext and ICV and back: combined mode
 * (RFC 4106 / RFC 7634) or encrypt-then-MAC (RFC 3602 + RFC 4868). The ESP packet layout handled here
 * is {@code SPI(4) | Seq(4) | IV | ciphertext | ICV}; the caller writes SPI and Seq first.
 *
 * <p>Not thread-safe (cipher objects and scratch buffers): the owning SA serialises calls.
 */
sealed interface EspProtection permits EspProtection.Combined, EspProtection.EncryptThenMac {

    int ivLength();

    int icvLength();

    /** Alignment of payload + padding + 2 trailer bytes. */
    int blockSize();

    /**
     * Writes IV, ciphertext of {@code plain[pOff, pOff+pLen)} and ICV after the 8-byte ESP header at
     * {@code out[outOff]}; returns the ESP packet length.
     */
    int protect(long seq, boolean esn, byte[] plain, int pOff, int pLen, byte[] out, int outOff);

    /**
     * Verifies and decrypts the ESP packet {@code pkt[off, off+len)} into {@code out[outOff]}; returns the
     * plaintext length (payload + padding + trailer) or a negative {@link DropReason} code.
     */
    int unprotect(long seq, boolean esn, byte[] pkt, int off, int len, byte[] out, int outOff);

    static EspProtection create(EncryptionAlgorithm enc, SecretBytes encKey, IntegrityAlgorithm integ, SecretBytes integKey) {
        if (enc.isAead()) {
            if (integ != IntegrityAlgorithm.NONE) {
                throw new IllegalArgumentException(enc + " is combined mode: integrity must be NONE, not " + integ);
            }
            return new Combined(Aead.create(enc, encKey));
        }
        if (integ == IntegrityAlgorithm.NONE || integKey == null) {
            throw new IllegalArgumentException(enc + " needs an integrity algorithm and key (ESP without integrity is refused)");
        }
        return new EncryptThenMac(new AesCbc(enc, encKey), new TruncatedHmac(integ, integKey));
    }

    /** AEAD: IV = the 64-bit sequence number (unique per SA, RFC 4106 §3.1); AAD = SPI || [Seq high] || Seq low. */
    final class Combined implements EspProtection {
        private final Aead aead;
        private final byte[] aad = new byte[12];
        private final byte[] iv = new byte[8];

        Combined(Aead aead) {
            this.aead = aead;
        }

        @Override public int ivLength() { return 8; }

        @Override public int icvLength() { return aead.icvLength(); }

        @Override public int blockSize() { return aead.algorithm().blockSize(); }

        @Override
        public int protect(long seq, boolean esn, byte[] plain, int pOff, int pLen, byte[] out, int outOff) {
            Bytes.putLong(out, outOff + 8, seq);
            int aadLen = aad(esn, seq, out, outOff);
            byte[] aadBuf = esn ? aad : out;
            int aadOff = esn ? 0 : outOff;
            int n = aead.seal(out, outOff + 8, aadBuf, aadOff, aadLen, plain, pOff, pLen, out, outOff + 16);
            return 16 + n;
        }

        @Override
        public int unprotect(long seq, boolean esn, byte[] pkt, int off, int len, byte[] out, int outOff) {
            int ctLen = len - 16;
            if (ctLen < aead.icvLength() + 4) {
                return DropReason.TRUNCATED.code();
            }
            int aadLen = aad(esn, seq, pkt, off);
            System.arraycopy(pkt, off + 8, iv, 0, 8);
            int n = esn
                    ? aead.open(iv, 0, aad, 0, aadLen, pkt, off + 16, ctLen, out, outOff)
                    : aead.open(iv, 0, pkt, off, aadLen, pkt, off + 16, ctLen, out, outOff);
            return n < 0 ? DropReason.BAD_ICV.code() : n;
        }

        /** Without ESN the AAD is the 8 header bytes in place; with ESN it is rebuilt in {@link #aad}. */
        private int aad(boolean esn, long seq, byte[] header, int off) {
            if (!esn) {
                return 8;
            }
            System.arraycopy(header, off, aad, 0, 4);
            Bytes.putInt(aad, 4, (int) (seq >>> 32));
            Bytes.putInt(aad, 8, (int) seq);
            return 12;
        }
    }

    /** CBC + HMAC: random-looking IV, ICV = HMAC(SPI | Seq | IV | ciphertext [| Seq high]) (RFC 4303 §2.8, §3.3.2.2). */
    final class EncryptThenMac implements EspProtection {
        private final AesCbc cbc;
        private final TruncatedHmac mac;
        private final UnpredictableIvSource ivSource = new UnpredictableIvSource(new java.security.SecureRandom());
        private final byte[] seqHigh = new byte[4];

        EncryptThenMac(AesCbc cbc, TruncatedHmac mac) {
            this.cbc = cbc;
            this.mac = mac;
        }

        @Override public int ivLength() { return AesCbc.BLOCK; }

        @Override public int icvLength() { return mac.icvLength(); }

        @Override public int blockSize() { return AesCbc.BLOCK; }

        @Override
        public int protect(long seq, boolean esn, byte[] plain, int pOff, int pLen, byte[] out, int outOff) {
            ivSource.next(out, outOff + 8);
            int n = cbc.encrypt(out, outOff + 8, plain, pOff, pLen, out, outOff + 24);
            int authLen = 24 + n;
            mac.update(out, outOff, authLen);
            if (esn) {
                Bytes.putInt(seqHigh, 0, (int) (seq >>> 32));
                mac.update(seqHigh, 0, 4);
            }
            mac.finish(out, outOff + authLen);
            return authLen + mac.icvLength();
        }

        @Override
        public int unprotect(long seq, boolean esn, byte[] pkt, int off, int len, byte[] out, int outOff) {
            int ctLen = len - 24 - mac.icvLength();
            if (ctLen < AesCbc.BLOCK) {
                return DropReason.TRUNCATED.code();
            }
            if (ctLen % AesCbc.BLOCK != 0) {
                return DropReason.MALFORMED.code();
            }
            mac.update(pkt, off, 24 + ctLen);
            if (esn) {
                Bytes.putInt(seqHigh, 0, (int) (seq >>> 32));
                mac.update(seqHigh, 0, 4);
            }
            if (!mac.verify(pkt, off + 24 + ctLen)) {
                return DropReason.BAD_ICV.code();
            }
            return cbc.decrypt(pkt, off + 8, pkt, off + 24, ctLen, out, outOff);
        }
    }
}

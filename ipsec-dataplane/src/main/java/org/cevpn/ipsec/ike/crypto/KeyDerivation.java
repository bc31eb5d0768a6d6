package org.cevpn.ipsec.ike.crypto;

import java.util.Arrays;

/** SKEYSEED, the IKE SA keys and child SA key material (RFC 7296 §2.14, §2.17, §2.18). */
public final class KeyDerivation {
    private KeyDerivation() {
    }

    /** SKEYSEED = prf(Ni | Nr, g^ir) for a new IKE SA (§2.14; HMAC PRFs take the whole nonces). */
    public static byte[] skeyseed(Prf prf, byte[] ni, byte[] nr, byte[] sharedSecret) {
        byte[] key = concat(ni, nr);
        try {
            return prf.compute(key, sharedSecret);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) for an IKE SA rekeyed with CREATE_CHILD_SA
     * (§2.18), where the PRF is the old IKE SA's.
     */
    public static byte[] rekeySkeyseed(Prf oldPrf, byte[] oldSkD, byte[] sharedSecret, byte[] ni, byte[] nr) {
        return oldPrf.compute(oldSkD, sharedSecret, ni, nr);
    }

    /** {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). */
    public static IkeSaKeys ikeSaKeys(Prf prf, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR,
                                      KeyLengths lengths) {
        byte[] seed = concat(ni, nr, spi(spiI), spi(spiR));
        byte[] keymat = prf.plus(skeyseed, seed, lengths.total());
        try {
            return new IkeSaKeys(keymat, lengths);
        } finally {
            Arrays.fill(keymat, (byte) 0);
        }
    }

    /**
     * KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir (new) | Ni | Nr) when the CREATE_CHILD_SA
     * exchange carried KE payloads (PFS); {@code sharedSecret} is null without PFS.
     */
    public static ChildSaKeys childSaKeys(Prf prf, byte[] skD, byte[] sharedSecret, byte[] ni, byte[] nr,
                                          KeyLengths lengths) {
        byte[] seed = sharedSecret == null ? concat(ni, nr) : concat(sharedSecret, ni, nr);
        byte[] keymat = prf.plus(skD, seed, 2 * (lengths.encryption() + lengths.integrity()));
        try {
            return new ChildSaKeys(keymat, lengths);
        } finally {
            Arrays.fill(keymat, (byte) 0);
            if (sharedSecret != null) {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }

    /** An IKE SPI as the eight big-endian octets the wire and the formulas use. */
    public static byte[] spi(long spi) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (spi >>> (56 - 8 * i));
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}

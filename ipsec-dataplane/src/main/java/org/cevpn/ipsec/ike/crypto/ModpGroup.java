package org.cevpn.ipsec.ike.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.cevpn.ipsec.ike.message.DhGroup;

/**
 * Finite-field Diffie-Hellman over the RFC 3526 2048-bit MODP group (group 14). Public values
 * and the shared secret are big-endian, left-padded to the modulus length (RFC 7296 §3.4, §2.14).
 */
public final class ModpGroup implements DiffieHellman {
    /** RFC 3526 §3, generator 2. */
    static final ModpGroup MODP_2048 = new ModpGroup(DhGroup.MODP_2048, new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
            + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
            + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
            + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
            + "15728E5A8AACAA68FFFFFFFFFFFFFFFF", 16), BigInteger.TWO, 320);

    private final DhGroup group;
    private final BigInteger p;
    private final BigInteger g;
    private final int length;
    /**
     * Private exponent size. RFC 3526 §8 sizes it at twice the group's strength and estimates that
     * strength for the 2048-bit group at 110 or, more conservatively, 160 bits: 220 or 320 bits of
     * exponent. We take the conservative 320 (OpenSSL uses 225 for this group, NIST SP 800-56A at
     * least 224). The cost of each modular exponentiation grows linearly with the exponent length,
     * and two of them are most of a MODP-2048 handshake's CPU time: 512 bits cost 60 % more for
     * no strength the 2048-bit modulus itself can back.
     */
    private final int exponentBits;

    private ModpGroup(DhGroup group, BigInteger p, BigInteger g, int exponentBits) {
        this.group = group;
        this.p = p;
        this.g = g;
        this.length = (p.bitLength() + 7) / 8;
        this.exponentBits = exponentBits;
    }

    @Override
    public DhGroup group() {
        return group;
    }

    @Override
    public int publicValueLength() {
        return length;
    }

    @Override
    public KeyShare generate(SecureRandom random) {
        BigInteger x;
        do {
            x = new BigInteger(exponentBits, random);
        } while (x.bitLength() < exponentBits - 8);
        return new Share(x);
    }

    /** A share with a chosen private exponent (test vectors and cross-checks). */
    KeyShare fromPrivate(BigInteger x) {
        return new Share(x);
    }

    private byte[] pad(BigInteger v) {
        byte[] raw = v.toByteArray();
        if (raw.length == length) {
            return raw;
        }
        byte[] out = new byte[length];
        int skip = raw.length > length ? raw.length - length : 0; // a leading sign octet
        System.arraycopy(raw, skip, out, length - (raw.length - skip), raw.length - skip);
        return out;
    }

    private final class Share implements KeyShare {
        private BigInteger x;

        Share(BigInteger x) {
            this.x = x;
        }

        @Override
        public DhGroup group() {
            return group;
        }

        @Override
        public byte[] publicValue() {
            return pad(g.modPow(key(), p));
        }

        @Override
        public byte[] sharedSecret(byte[] peer) throws InvalidPublicValueException {
            if (peer.length != length) {
                throw new InvalidPublicValueException("MODP public value of " + peer.length + " octets, "
                        + length + " expected");
            }
            BigInteger y = new BigInteger(1, peer);
            // RFC 6989 §2.1: 1 < y < p-1. For these safe-prime groups that excludes the
            // small subgroup {1, p-1}; y >= p is not a group element at all.
            if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
                throw new InvalidPublicValueException("MODP public value outside 1 < y < p-1");
            }
            return pad(y.modPow(key(), p));
        }

        private BigInteger key() {
            if (x == null) {
                throw new IllegalStateException("key share destroyed");
            }
            return x;
        }

        @Override
        public void destroy() {
            // BigInteger cannot be wiped; dropping the reference is all the JDK allows.
            x = null;
        }

        @Override
        public String toString() {
            return "ModpShare[" + group + "]";
        }
    }

    @Override
    public String toString() {
        return "ModpGroup[" + group + "]";
    }
}

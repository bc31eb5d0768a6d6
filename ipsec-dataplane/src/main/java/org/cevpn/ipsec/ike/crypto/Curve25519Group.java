package org.cevpn.ipsec.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.cevpn.ipsec.ike.message.DhGroup;

/**
 * Curve25519 (group 31, RFC 8031) with the JDK's X25519. Public values and the shared secret are
 * the 32-octet little-endian u-coordinates of RFC 7748; RFC 8031 §2 asks the receiver to reject an
 * all-zero shared secret (a small-order peer value).
 */
public final class Curve25519Group implements DiffieHellman {
    static final Curve25519Group INSTANCE = new Curve25519Group();
    private static final int LENGTH = 32;
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private Curve25519Group() {
    }

    @Override
    public DhGroup group() {
        return DhGroup.CURVE25519;
    }

    @Override
    public int publicValueLength() {
        return LENGTH;
    }

    @Override
    public KeyShare generate(SecureRandom random) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("X25519");
            kpg.initialize(NamedParameterSpec.X25519, random);
            KeyPair kp = kpg.generateKeyPair();
            return new Share(kp.getPrivate(), encode(((XECPublicKey) kp.getPublic()).getU()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's X25519 is unavailable", e);
        }
    }

    /** A share with a chosen private scalar (RFC 7748 test vectors). */
    KeyShare fromPrivate(byte[] scalar) {
        try {
            PrivateKey key = KeyFactory.getInstance("X25519")
                    .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
            byte[] basePoint = new byte[LENGTH];
            basePoint[0] = 9;
            return new Share(key, agree(key, basePoint));
        } catch (GeneralSecurityException | InvalidPublicValueException e) {
            throw new IllegalArgumentException("unusable X25519 scalar", e);
        }
    }

    private static byte[] agree(PrivateKey key, byte[] peer) throws InvalidPublicValueException {
        if (peer.length != LENGTH) {
            throw new InvalidPublicValueException("Curve25519 public value of " + peer.length + " octets, 32 expected");
        }
        try {
            PublicKey peerKey = KeyFactory.getInstance("X25519")
                    .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(peer)));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(key);
            ka.doPhase(peerKey, true);
            byte[] secret = ka.generateSecret();
            if (isAllZero(secret)) {
                throw new InvalidPublicValueException("Curve25519 shared secret is all zero");
            }
            return secret;
        } catch (InvalidKeyException e) {
            // The JDK refuses small-order points itself; same verdict as the all-zero check.
            throw new InvalidPublicValueException("Curve25519 public value refused: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's X25519 is unavailable", e);
        }
    }

    /** RFC 7748 §5: little-endian, the top bit masked, non-canonical values reduced mod p. */
    private static BigInteger decodeU(byte[] le) {
        byte[] be = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            be[i] = le[LENGTH - 1 - i];
        }
        be[0] &= 0x7f;
        return new BigInteger(1, be).mod(P);
    }

    private static byte[] encode(BigInteger u) {
        byte[] out = new byte[LENGTH];
        byte[] be = u.toByteArray();
        for (int i = 0; i < LENGTH && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static final class Share implements KeyShare {
        private PrivateKey key;
        private final byte[] publicValue;

        Share(PrivateKey key, byte[] publicValue) {
            this.key = key;
            this.publicValue = publicValue;
        }

        @Override
        public DhGroup group() {
            return DhGroup.CURVE25519;
        }

        @Override
        public byte[] publicValue() {
            return publicValue.clone();
        }

        @Override
        public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidPublicValueException {
            if (key == null) {
                throw new IllegalStateException("key share destroyed");
            }
            return agree(key, peerPublicValue);
        }

        @Override
        public void destroy() {
            key = null;
        }

        @Override
        public String toString() {
            return "Curve25519Share";
        }
    }

    @Override
    public String toString() {
        return "Curve25519Group";
    }
}

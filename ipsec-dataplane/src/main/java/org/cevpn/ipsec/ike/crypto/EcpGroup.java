package org.cevpn.ipsec.ike.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.cevpn.ipsec.ike.message.DhGroup;

/**
 * Elliptic-curve Diffie-Hellman over the RFC 5903 groups 19 (P-256) and 20 (P-384). The KE
 * payload carries x || y, each the field length, with no point-format octet (RFC 5903 §7); the
 * shared secret is the x coordinate alone (§9). Point arithmetic is BouncyCastle's (its custom
 * curve implementations), because JCE can neither validate an encoded point nor derive a public
 * key from a chosen private one, which the RFC 5903 known-answer tests need.
 */
public final class EcpGroup implements DiffieHellman {
    static final EcpGroup P256 = new EcpGroup(DhGroup.ECP_256, "secp256r1");
    static final EcpGroup P384 = new EcpGroup(DhGroup.ECP_384, "secp384r1");

    private final DhGroup group;
    private final ECCurve curve;
    private final ECPoint generator;
    private final BigInteger order;
    private final int fieldLength;

    private EcpGroup(DhGroup group, String curveName) {
        X9ECParameters params = CustomNamedCurves.getByName(curveName);
        this.group = group;
        this.curve = params.getCurve();
        this.generator = params.getG();
        this.order = params.getN();
        this.fieldLength = (curve.getFieldSize() + 7) / 8;
    }

    @Override
    public DhGroup group() {
        return group;
    }

    @Override
    public int publicValueLength() {
        return 2 * fieldLength;
    }

    @Override
    public KeyShare generate(SecureRandom random) {
        return new Share(BigIntegers.createRandomInRange(BigInteger.ONE, order.subtract(BigInteger.ONE), random));
    }

    /** A share with a chosen private scalar (RFC 5903 test vectors). */
    KeyShare fromPrivate(byte[] scalar) {
        BigInteger d = new BigInteger(1, scalar);
        if (d.signum() <= 0 || d.compareTo(order) >= 0) {
            throw new IllegalArgumentException("private scalar out of range");
        }
        return new Share(d);
    }

    private ECPoint decode(byte[] value) throws InvalidPublicValueException {
        if (value.length != 2 * fieldLength) {
            throw new InvalidPublicValueException(group + " public value of " + value.length + " octets, "
                    + 2 * fieldLength + " expected");
        }
        BigInteger x = new BigInteger(1, value, 0, fieldLength);
        BigInteger y = new BigInteger(1, value, fieldLength, fieldLength);
        BigInteger p = curve.getField().getCharacteristic();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            throw new InvalidPublicValueException(group + " coordinate not below the field prime");
        }
        try {
            // Checks the curve equation (RFC 6989 §2.3); the cofactor of these curves is 1, so every
            // curve point other than infinity is in the prime-order group.
            return curve.validatePoint(x, y);
        } catch (IllegalArgumentException e) {
            throw new InvalidPublicValueException(group + " public value is not a point on the curve");
        }
    }

    private final class Share implements KeyShare {
        private BigInteger d;

        Share(BigInteger d) {
            this.d = d;
        }

        @Override
        public DhGroup group() {
            return group;
        }

        @Override
        public byte[] publicValue() {
            ECPoint q = new FixedPointCombMultiplier().multiply(generator, key()).normalize();
            byte[] out = new byte[2 * fieldLength];
            BigIntegers.asUnsignedByteArray(q.getAffineXCoord().toBigInteger(), out, 0, fieldLength);
            BigIntegers.asUnsignedByteArray(q.getAffineYCoord().toBigInteger(), out, fieldLength, fieldLength);
            return out;
        }

        @Override
        public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidPublicValueException {
            ECPoint s = decode(peerPublicValue).multiply(key()).normalize();
            if (s.isInfinity()) {
                throw new InvalidPublicValueException(group + " shared point is the point at infinity");
            }
            return BigIntegers.asUnsignedByteArray(fieldLength, s.getAffineXCoord().toBigInteger());
        }

        private BigInteger key() {
            if (d == null) {
                throw new IllegalStateException("key share destroyed");
            }
            return d;
        }

        @Override
        public void destroy() {
            d = null;
        }

        @Override
        public String toString() {
            return "EcpShare[" + group + "]";
        }
    }

    @Override
    public String toString() {
        return "EcpGroup[" + group + "]";
    }
}

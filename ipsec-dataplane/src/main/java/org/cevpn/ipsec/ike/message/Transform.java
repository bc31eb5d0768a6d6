package org.cevpn.ipsec.ike.message;

import java.util.List;
import java.util.OptionalInt;

/** A transform substructure (RFC 7296 §3.3.2): one algorithm of one transform type. */
public record Transform(int type, int id, List<TransformAttribute> attributes) {
    public Transform {
        if (type < 0 || type > 0xff || id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("transform type/id out of range: " + type + "/" + id);
        }
        attributes = List.copyOf(attributes);
    }

    public static Transform encryption(EncryptionAlgorithm algorithm, int keyBits) {
        return new Transform(TransformType.ENCRYPTION.value(), algorithm.value(),
                List.of(TransformAttribute.keyLength(keyBits)));
    }

    /** An encryption transform without key length (ChaCha20-Poly1305 has a fixed key size). */
    public static Transform encryption(EncryptionAlgorithm algorithm) {
        return new Transform(TransformType.ENCRYPTION.value(), algorithm.value(), List.of());
    }

    public static Transform prf(PseudorandomFunction prf) {
        return new Transform(TransformType.PRF.value(), prf.value(), List.of());
    }

    public static Transform integrity(IntegrityAlgorithm integrity) {
        return new Transform(TransformType.INTEGRITY.value(), integrity.value(), List.of());
    }

    public static Transform dhGroup(DhGroup group) {
        return new Transform(TransformType.KEY_EXCHANGE.value(), group.value(), List.of());
    }

    public static Transform sequenceNumbers(SequenceNumbers esn) {
        return new Transform(TransformType.SEQUENCE_NUMBERS.value(), esn.value(), List.of());
    }

    /** The Key Length attribute in bits, if present. */
    public OptionalInt keyLength() {
        for (TransformAttribute a : attributes) {
            if (a.type() == TransformAttribute.KEY_LENGTH && a.shortForm()) {
                return OptionalInt.of(a.shortValue());
            }
        }
        return OptionalInt.empty();
    }

    public boolean is(TransformType t) {
        return type == t.value();
    }
}

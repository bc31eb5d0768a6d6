package org.cevpn.ipsec.ike.crypto;

import java.security.SecureRandom;
import java.util.Optional;
import org.cevpn.ipsec.ike.message.DhGroup;

/**
 * A key exchange method for the KE payload (RFC 7296 §2.7, §3.4). Each group knows its public
 * value encoding and validates the peer's value before use (RFC 6989).
 */
public sealed interface DiffieHellman permits ModpGroup, EcpGroup, Curve25519Group {

    DhGroup group();

    /** Length of the public value in the KE payload, and of the shared secret. */
    int publicValueLength();

    /** A fresh private key with its public value. */
    KeyShare generate(SecureRandom random);

    /** The groups we implement: 14, 19, 20 and 31. */
    static Optional<DiffieHellman> of(DhGroup group) {
        return Optional.ofNullable(switch (group) {
            case MODP_2048 -> ModpGroup.MODP_2048;
            case ECP_256 -> EcpGroup.P256;
            case ECP_384 -> EcpGroup.P384;
            case CURVE25519 -> Curve25519Group.INSTANCE;
            default -> null;
        });
    }

    static Optional<DiffieHellman> of(int groupNumber) {
        return DhGroup.of(groupNumber).flatMap(DiffieHellman::of);
    }

    /**
     * Our half of one exchange: the private key stays inside. {@link #destroy()} after use; the
     * shared secret returned is the caller's to wipe.
     */
    interface KeyShare {
        DhGroup group();

        /** Our public value, encoded for the KE payload. */
        byte[] publicValue();

        /** g^ir from the peer's KE payload data, after validating it. */
        byte[] sharedSecret(byte[] peerPublicValue) throws InvalidPublicValueException;

        void destroy();
    }
}

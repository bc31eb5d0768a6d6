package org.cevpn.ipsec.ike.task;

import java.util.Arrays;

/**
 * Simultaneous rekeying (RFC 7296 §2.8.1): when both peers rekey the same SA at once, two new
 * SAs appear. The one whose exchange carried the lowest of the four nonces is redundant, and the
 * peer that initiated that exchange deletes it. Nonces compare as unsigned octet strings.
 */
public final class RekeyCollision {
    private RekeyCollision() {
    }

    /** The nonces of one of the two colliding CREATE_CHILD_SA exchanges. */
    public record Exchange(byte[] ni, byte[] nr) {
        public Exchange {
            ni = ni.clone();
            nr = nr.clone();
        }

        byte[] lowest() {
            return Arrays.compareUnsigned(ni, nr) <= 0 ? ni : nr;
        }
    }

    /** True if the SA made by {@code ours} (the exchange we initiated) is the redundant one. */
    public static boolean oursIsRedundant(Exchange ours, Exchange theirs) {
        return Arrays.compareUnsigned(ours.lowest(), theirs.lowest()) < 0;
    }
}

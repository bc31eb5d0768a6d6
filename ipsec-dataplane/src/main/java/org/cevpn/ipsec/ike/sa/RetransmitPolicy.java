package org.cevpn.ipsec.ike.sa;

import java.time.Duration;

/**
 * When an unanswered request is sent again (RFC 7296 §2.1: the initiator retransmits, the
 * responder never does): after {@code initial}, then each wait {@code base} times the previous,
 * {@code tries} retransmissions in all, then the peer is declared dead. strongSwan's defaults
 * (4 s, 1.8, 5) give up after about 165 s; a CE of the draft uses the same so that two CEs of
 * either implementation agree on when a tunnel is down.
 */
public record RetransmitPolicy(Duration initial, double base, int tries) {
    public static final RetransmitPolicy STRONGSWAN_DEFAULT = new RetransmitPolicy(Duration.ofSeconds(4), 1.8, 5);

    public RetransmitPolicy {
        if (initial.isNegative() || initial.isZero() || base < 1.0 || tries < 0) {
            throw new IllegalArgumentException("retransmit policy out of range");
        }
    }

    /** The wait after the {@code n}-th transmission (0 = the original). */
    public Duration waitAfter(int n) {
        return Duration.ofNanos((long) (initial.toNanos() * Math.pow(base, n)));
    }
}

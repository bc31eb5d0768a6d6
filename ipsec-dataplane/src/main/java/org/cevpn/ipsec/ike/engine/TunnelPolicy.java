package org.cevpn.ipsec.ike.engine;

import java.time.Duration;
import org.cevpn.ipsec.esp.Lifetime;

/**
 * How a CE keeps its tunnel with one peer, all from configuration (draft §3.4):
 * <ul>
 * <li>{@code permanent}: a permanent tunnel is set up at once and kept up (dynamic routing through
 *     the tunnels); otherwise the tunnel is traffic-driven: set up when the data plane sees traffic
 *     for the peer and torn down after {@code idleTimeout} without traffic.</li>
 * <li>after a failed negotiation: wait {@code retryMinimum}, then {@code t1}, doubling up to
 *     {@code backoffLimit}, where an alarm is raised (and retries go on at the limit's pace).</li>
 * <li>{@code ikeLifetime}, {@code childLifetime}: rekeyed before they run out, at
 *     {@code lifetime × (1 − rekeyMargin − rekeyJitter × u)} for a random u in [0, 1) so that two
 *     CEs rarely rekey the same SA at once.</li>
 * <li>{@code childLifetimeOctets}: the child SA's volume limit (0: none). Child SAs go into the SAD
 *     with both limits ({@link #childSaLifetime}): the soft ones, at the same fraction, start the
 *     rekey; the hard ones end the SA.</li>
 * <li>{@code livenessInterval}: after this long without hearing from the peer (IKE or ESP), an
 *     empty INFORMATIONAL checks it is alive (RFC 7296 §2.4); unanswered, the tunnel goes down.
 *     {@link Duration#ZERO} turns checks off. The same holds for {@code natKeepaliveInterval}
 *     (RFC 3948 §2.3, only sent when we are behind a NAT).</li>
 * </ul>
 */
public record TunnelPolicy(boolean permanent, Duration retryMinimum, Duration t1, Duration backoffLimit,
                           Duration ikeLifetime, Duration childLifetime, double rekeyMargin, double rekeyJitter,
                           Duration livenessInterval, Duration idleTimeout, Duration natKeepaliveInterval,
                           long childLifetimeOctets) {
    public TunnelPolicy {
        if (childLifetimeOctets < 0) {
            throw new IllegalArgumentException("the child SA octet lifetime is 0 (none) or positive");
        }
        requirePositive(retryMinimum, "retry minimum");
        requirePositive(t1, "t1");
        requirePositive(ikeLifetime, "IKE SA lifetime");
        requirePositive(childLifetime, "child SA lifetime");
        if (backoffLimit.compareTo(t1) < 0) {
            throw new IllegalArgumentException("the backoff limit must be at least t1");
        }
        if (rekeyMargin < 0 || rekeyJitter < 0 || rekeyMargin + rekeyJitter >= 1) {
            throw new IllegalArgumentException("rekey margin and jitter are fractions of the lifetime that add up to less than 1");
        }
        if (livenessInterval.isNegative() || idleTimeout.isNegative() || natKeepaliveInterval.isNegative()) {
            throw new IllegalArgumentException("intervals are zero (off) or positive");
        }
        if (!permanent && idleTimeout.isZero()) {
            throw new IllegalArgumentException("a traffic-driven tunnel needs an idle timeout");
        }
    }

    /** A policy without a volume limit on child SAs. */
    public TunnelPolicy(boolean permanent, Duration retryMinimum, Duration t1, Duration backoffLimit,
                        Duration ikeLifetime, Duration childLifetime, double rekeyMargin, double rekeyJitter,
                        Duration livenessInterval, Duration idleTimeout, Duration natKeepaliveInterval) {
        this(permanent, retryMinimum, t1, backoffLimit, ikeLifetime, childLifetime, rekeyMargin, rekeyJitter, livenessInterval,
                idleTimeout, natKeepaliveInterval, 0);
    }

    /** This policy with child SAs limited to {@code octets} (0: no limit). */
    public TunnelPolicy withChildLifetimeOctets(long octets) {
        return new TunnelPolicy(permanent, retryMinimum, t1, backoffLimit, ikeLifetime, childLifetime, rekeyMargin, rekeyJitter,
                livenessInterval, idleTimeout, natKeepaliveInterval, octets);
    }

    /** strongSwan-like defaults: IKE SA 4 h, child SA 1 h, rekey at 80–90 %, liveness 30 s, keepalive 20 s. */
    public static TunnelPolicy permanentDefaults() {
        return new TunnelPolicy(true, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(10),
                Duration.ofHours(4), Duration.ofHours(1), 0.1, 0.1, Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20));
    }

    /** The same timers for a traffic-driven tunnel torn down after {@code idleTimeout}. */
    public static TunnelPolicy trafficDriven(Duration idleTimeout) {
        TunnelPolicy p = permanentDefaults();
        return new TunnelPolicy(false, p.retryMinimum, p.t1, p.backoffLimit, p.ikeLifetime, p.childLifetime,
                p.rekeyMargin, p.rekeyJitter, p.livenessInterval, idleTimeout, p.natKeepaliveInterval, p.childLifetimeOctets);
    }

    /** When to rekey an SA of {@code lifetime}, for a uniform random {@code u} in [0, 1). */
    public Duration softLifetime(Duration lifetime, double u) {
        double fraction = 1 - rekeyMargin - rekeyJitter * u;
        return Duration.ofMillis((long) (lifetime.toMillis() * fraction));
    }

    /**
     * The SAD lifetime of a child SA, for a uniform random {@code u} in [0, 1): hard limits at the
     * configured lifetime (seconds) and octets, soft limits at the rekey fraction of each (RFC 4301
     * §4.4.2.1), so that whichever runs out first starts the rekey, and an SA that is somehow not
     * rekeyed in time ends at the hard limit instead of living on. Packets have no limit (ESN or
     * the 32-bit sequence number space ends the SA before).
     */
    public Lifetime childSaLifetime(double u) {
        double fraction = 1 - rekeyMargin - rekeyJitter * u;
        long hardSeconds = Math.max(1, childLifetime.toSeconds());
        long softSeconds = Math.clamp((long) (hardSeconds * fraction), 1, hardSeconds);
        Lifetime l = Lifetime.UNLIMITED.withSeconds(softSeconds, hardSeconds);
        if (childLifetimeOctets > 0) {
            l = l.withBytes(Math.clamp((long) (childLifetimeOctets * fraction), 1, childLifetimeOctets), childLifetimeOctets);
        }
        return l;
    }

    private static void requirePositive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}

package org.cevpn.ipsec.ike.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The draft's retry rule for one peer (§3.4): after a failed negotiation wait at least the
 * configured minimum, after the next failure t1, then 2·t1, 4·t1… until the wait reaches the
 * configured limit; reaching it raises an alarm (once, until a negotiation succeeds) and the
 * retries continue every limit, so a repaired network heals the tunnel without human help.
 */
public final class RetryBackoff {
    private final Duration minimum;
    private final Duration t1;
    private final Duration limit;
    private final Clock clock;
    private int failures;
    private Instant notBefore = Instant.MIN;
    private boolean alarmed;

    /** Whether a failure has just raised the alarm, and when the next attempt may start. */
    public record Verdict(Instant nextAttempt, Duration delay, boolean raiseAlarm) {
    }

    public RetryBackoff(Duration minimum, Duration t1, Duration limit, Clock clock) {
        if (limit.compareTo(t1) < 0) {
            throw new IllegalArgumentException("the limit must be at least t1");
        }
        this.minimum = minimum;
        this.t1 = t1;
        this.limit = limit;
        this.clock = clock;
    }

    public RetryBackoff(TunnelPolicy policy, Clock clock) {
        this(policy.retryMinimum(), policy.t1(), policy.backoffLimit(), clock);
    }

    /** A negotiation failed (or a tunnel that was up went down): when to try again. */
    public Verdict failed() {
        failures++;
        Duration wait;
        boolean alarm = false;
        if (failures == 1) {
            wait = minimum;
        } else {
            wait = t1;
            for (int i = 2; i < failures && wait.compareTo(limit) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            if (wait.compareTo(limit) >= 0) {
                wait = limit;
                alarm = !alarmed;
                alarmed = true;
            }
        }
        notBefore = clock.instant().plus(wait);
        return new Verdict(notBefore, wait, alarm);
    }

    /** A negotiation succeeded: the next failure starts over at the minimum wait. */
    public void succeeded() {
        failures = 0;
        alarmed = false;
        notBefore = Instant.MIN;
    }

    /** True if an attempt may start now. */
    public boolean mayAttempt() {
        return !clock.instant().isBefore(notBefore);
    }

    /** Failures since the last success. */
    public int failures() {
        return failures;
    }
}

package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The draft §3.4 retry rule on a fake clock: minimum wait, then t1 doubling to the limit, then one alarm. */
class RetryBackoffTest {
    private final EngineFixture.TestClock clock = new EngineFixture.TestClock();

    @Test
    void minimumThenExponentialT1UpToTheLimitThenOneAlarm() {
        RetryBackoff b = new RetryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60), clock);
        assertTrue(b.mayAttempt());
        List<Long> waits = new ArrayList<>();
        List<Boolean> alarms = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            RetryBackoff.Verdict v = b.failed();
            waits.add(v.delay().toSeconds());
            alarms.add(v.raiseAlarm());
            assertFalse(b.mayAttempt(), "no attempt right after a failure");
            clock.advance(v.delay().minusMillis(1));
            assertFalse(b.mayAttempt(), "not before the wait is over");
            clock.advance(Duration.ofMillis(1));
            assertTrue(b.mayAttempt());
        }
        assertEquals(List.of(5L, 10L, 20L, 40L, 60L, 60L, 60L), waits);
        assertEquals(List.of(false, false, false, false, true, false, false), alarms, "the alarm is raised once");
        assertEquals(7, b.failures());
    }

    @Test
    void successStartsOverAndReArmsTheAlarm() {
        RetryBackoff b = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), clock);
        b.failed();
        b.failed();
        assertTrue(b.failed().raiseAlarm());
        b.succeeded();
        assertTrue(b.mayAttempt());
        assertEquals(Duration.ofSeconds(1), b.failed().delay());
        assertEquals(Duration.ofSeconds(2), b.failed().delay());
        assertTrue(b.failed().raiseAlarm(), "a new run of failures alarms again");
    }

    @Test
    void aLimitBelowT1IsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5), clock));
    }

    @Test
    void softLifetimeStaysInsideMarginAndJitter() {
        TunnelPolicy p = TunnelPolicy.permanentDefaults();
        assertEquals(Duration.ofMinutes(54), p.softLifetime(Duration.ofHours(1), 0));
        assertEquals(Duration.ofMillis(3600_000 * 81 / 100), p.softLifetime(Duration.ofHours(1), 0.9));
        assertThrows(IllegalArgumentException.class, () -> new TunnelPolicy(false, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofHours(1), 0.1, 0.1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }
}

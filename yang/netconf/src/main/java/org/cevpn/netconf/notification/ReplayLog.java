package org.cevpn.netconf.notification;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stream's replay buffer (RFC 5277 §3.2): the most recent events, at most {@code capacity}; when full, the
 * oldest is dropped (and counted). Not thread-safe on its own: {@link NotificationStream} guards it.
 */
final class ReplayLog {
    private final int capacity;
    private final ArrayDeque<NetconfNotification> events;
    private final Instant created;
    private long dropped;

    ReplayLog(final int capacity, final Instant created) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay log capacity must be positive");
        }
        this.capacity = capacity;
        this.events = new ArrayDeque<>(Math.min(capacity, 1024));
        this.created = created;
    }

    void append(final NetconfNotification event) {
        if (events.size() == capacity) {
            events.removeFirst();
            dropped++;
        }
        events.addLast(event);
    }

    /** Events with {@code start <= eventTime} and, when a stop is given, {@code eventTime <= stop}. */
    List<NetconfNotification> between(final Instant start, final Instant stop) {
        final var out = new ArrayList<NetconfNotification>();
        for (var e : events) {
            if (!e.eventTime().isBefore(start) && (stop == null || !e.eventTime().isAfter(stop))) {
                out.add(e);
            }
        }
        return out;
    }

    /** When the log started (replayLogCreationTime). */
    Instant created() {
        return created;
    }

    /** Time of the oldest event still kept: replay cannot reach further back than this. */
    Optional<Instant> oldestKept() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.peekFirst().eventTime());
    }

    long dropped() {
        return dropped;
    }

    int size() {
        return events.size();
    }
}

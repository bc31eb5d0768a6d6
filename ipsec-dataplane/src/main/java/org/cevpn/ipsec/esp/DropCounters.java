package org.cevpn.ipsec.esp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Drop counts by reason, safe to bump from any data-plane thread without contention or allocation. */
public final class DropCounters {
    private final LongAdder[] counts = new LongAdder[DropReason.values().length];

    public DropCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void count(DropReason reason) {
        counts[reason.ordinal()].increment();
    }

    /** Counts the drop a negative data-path code stands for. */
    public void countCode(int code) {
        counts[-1 - code].increment();
    }

    public long get(DropReason reason) {
        return counts[reason.ordinal()].sum();
    }

    public long total() {
        long t = 0;
        for (LongAdder c : counts) {
            t += c.sum();
        }
        return t;
    }

    /** Non-zero counters, for operational state and logs. */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            long v = get(r);
            if (v != 0) {
                m.put(r, v);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "drops" + snapshot();
    }
}

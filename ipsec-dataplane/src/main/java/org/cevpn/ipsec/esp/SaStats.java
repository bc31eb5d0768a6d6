package org.cevpn.ipsec.esp;

import java.util.Map;

/** Per-SA counters at one instant: packets and payload bytes processed, drops by reason, lifetime state. */
public record SaStats(Direction direction, int spi, long packets, long bytes, Map<DropReason, Long> drops,
                      boolean softExpired, boolean hardExpired) {
    public SaStats {
        drops = Map.copyOf(drops);
    }

    public long drops(DropReason r) {
        return drops.getOrDefault(r, 0L);
    }
}

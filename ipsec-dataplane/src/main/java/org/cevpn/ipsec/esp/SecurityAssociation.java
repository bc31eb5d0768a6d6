package org.cevpn.ipsec.esp;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * State shared by both directions: the configuration, the crypto, counters and lifetime tracking.
 * Packet processing is serialised on the SA's monitor (uncontended in practice: one data-plane thread
 * per direction), which also makes counters and the replay window consistent for readers.
 */
public abstract sealed class SecurityAssociation permits OutboundSa, InboundSa {
    /** Outbound non-ESN SAs ask for a rekey when 7/8 of the 32-bit sequence space is used. */
    static final long SOFT_SEQUENCE_LIMIT = 0xE0000000L;

    final SaConfig config;
    final EspProtection protection;
    private final SaEventSink events;
    private final LongSupplier nanoClock;
    private final long createdNanos;

    long packets;
    long bytes;
    private final long[] drops = new long[DropReason.values().length];
    private boolean softRaised;
    volatile boolean hardExpired;

    SecurityAssociation(SaConfig config, SaEventSink events, LongSupplier nanoClock) {
        this.config = config;
        this.protection = EspProtection.create(config.encryption(), config.encryptionKey(),
                config.integrity(), config.integrityKey());
        this.events = events;
        this.nanoClock = nanoClock;
        this.createdNanos = nanoClock.getAsLong();
    }

    public final SaConfig config() { return config; }

    public final int spi() { return config.spi(); }

    public final boolean isExpired() { return hardExpired; }

    /** Counts a drop attributed to this SA and returns the code unchanged. */
    final int drop(int code) {
        drops[-1 - code]++;
        return code;
    }

    /** Adds one processed packet of {@code len} payload bytes and raises byte/packet lifetime events. */
    final void account(int len) {
        packets++;
        bytes += len;
        Lifetime lt = config.lifetime();
        if (packets >= lt.hardPackets()) {
            expire(SaEvent.Limit.PACKETS);
        } else if (bytes >= lt.hardBytes()) {
            expire(SaEvent.Limit.BYTES);
        } else if (!softRaised) {
            if (packets >= lt.softPackets()) {
                soft(SaEvent.Limit.PACKETS);
            } else if (bytes >= lt.softBytes()) {
                soft(SaEvent.Limit.BYTES);
            }
        }
    }

    final void soft(SaEvent.Limit limit) {
        if (!softRaised) {
            softRaised = true;
            events.onEvent(this, new SaEvent.SoftExpired(config.direction(), config.spi(), limit));
        }
    }

    final void expire(SaEvent.Limit limit) {
        if (!hardExpired) {
            hardExpired = true;
            softRaised = true;
            events.onEvent(this, new SaEvent.HardExpired(config.direction(), config.spi(), limit));
        }
    }

    /** Checks the time lifetimes; called periodically by the SAD's timer. */
    final synchronized void checkTime() {
        if (hardExpired) {
            return;
        }
        long ageSeconds = (nanoClock.getAsLong() - createdNanos) / 1_000_000_000L;
        Lifetime lt = config.lifetime();
        if (ageSeconds >= lt.hardSeconds()) {
            expire(SaEvent.Limit.TIME);
        } else if (ageSeconds >= lt.softSeconds()) {
            soft(SaEvent.Limit.TIME);
        }
    }

    /** A consistent snapshot of the SA's counters. */
    public final synchronized SaStats stats() {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (drops[r.ordinal()] != 0) {
                d.put(r, drops[r.ordinal()]);
            }
        }
        return new SaStats(config.direction(), config.spi(), packets, bytes, d, softRaised, hardExpired);
    }

    /** Where an SA reports its lifetime events: the SAD, which removes hard-expired SAs. */
    @FunctionalInterface
    interface SaEventSink {
        void onEvent(SecurityAssociation sa, SaEvent event);
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[spi=0x" + Integer.toHexString(config.spi()) + ", " + config.mode()
                + ", " + config.encryption() + (config.esn() ? ", esn" : "") + ", peer=" + config.peer() + "]";
    }
}

package org.cevpn.agent.pull;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code /ce-device/sync-state} of the pull client (applied-version comes from the reconciler).
 *
 * @param lastPullResult a {@code last-pull-result} enum name: updated, unchanged, unreachable, rejected
 * @param lastError      the last synchronisation error (cleared by a successful pull); never holds secrets
 */
public record SyncState(Optional<Instant> lastPull, Optional<String> lastPullResult, Optional<String> lastError,
                        Optional<Instant> nextPull) {
    public static final SyncState NONE = new SyncState(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
}

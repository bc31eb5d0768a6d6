package org.cevpn.agent.config;

import java.time.Duration;
import java.util.Optional;
import org.cevpn.agent.config.Algorithms.DhGroup;
import org.cevpn.agent.config.Algorithms.Encryption;
import org.cevpn.agent.config.Algorithms.Integrity;

/**
 * The one Child SA (ESP) proposal used with a peer (grouping child-sa-proposal); {@code pfsGroup} empty
 * means no PFS on rekeys, {@code lifetimeOctets} 0 means no volume limit.
 */
public record ChildSaProposal(Encryption encryption, int keyLength, Integrity integrity, Optional<DhGroup> pfsGroup,
                              Duration lifetime, long lifetimeOctets) {
    /** The model's defaults: ESP with AES-GCM-16 256, no PFS, 1 h, no volume limit. */
    public static final ChildSaProposal DEFAULT = new ChildSaProposal(Encryption.AES_GCM_16, 256, Integrity.NONE,
            Optional.empty(), Duration.ofSeconds(3600), 0);
}

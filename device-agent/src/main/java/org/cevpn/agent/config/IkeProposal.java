package org.cevpn.agent.config;

import java.time.Duration;
import org.cevpn.agent.config.Algorithms.DhGroup;
import org.cevpn.agent.config.Algorithms.Encryption;
import org.cevpn.agent.config.Algorithms.Integrity;
import org.cevpn.agent.config.Algorithms.Prf;

/** The one IKE SA proposal used with a peer (cevpn-ce-device grouping ike-proposal). */
public record IkeProposal(Encryption encryption, int keyLength, Integrity integrity, Prf prf, DhGroup dhGroup,
                          Duration lifetime) {
    /** The model's defaults: AES-GCM-16 256, PRF HMAC-SHA2-256, ECP-256, 24 h. */
    public static final IkeProposal DEFAULT = new IkeProposal(Encryption.AES_GCM_16, 256, Integrity.NONE,
            Prf.HMAC_SHA2_256, DhGroup.ECP_256, Duration.ofSeconds(86400));
}

package org.cevpn.ipsec.ike.task;

import java.util.List;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;

/**
 * What one side offers or accepts in IKE_SA_INIT.
 *
 * @param proposals      IKE proposals in preference order (protocol IKE, no SPI, numbered from 1);
 *                       the initiator's first KE uses the first DH group of the first proposal
 * @param fragmentation  announce IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383)
 * @param signatureHashes announced in SIGNATURE_HASH_ALGORITHMS (RFC 7427); empty: not announced
 */
public record IkeInitConfig(List<Proposal> proposals, boolean fragmentation, List<HashAlgorithm> signatureHashes) {
    public IkeInitConfig {
        proposals = List.copyOf(proposals);
        signatureHashes = List.copyOf(signatureHashes);
        if (proposals.isEmpty()) {
            throw new IllegalArgumentException("no IKE proposals");
        }
        for (int i = 0; i < proposals.size(); i++) {
            Proposal p = proposals.get(i);
            if (p.protocolId() != ProtocolId.IKE.value() || p.number() != i + 1 || !p.spi().isEmpty()) {
                throw new IllegalArgumentException("IKE_SA_INIT proposals are IKE, numbered 1.., without SPI");
            }
        }
    }
}

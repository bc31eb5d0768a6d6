package org.cevpn.ipsec.ike.task;

import java.util.List;
import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.crypto.Prf;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;

/**
 * What a completed IKE_SA_INIT leaves for IKE_AUTH: the SPIs, the chosen suite and keys, both
 * nonces and both messages as sent (they are signed by AUTH, RFC 7296 §2.15), the NAT verdict
 * (§2.23: whoever is behind a NAT, both move to port 4500) and the peer's announced extensions.
 */
public record IkeInitResult(long initiatorSpi, long responderSpi, Proposal chosen, Prf prf, IkeSaKeys keys,
                            Octets initiatorNonce, Octets responderNonce,
                            Octets initiatorMessage, Octets responderMessage,
                            boolean localBehindNat, boolean remoteBehindNat,
                            boolean peerSupportsFragmentation, List<HashAlgorithm> peerSignatureHashes) {
    public IkeInitResult {
        peerSignatureHashes = List.copyOf(peerSignatureHashes);
    }

    /** RFC 7296 §2.23: after NAT detection, IKE_AUTH and ESP use UDP 4500 (with the non-ESP marker). */
    public boolean natDetected() {
        return localBehindNat || remoteBehindNat;
    }
}

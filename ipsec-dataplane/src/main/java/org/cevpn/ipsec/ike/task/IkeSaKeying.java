package org.cevpn.ipsec.ike.task;

import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.crypto.Prf;
import org.cevpn.ipsec.ike.message.Proposal;

/**
 * The keying of an established IKE SA: its SPIs, suite, PRF and keys. What CREATE_CHILD_SA needs
 * (SK_d, the PRF) and what an IKE SA rekey replaces. {@code weInitiated}: we are this IKE SA's
 * initiator (after a rekey, whoever initiated the rekey, RFC 7296 §2.18).
 */
public record IkeSaKeying(long initiatorSpi, long responderSpi, Proposal suite, Prf prf, IkeSaKeys keys,
                          boolean weInitiated) {
    public static IkeSaKeying of(IkeInitResult r, boolean weInitiated) {
        return new IkeSaKeying(r.initiatorSpi(), r.responderSpi(), r.chosen(), r.prf(), r.keys(), weInitiated);
    }
}

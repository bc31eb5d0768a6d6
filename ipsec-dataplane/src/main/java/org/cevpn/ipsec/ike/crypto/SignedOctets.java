package org.cevpn.ipsec.ike.crypto;

import org.cevpn.ipsec.ike.message.IkeEncoder;
import org.cevpn.ipsec.ike.message.Payload;

/**
 * The octets an AUTH payload covers (RFC 7296 §2.15):
 * <pre>
 * InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI,  MACedIDForI = prf(SK_pi, RestOfInitIDPayload)
 * ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR,  MACedIDForR = prf(SK_pr, RestOfRespIDPayload)
 * </pre>
 * RealMessage is the signer's IKE_SA_INIT message exactly as sent (with a COOKIE if it carried
 * one); RestOf...IDPayload is the ID payload without its generic header.
 */
public final class SignedOctets {
    private SignedOctets() {
    }

    /**
     * @param ownInitMessage the IKE_SA_INIT message the signer sent, octet for octet
     * @param peerNonce      the other side's nonce data
     * @param skP            SK_pi when the initiator signs or is verified, SK_pr for the responder
     * @param ownId          the signer's IDi or IDr payload
     */
    public static byte[] of(Prf prf, byte[] ownInitMessage, byte[] peerNonce, byte[] skP, Payload.Identification ownId) {
        byte[] macedId = prf.compute(skP, IkeEncoder.encodeBody(ownId));
        return KeyDerivation.concat(ownInitMessage, peerNonce, macedId);
    }
}

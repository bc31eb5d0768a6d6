package org.cevpn.ipsec.ike.message;

import java.util.List;

/**
 * What the decoder read from one datagram.
 *
 * @param message          header and payloads
 * @param encryptedOffset  offset in the datagram of the SK/SKF payload's generic header, or -1; the
 *                         protected region (AAD for AEAD, the integrity-checked octets otherwise)
 *                         starts at the IKE header and runs up to the payload's content
 * @param ignoredPayloads  types of non-critical payloads we did not recognise and skipped (§2.5)
 */
public record DecodedMessage(IkeMessage message, int encryptedOffset, List<Integer> ignoredPayloads) {
    public DecodedMessage {
        ignoredPayloads = List.copyOf(ignoredPayloads);
    }

    public IkeHeader header() {
        return message.header();
    }

    public List<Payload> payloads() {
        return message.payloads();
    }
}

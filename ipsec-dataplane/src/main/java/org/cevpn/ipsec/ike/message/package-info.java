/**
 * The IKEv2 wire format (RFC 7296 §3, RFC 7383 §2.5): the header and every payload as records in
 * the sealed {@link org.cevpn.ipsec.ike.message.Payload} hierarchy, IANA numbers as enums, and a
 * strict decoder/encoder pair. Decoding never throws anything but
 * {@link org.cevpn.ipsec.ike.message.IkeDecodeException}, which names the notify to answer with.
 * The SK payload stays an encrypted blob here; its contents are decoded after decryption.
 */
package org.cevpn.ipsec.ike.message;

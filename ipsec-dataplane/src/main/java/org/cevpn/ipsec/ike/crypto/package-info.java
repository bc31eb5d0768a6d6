/**
 * IKE-only cryptography: the DH groups of the KE payload (14, 19, 20, 31) with public value
 * validation, the HMAC-SHA2 PRFs and prf+, SKEYSEED and the IKE and child SA keys, AUTH by shared
 * key MIC and by RFC 7427 digital signatures, certificate chain validation and NAT detection
 * hashes. Bulk ciphers (SK payload, ESP) live in the shared {@code org.cevpn.ipsec.crypto}.
 * Secrets never appear in {@code toString()}.
 */
package org.cevpn.ipsec.ike.crypto;

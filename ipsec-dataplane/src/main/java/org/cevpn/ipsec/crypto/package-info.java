/**
 * Cryptographic transforms shared by ESP and IKEv2, named by their IANA transform numbers:
 * {@link org.cevpn.ipsec.crypto.Aead} (AES-GCM-16, ChaCha20-Poly1305; explicit key+salt, IV and AAD,
 * so RFC 4106 ESP and RFC 5282 / RFC 7634 SK payloads use the same call), AES-CBC and truncated HMAC
 * for the encrypt-then-MAC suites, and {@link org.cevpn.ipsec.crypto.SecretBytes} for keys that never print.
 */
package org.cevpn.ipsec.crypto;

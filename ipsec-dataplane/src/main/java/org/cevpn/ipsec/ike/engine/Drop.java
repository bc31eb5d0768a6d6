package org.cevpn.ipsec.ike.engine;

/** Why the engine dropped a datagram without processing it (each counted, none answered). */
public enum Drop {
    /** Not an IKE message at all: too short, ESP on the NAT-T port, undecodable. */
    MALFORMED,
    /** No IKE SA with that SPI (RFC 7296 §2.21.4 allows silence). */
    UNKNOWN_SA,
    /** An IKE_SA_INIT from an address that is not one of our peers. */
    UNKNOWN_PEER,
    /** Failed SK integrity or decryption: forged or corrupted. */
    INTEGRITY,
    /** A request outside the message-id window, or a response to nothing we sent. */
    OUT_OF_WINDOW,
    /** A well-formed message that does not fit the IKE SA's state (e.g. IKE_AUTH twice). */
    UNEXPECTED,
    /** Too many half-open IKE SAs even with cookies, or too many IKE_SA_INITs being computed. */
    FULL,
    /** A retransmission of a message whose processing is still being computed on a crypto worker. */
    IN_PROGRESS,
    /** A bug of ours caught at the engine's edge; a test that sees one fails. */
    INTERNAL_ERROR
}

package org.cevpn.ipsec.esp;

/** Lifetime events an SA raises towards whoever owns its keys (the IKE engine, or a controller). */
public sealed interface SaEvent {
    /** Which limit was reached. SEQUENCE: the 32-bit sequence space of a non-ESN SA (RFC 4303 §3.3.3). */
    enum Limit { TIME, BYTES, PACKETS, SEQUENCE }

    Direction direction();

    int spi();

    Limit limit();

    /** Rekey needed; the SA keeps working. Raised once per SA. */
    record SoftExpired(Direction direction, int spi, Limit limit) implements SaEvent {}

    /** The SA is over and has been removed from the SAD. Raised once per SA. */
    record HardExpired(Direction direction, int spi, Limit limit) implements SaEvent {}
}

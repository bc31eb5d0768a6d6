package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/**
 * The IKE header (RFC 7296 §3.1) without the fields the codec derives (Next Payload, Length) and
 * the fixed version 2.0. {@code messageId} is an unsigned 32-bit number held in a long.
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int exchangeType,
                        boolean initiator, boolean response, long messageId) {
    public static final int LENGTH = 28;
    public static final int MAJOR_VERSION = 2;
    static final int FLAG_INITIATOR = 0x08;
    static final int FLAG_VERSION = 0x10;
    static final int FLAG_RESPONSE = 0x20;

    public IkeHeader {
        if (exchangeType < 0 || exchangeType > 0xff) {
            throw new IllegalArgumentException("exchange type out of range: " + exchangeType);
        }
        if (messageId < 0 || messageId > 0xffff_ffffL) {
            throw new IllegalArgumentException("message id out of range: " + messageId);
        }
    }

    public IkeHeader(long initiatorSpi, long responderSpi, ExchangeType exchange,
                     boolean initiator, boolean response, long messageId) {
        this(initiatorSpi, responderSpi, exchange.value(), initiator, response, messageId);
    }

    public Optional<ExchangeType> exchange() {
        return ExchangeType.of(exchangeType);
    }

    @Override
    public String toString() {
        return String.format("IkeHeader[%016x_i %016x_r %s%s #%d %s]", initiatorSpi, responderSpi,
                exchange().map(Enum::name).orElse("exchange " + exchangeType),
                response ? " response" : " request", messageId, initiator ? "from initiator" : "from responder");
    }
}

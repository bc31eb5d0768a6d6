package org.cevpn.ipsec.ike.message;

import java.util.List;
import java.util.Optional;

/**
 * An IKE message: header and payload chain. When the chain ends in an {@link Payload.Encrypted}
 * (or {@link Payload.EncryptedFragment}), the protected payloads are not in this list: they are
 * decoded separately after decryption ({@link IkeDecoder#decodeInner}).
 */
public record IkeMessage(IkeHeader header, List<Payload> payloads) {
    public IkeMessage {
        payloads = List.copyOf(payloads);
        for (int i = 0; i < payloads.size() - 1; i++) {
            if (payloads.get(i) instanceof Payload.Encrypted || payloads.get(i) instanceof Payload.EncryptedFragment) {
                throw new IllegalArgumentException("the Encrypted payload must be the last payload");
            }
        }
    }

    /** The payloads of one record type, in message order. */
    public <P extends Payload> List<P> all(Class<P> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <P extends Payload> Optional<P> first(Class<P> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The first notify of the given type. */
    public Optional<Payload.Notify> notify(NotifyType type) {
        return all(Payload.Notify.class).stream().filter(n -> n.is(type)).findFirst();
    }
}

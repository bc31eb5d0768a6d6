package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/**
 * IKEv2 payload types (IANA "IKEv2 Payload Types"). The ones this codec models as records, plus
 * the RFC 7296 types it carries opaquely (CP, EAP) so that the exchange logic can decide.
 */
public enum PayloadType {
    NONE(0),
    SECURITY_ASSOCIATION(33),
    KEY_EXCHANGE(34),
    ID_INITIATOR(35),
    ID_RESPONDER(36),
    CERTIFICATE(37),
    CERTIFICATE_REQUEST(38),
    AUTHENTICATION(39),
    NONCE(40),
    NOTIFY(41),
    DELETE(42),
    VENDOR_ID(43),
    TS_INITIATOR(44),
    TS_RESPONDER(45),
    ENCRYPTED(46),
    CONFIGURATION(47),
    EAP(48),
    /** RFC 7383 Encrypted and Authenticated Fragment. */
    ENCRYPTED_FRAGMENT(53);

    private final int value;

    PayloadType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<PayloadType> of(int value) {
        for (PayloadType t : values()) {
            if (t.value == value) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

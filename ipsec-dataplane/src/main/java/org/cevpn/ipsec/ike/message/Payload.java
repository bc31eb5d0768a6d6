package org.cevpn.ipsec.ike.message;

import java.util.List;

/**
 * The IKEv2 payloads (RFC 7296 §3.2–§3.14, RFC 7383 §2.5). Each record holds the payload body as
 * values; the generic payload header (Next Payload, Critical, Length) is the codec's business.
 */
public sealed interface Payload {

    /** The payload type number as on the wire. */
    int typeValue();

    private static void checkU8(int v, String what) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException(what + " out of range: " + v);
        }
    }

    private static void checkU16(int v, String what) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(what + " out of range: " + v);
        }
    }

    /** SA (§3.3): proposals in preference order. */
    record SecurityAssociation(List<Proposal> proposals) implements Payload {
        public SecurityAssociation {
            proposals = List.copyOf(proposals);
            if (proposals.isEmpty()) {
                throw new IllegalArgumentException("an SA payload has at least one proposal");
            }
        }

        @Override
        public int typeValue() {
            return PayloadType.SECURITY_ASSOCIATION.value();
        }
    }

    /** KE (§3.4): the group and our public value in the group's encoding. */
    record KeyExchange(int dhGroup, Octets keyData) implements Payload {
        public KeyExchange {
            checkU16(dhGroup, "DH group");
        }

        @Override
        public int typeValue() {
            return PayloadType.KEY_EXCHANGE.value();
        }
    }

    /** IDi or IDr (§3.5). */
    record Identification(boolean initiator, int idType, Octets data) implements Payload {
        public Identification {
            checkU8(idType, "ID type");
        }

        @Override
        public int typeValue() {
            return (initiator ? PayloadType.ID_INITIATOR : PayloadType.ID_RESPONDER).value();
        }
    }

    /** CERT (§3.6). */
    record Certificate(int encoding, Octets data) implements Payload {
        public Certificate {
            checkU8(encoding, "certificate encoding");
        }

        @Override
        public int typeValue() {
            return PayloadType.CERTIFICATE.value();
        }
    }

    /** CERTREQ (§3.7): for X.509, a concatenation of 20-octet SHA-1 hashes of CA public keys. */
    record CertificateRequest(int encoding, Octets authorities) implements Payload {
        public CertificateRequest {
            checkU8(encoding, "certificate encoding");
        }

        @Override
        public int typeValue() {
            return PayloadType.CERTIFICATE_REQUEST.value();
        }
    }

    /** AUTH (§3.8). */
    record Authentication(int method, Octets data) implements Payload {
        public Authentication {
            checkU8(method, "auth method");
        }

        @Override
        public int typeValue() {
            return PayloadType.AUTHENTICATION.value();
        }
    }

    /** Ni or Nr (§3.9): 16 to 256 octets. */
    record Nonce(Octets data) implements Payload {
        public static final int MIN_LENGTH = 16;
        public static final int MAX_LENGTH = 256;

        public Nonce {
            if (data.length() < MIN_LENGTH || data.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("nonce length must be 16..256, not " + data.length());
            }
        }

        @Override
        public int typeValue() {
            return PayloadType.NONCE.value();
        }
    }

    /** N (§3.10). {@code notifyType} is the raw number so that unknown status types survive. */
    record Notify(int protocolId, Octets spi, int notifyType, Octets data) implements Payload {
        public Notify {
            checkU8(protocolId, "protocol id");
            checkU16(notifyType, "notify type");
            checkU8(spi.length(), "SPI size");
        }

        /** A notify about the IKE SA (no protocol, no SPI). */
        public static Notify of(NotifyType type, Octets data) {
            return new Notify(0, Octets.EMPTY, type.value(), data);
        }

        public static Notify of(NotifyType type) {
            return of(type, Octets.EMPTY);
        }

        public boolean is(NotifyType type) {
            return notifyType == type.value();
        }

        public boolean isError() {
            return notifyType < NotifyType.FIRST_STATUS_TYPE;
        }

        @Override
        public int typeValue() {
            return PayloadType.NOTIFY.value();
        }
    }

    /** D (§3.11). For the IKE SA: no SPIs (SPI size 0); for ESP/AH: four-octet SPIs. */
    record Delete(int protocolId, int spiSize, List<Octets> spis) implements Payload {
        public Delete {
            checkU8(protocolId, "protocol id");
            checkU8(spiSize, "SPI size");
            spis = List.copyOf(spis);
            checkU16(spis.size(), "number of SPIs");
            for (Octets spi : spis) {
                if (spi.length() != spiSize) {
                    throw new IllegalArgumentException("SPI length differs from SPI size");
                }
            }
        }

        public static Delete ikeSa() {
            return new Delete(ProtocolId.IKE.value(), 0, List.of());
        }

        @Override
        public int typeValue() {
            return PayloadType.DELETE.value();
        }
    }

    /** V (§3.12). */
    record VendorId(Octets id) implements Payload {
        @Override
        public int typeValue() {
            return PayloadType.VENDOR_ID.value();
        }
    }

    /** TSi or TSr (§3.13). */
    record TrafficSelectors(boolean initiator, List<TrafficSelector> selectors) implements Payload {
        public TrafficSelectors {
            selectors = List.copyOf(selectors);
            if (selectors.isEmpty() || selectors.size() > 0xff) {
                throw new IllegalArgumentException("a TS payload holds 1..255 selectors");
            }
        }

        @Override
        public int typeValue() {
            return (initiator ? PayloadType.TS_INITIATOR : PayloadType.TS_RESPONDER).value();
        }
    }

    /**
     * SK (§3.14): IV, ciphertext (with padding) and ICV, still protected. The Next Payload field of
     * the SK header names the first inner payload. It is always the last payload of a message, so
     * its position is known from the message length: see {@link DecodedMessage#encryptedOffset()}.
     */
    record Encrypted(int firstInnerPayload, Octets content) implements Payload {
        public Encrypted {
            checkU8(firstInnerPayload, "first inner payload");
        }

        @Override
        public int typeValue() {
            return PayloadType.ENCRYPTED.value();
        }
    }

    /**
     * SKF (RFC 7383 §2.5): one fragment of an SK payload. Only fragment 1 names the first inner
     * payload; the others carry 0 there.
     */
    record EncryptedFragment(int firstInnerPayload, int fragmentNumber, int totalFragments, Octets content)
            implements Payload {
        public EncryptedFragment {
            checkU8(firstInnerPayload, "first inner payload");
            checkU16(fragmentNumber, "fragment number");
            checkU16(totalFragments, "total fragments");
            if (fragmentNumber < 1 || fragmentNumber > totalFragments) {
                throw new IllegalArgumentException("fragment " + fragmentNumber + " of " + totalFragments);
            }
        }

        @Override
        public int typeValue() {
            return PayloadType.ENCRYPTED_FRAGMENT.value();
        }
    }

    /**
     * A payload type RFC 7296 defines but this codec does not model (CP, EAP), carried as its raw
     * body so that the exchange logic can refuse or ignore it knowingly.
     */
    record Opaque(int payloadType, boolean critical, Octets body) implements Payload {
        public Opaque {
            checkU8(payloadType, "payload type");
        }

        @Override
        public int typeValue() {
            return payloadType;
        }
    }
}

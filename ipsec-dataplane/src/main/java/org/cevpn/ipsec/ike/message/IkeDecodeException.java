package org.cevpn.ipsec.ike.message;

import java.util.Optional;

/**
 * A message that cannot be decoded. Carries the notify an answer would hold (RFC 7296 §2.21:
 * INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD with the payload type, INVALID_MAJOR_VERSION), or
 * none when the datagram is too broken to answer at all (shorter than a header). Whether an
 * answer is actually sent is the exchange logic's decision: an unauthenticated message that
 * fails to decode is normally just dropped and counted.
 */
public final class IkeDecodeException extends Exception {
    private final transient NotifyType notify;
    private final transient Octets notifyData;

    private IkeDecodeException(String reason, NotifyType notify, Octets notifyData) {
        super(reason, null, false, false);
        this.notify = notify;
        this.notifyData = notifyData;
    }

    public static IkeDecodeException syntax(String reason) {
        return new IkeDecodeException(reason, NotifyType.INVALID_SYNTAX, Octets.EMPTY);
    }

    public static IkeDecodeException unsupportedCritical(int payloadType) {
        return new IkeDecodeException("unsupported critical payload type " + payloadType,
                NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, Octets.copyOf(new byte[] {(byte) payloadType}));
    }

    public static IkeDecodeException majorVersion(int major) {
        // The notify data is the highest version we support (RFC 7296 §2.5): major 2, minor 0.
        return new IkeDecodeException("unsupported IKE major version " + major,
                NotifyType.INVALID_MAJOR_VERSION, Octets.copyOf(new byte[] {0x20}));
    }

    public static IkeDecodeException unanswerable(String reason) {
        return new IkeDecodeException(reason, null, Octets.EMPTY);
    }

    /** The notify to answer with, if the message can be answered at all. */
    public Optional<NotifyType> notifyType() {
        return Optional.ofNullable(notify);
    }

    public Octets notifyData() {
        return notifyData;
    }
}

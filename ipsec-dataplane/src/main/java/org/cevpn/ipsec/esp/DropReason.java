package org.cevpn.ipsec.esp;

/**
 * Why a packet did not go through. Every dropped packet is counted under exactly one reason. The
 * data path returns these as negative codes ({@link #code()}) so the hot path allocates and throws
 * nothing.
 */
public enum DropReason {
    /** Shorter than the smallest valid packet of its kind. */
    TRUNCATED,
    /** Structurally wrong (bad IP header, bad length, ESP trailer inconsistent, unknown next header). */
    MALFORMED,
    /** ESP for an SPI we have no inbound SA for. */
    UNKNOWN_SPI,
    /** Integrity check (ICV) failed. */
    BAD_ICV,
    /** Sequence number already received (inside the window). */
    REPLAYED,
    /** Sequence number left of the replay window. */
    TOO_OLD,
    /** The decrypted inner packet does not match the SA's selectors (RFC 4301 §5.2 step 4). */
    SELECTOR_MISMATCH,
    /** ESP padding bytes not the monotonic 1, 2, 3... RFC 4303 §2.4 prescribes. */
    BAD_PADDING,
    /** A dummy packet (next header 59, RFC 4303 §2.6): discarded by design, counted. */
    DUMMY,
    /** The SA reached its hard lifetime or sequence number space. */
    SA_EXPIRED,
    /** A VPN-side packet no outbound SA covers, and no internet gateway role is configured. */
    NO_SA,
    /** A NAT-keepalive (RFC 3948 §2.3): consumed, counted. */
    NAT_KEEPALIVE,
    /** The IKE engine's queue was full. */
    IKE_QUEUE_FULL,
    /** Larger than our buffers or the path allows. */
    OVERSIZE,
    /** The socket or device refused the packet. */
    SEND_FAILED;

    private static final DropReason[] VALUES = values();

    /** The negative code the data path returns for this reason. */
    public int code() {
        return -1 - ordinal();
    }

    /** The reason for a negative data-path return value. */
    public static DropReason ofCode(int code) {
        if (code >= 0) {
            throw new IllegalArgumentException("not a drop code: " + code);
        }
        return VALUES[-1 - code];
    }
}

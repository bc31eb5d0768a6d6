package org.cevpn.ipsec.ike.sa;

import java.util.List;

/**
 * The responder half of one IKE SA's message ids (RFC 7296 §2.2, window size 1): the next
 * request id we expect, and our answer to the last request, kept so that a retransmitted request
 * (a lost response) is answered with the same octets without being processed again. Older ids
 * and ids beyond the window are dropped. Not thread-safe.
 */
public final class ResponderWindow {
    private long expected;
    private long lastAnswered = -1;
    private List<byte[]> lastResponse = List.of();

    /** What to do with a request of some message id. */
    public sealed interface Verdict {
        /** A new request: process it, then {@link #answered}. */
        record Process() implements Verdict {
        }

        /** A retransmission of the request we answered last: send this again. */
        record Resend(List<byte[]> datagrams) implements Verdict {
        }

        /** Outside the window: drop and count. */
        record Drop(String reason) implements Verdict {
        }
    }

    /** @param firstExpected 1 on an IKE SA made by IKE_SA_INIT (which used 0), 0 on a rekeyed one */
    public ResponderWindow(long firstExpected) {
        this.expected = firstExpected;
    }

    public Verdict onRequest(long messageId) {
        if (messageId == expected) {
            return new Verdict.Process();
        }
        if (messageId == lastAnswered) {
            return new Verdict.Resend(lastResponse.stream().map(byte[]::clone).toList());
        }
        return new Verdict.Drop("request #" + messageId + " outside the window (expected #" + expected + ")");
    }

    /** Records our response to the request {@code messageId} just processed. */
    public void answered(long messageId, List<byte[]> datagrams) {
        if (messageId != expected) {
            throw new IllegalStateException("answered #" + messageId + " while #" + expected + " was due");
        }
        lastAnswered = messageId;
        lastResponse = datagrams.stream().map(byte[]::clone).toList();
        expected = (messageId + 1) & 0xffff_ffffL;
    }

    public long expected() {
        return expected;
    }
}

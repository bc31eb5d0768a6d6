package org.cevpn.ipsec.ike.sa;

import java.time.Instant;
import java.util.List;

/**
 * Our one request in flight on an IKE SA (window size 1, RFC 7296 §2.3) and its retransmission
 * clock. The same octets go out every time: a retransmission is not rebuilt (the responder
 * detects it by message id and answers from its cache). Not thread-safe.
 */
public final class OutstandingRequest {
    private final long messageId;
    private final List<byte[]> datagrams;
    private final RetransmitPolicy policy;
    private int sent;
    private Instant due;

    /** What {@link #poll} asks of the caller. */
    public sealed interface Due {
        /** Nothing to do before {@code at}. */
        record Wait(Instant at) implements Due {
        }

        /** Send these datagrams again (all fragments of the message). */
        record Resend(List<byte[]> datagrams) implements Due {
        }

        /** No answer after every retransmission: the peer is unreachable (RFC 7296 §2.4). */
        record GiveUp(int transmissions) implements Due {
        }
    }

    /** The request has just been sent for the first time at {@code now}. */
    public OutstandingRequest(long messageId, List<byte[]> datagrams, RetransmitPolicy policy, Instant now) {
        this.messageId = messageId;
        this.datagrams = datagrams.stream().map(byte[]::clone).toList();
        this.policy = policy;
        this.sent = 1;
        this.due = now.plus(policy.waitAfter(0));
    }

    public long messageId() {
        return messageId;
    }

    /** True if a response with this message id answers our request. */
    public boolean answeredBy(long responseMessageId) {
        return responseMessageId == messageId;
    }

    public Due poll(Instant now) {
        if (now.isBefore(due)) {
            return new Due.Wait(due);
        }
        if (sent > policy.tries()) {
            return new Due.GiveUp(sent);
        }
        due = now.plus(policy.waitAfter(sent));
        sent++;
        return new Due.Resend(datagrams.stream().map(byte[]::clone).toList());
    }

    @Override
    public String toString() {
        return "OutstandingRequest[#" + messageId + ", sent " + sent + "x, due " + due + "]";
    }
}

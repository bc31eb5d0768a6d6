package org.cevpn.ipsec.ike.sk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.Payload;

/**
 * Collects the authenticated fragments of one IKE message (RFC 7383 §2.6) until all are there,
 * then decodes the inner payload chain. Per IKE SA and direction, for the message id being
 * received. Rules: fragments of another message id are not ours (the caller routes by id); a
 * duplicate is ignored; a fragment announcing more fragments than those held means the sender
 * re-fragmented a retransmission (smaller fragments after a PMTU problem), so what is held is
 * discarded and collection starts again (§2.6.1), while one announcing fewer is stale and dropped.
 * Memory is bounded by {@link SkProtection#MAX_FRAGMENTS} fragments of one datagram each.
 * Not thread-safe.
 */
public final class FragmentReassembly {
    private final long messageId;
    private int total;
    private byte[][] pieces;
    private int held;
    private int firstInner;
    private int dropped;
    private boolean complete;

    public FragmentReassembly(long messageId) {
        this.messageId = messageId;
    }

    /**
     * Adds one opened fragment.
     *
     * @return the inner payloads once the last missing fragment arrived, else empty
     * @throws IkeDecodeException the reassembled chain is malformed (an authentic message: answer it)
     */
    public Optional<List<Payload>> offer(SkProtection.OpenedFragment f) throws IkeDecodeException {
        if (complete) {
            return Optional.empty(); // fragments of a retransmission of what we already have
        }
        if (f.messageId() != messageId || f.total() > SkProtection.MAX_FRAGMENTS || f.number() < 1 || f.number() > f.total()) {
            dropped++;
            return Optional.empty();
        }
        if (pieces == null || f.total() > total) {
            total = f.total();
            pieces = new byte[total][];
            held = 0;
        } else if (f.total() < total) {
            dropped++;
            return Optional.empty();
        }
        if (pieces[f.number() - 1] != null) {
            return Optional.empty(); // a duplicate: RFC 7383 §2.6 says to ignore it
        }
        pieces[f.number() - 1] = f.piece();
        if (f.number() == 1) {
            firstInner = f.firstInnerPayload();
        }
        if (++held < total) {
            return Optional.empty();
        }
        int length = 0;
        for (byte[] p : pieces) {
            length += p.length;
        }
        byte[] chain = new byte[length];
        int at = 0;
        for (byte[] p : pieces) {
            System.arraycopy(p, 0, chain, at, p.length);
            at += p.length;
            Arrays.fill(p, (byte) 0);
        }
        pieces = null;
        complete = true;
        try {
            return Optional.of(IkeDecoder.decodeInner(firstInner, chain, 0, chain.length, new ArrayList<>(0)));
        } finally {
            Arrays.fill(chain, (byte) 0);
        }
    }

    /** The message id whose fragments this collects. */
    public long messageId() {
        return messageId;
    }

    /** Fragments refused (stale, foreign, out of range): for the drop counters. */
    public int dropped() {
        return dropped;
    }

    @Override
    public String toString() {
        return "FragmentReassembly[#" + messageId + " " + held + "/" + total + "]";
    }
}

package org.cevpn.ipsec.esp;

import java.net.InetAddress;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * An inbound SA: replay check, integrity, decryption, trailer and selector checks (RFC 4303 §3.4,
 * RFC 4301 §5.2).
 */
public final class InboundSa extends SecurityAssociation {
    // Replaced as a whole when an IP-in-IP interface's routes change.
    private volatile TrafficSelector[] local;
    private volatile TrafficSelector[] remote;
    private final ReplayWindow window;
    private final InetAddress peerAddress;

    InboundSa(SaConfig config, SaEventSink events, LongSupplier nanoClock) {
        super(config, events, nanoClock);
        if (config.direction() != Direction.INBOUND) {
            throw new IllegalArgumentException("not an inbound SA config");
        }
        this.local = config.localSelectors().toArray(TrafficSelector[]::new);
        this.remote = config.remoteSelectors().toArray(TrafficSelector[]::new);
        this.window = new ReplayWindow(config.replayWindow());
        this.peerAddress = config.peer().getAddress();
    }

    /**
     * Processes the ESP packet {@code pkt[off, off+len)} (starting at the SPI) received from
     * {@code outerSource}. On success the inner packet is at {@code out[outOff]} and {@code view}
     * describes it.
     *
     * @return the inner packet length, or a negative {@link DropReason} code (counted on this SA)
     */
    public synchronized int decapsulate(byte[] pkt, int off, int len, InetAddress outerSource,
                                        byte[] out, int outOff, IpPacketView view) {
        if (hardExpired) {
            return drop(DropReason.SA_EXPIRED.code());
        }
        if (len < 8 + protection.ivLength() + protection.icvLength() + 4) {
            return drop(DropReason.TRUNCATED.code());
        }
        if (out.length - outOff < len) {
            return drop(DropReason.OVERSIZE.code());
        }
        int seqLow = Bytes.getInt(pkt, off + 4);
        long seq = config.esn() ? window.inferEsn(seqLow) : seqLow & 0xffffffffL;
        int verdict = window.check(seq);
        if (verdict != 0) {
            return drop(verdict);
        }
        int n = protection.unprotect(seq, config.esn(), pkt, off, len, out, outOff);
        if (n < 0) {
            return drop(n);
        }
        if (n < 2) {
            return drop(DropReason.MALFORMED.code());
        }
        int padLen = out[outOff + n - 2] & 0xff;
        int nextHeader = out[outOff + n - 1] & 0xff;
        int payloadLen = n - 2 - padLen;
        if (payloadLen < 0) {
            return drop(DropReason.MALFORMED.code());
        }
        for (int i = 0; i < padLen; i++) {
            if ((out[outOff + payloadLen + i] & 0xff) != i + 1) {
                return drop(DropReason.BAD_PADDING.code());
            }
        }
        // Authenticated: now (and only now) the window moves.
        verdict = window.update(seq);
        if (verdict != 0) {
            return drop(verdict);
        }
        account(payloadLen);
        if (nextHeader == 59) {
            return drop(DropReason.DUMMY.code());
        }
        if (config.mode() == Mode.TRANSPORT_IPIP && !peerAddress.equals(outerSource)) {
            // The transport-mode SA protects IP-in-IP between the two CE addresses only.
            return drop(DropReason.SELECTOR_MISMATCH.code());
        }
        int expectedVersion = nextHeader == IpPacketView.PROTO_IPIP ? 4 : nextHeader == IpPacketView.PROTO_IPV6 ? 6 : -1;
        if (expectedVersion < 0) {
            return drop(DropReason.SELECTOR_MISMATCH.code());
        }
        if (!view.parse(out, outOff, payloadLen) || view.version() != expectedVersion) {
            return drop(DropReason.MALFORMED.code());
        }
        if (!OutboundSa.anySource(view, remote) || !OutboundSa.anyDestination(view, local)) {
            return drop(DropReason.SELECTOR_MISMATCH.code());
        }
        return view.length();
    }

    /** The IP-in-IP interface's new routes (TRANSPORT_IPIP only; see the SAD). */
    void routes(TrafficSelector[] newLocal, TrafficSelector[] newRemote) {
        local = newLocal;
        remote = newRemote;
    }

    /** The selectors in force (for TRANSPORT_IPIP, the current routes rather than those installed). */
    public List<TrafficSelector> localSelectors() {
        return List.of(local);
    }

    public List<TrafficSelector> remoteSelectors() {
        return List.of(remote);
    }

    /** The replay window's highest accepted sequence number. */
    public synchronized long highestSequence() {
        return window.top();
    }
}

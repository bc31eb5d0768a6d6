package org.cevpn.ipsec.esp;

import java.util.List;
import java.util.function.LongSupplier;

/** An outbound SA: selects by selectors, numbers, pads, encrypts and authenticates (RFC 4303 §3.3). */
public final class OutboundSa extends SecurityAssociation {
    /** Room an inner packet buffer must have after the packet for padding, pad length and next header. */
    public static final int TRAILER_ROOM = 17;
    /** The most ESP adds to an inner packet: header 8 + IV 16 + trailer 17 + ICV 16. */
    public static final int MAX_OVERHEAD = 8 + 16 + TRAILER_ROOM + 16;

    // Replaced as a whole when an IP-in-IP interface's routes change (volatile: the data plane reads them per packet).
    private volatile TrafficSelector[] local;
    private volatile TrafficSelector[] remote;
    private long sequence;

    OutboundSa(SaConfig config, SaEventSink events, LongSupplier nanoClock) {
        super(config, events, nanoClock);
        if (config.direction() != Direction.OUTBOUND) {
            throw new IllegalArgumentException("not an outbound SA config");
        }
        this.local = config.localSelectors().toArray(TrafficSelector[]::new);
        this.remote = config.remoteSelectors().toArray(TrafficSelector[]::new);
    }

    /** Whether this SA's selectors cover the packet (source in a local selector, destination in a remote one). */
    public boolean covers(IpPacketView p) {
        return anySource(p, local) && anyDestination(p, remote);
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

    static boolean anySource(IpPacketView p, TrafficSelector[] ts) {
        for (TrafficSelector t : ts) {
            if (p.sourceIn(t)) {
                return true;
            }
        }
        return false;
    }

    static boolean anyDestination(IpPacketView p, TrafficSelector[] ts) {
        for (TrafficSelector t : ts) {
            if (p.destinationIn(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Protects the inner packet {@code in[off, off+len)} (an IPv4 or IPv6 packet) into an ESP packet
     * at {@code out[outOff]}. The ESP trailer is written in place after the inner packet, so {@code in}
     * needs {@link #TRAILER_ROOM} spare bytes after it; {@code out} needs {@code len + MAX_OVERHEAD}.
     *
     * @return the ESP packet length, or a negative {@link DropReason} code
     */
    public synchronized int encapsulate(byte[] in, int off, int len, byte[] out, int outOff) {
        if (hardExpired) {
            return drop(DropReason.SA_EXPIRED.code());
        }
        if (len < 1) {
            return drop(DropReason.TRUNCATED.code());
        }
        int version = (in[off] & 0xff) >>> 4;
        int nextHeader = version == 4 ? IpPacketView.PROTO_IPIP : version == 6 ? IpPacketView.PROTO_IPV6 : -1;
        if (nextHeader < 0) {
            return drop(DropReason.MALFORMED.code());
        }
        int block = protection.blockSize();
        int padded = (len + 2 + block - 1) / block * block;
        if (off + padded > in.length || outOff + padded + 8 + protection.ivLength() + protection.icvLength() > out.length) {
            return drop(DropReason.OVERSIZE.code());
        }
        long seq = sequence + 1;
        if (!config.esn() && seq > 0xFFFFFFFFL) {
            // RFC 4303 §3.3.3: a non-ESN sender must not cycle the counter; the SA is over.
            expire(SaEvent.Limit.SEQUENCE);
            return drop(DropReason.SA_EXPIRED.code());
        }
        sequence = seq;

        int padLen = padded - len - 2;
        for (int i = 0; i < padLen; i++) {
            in[off + len + i] = (byte) (i + 1);
        }
        in[off + len + padLen] = (byte) padLen;
        in[off + len + padLen + 1] = (byte) nextHeader;

        Bytes.putInt(out, outOff, config.spi());
        Bytes.putInt(out, outOff + 4, (int) seq);
        int n = protection.protect(seq, config.esn(), in, off, padded, out, outOff);

        account(len);
        if (!config.esn() && seq >= SOFT_SEQUENCE_LIMIT) {
            soft(SaEvent.Limit.SEQUENCE);
        }
        return n;
    }

    /** Test hook for sequence-space exhaustion: continue numbering after {@code last}. */
    synchronized void skipSequenceTo(long last) {
        sequence = last;
    }
}

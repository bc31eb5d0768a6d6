package org.cevpn.ipsec.dataplane;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.cevpn.ipsec.esp.DropCounters;
import org.cevpn.ipsec.esp.DropReason;
import org.cevpn.ipsec.esp.InboundSa;
import org.cevpn.ipsec.esp.IpPacketView;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.io.PacketPort;
import org.cevpn.ipsec.io.UdpSockets;

/**
 * Sorts what arrives from the SP side (draft-ietf-l3vpn-ce-based §6.2): ESP for us goes through its
 * SA and, if it passes every check, to the VPN side; IKE goes to the IKE engine's queue; NAT
 * keepalives are consumed; everything else is dropped and counted. Only packets that arrived on our
 * IPsec ports reach this class: anything else addressed to the CE is the host's (and its internet
 * gateway function's) business.
 *
 * <p>One instance per receiving thread (it owns the decryption buffer and packet view).
 */
public final class InboundClassifier {
    /** Returned when a datagram was consumed without delivering a packet (IKE queued). */
    public static final int CONSUMED = 0;

    private final SecurityAssociationDatabase sad;
    private final IkeSink ike;
    private final PacketPort vpnSide;
    private final DropCounters drops;
    private final byte[] inner = new byte[PacketPort.HEADROOM + 65536];
    private final IpPacketView view = new IpPacketView();

    public InboundClassifier(SecurityAssociationDatabase sad, IkeSink ike, PacketPort vpnSide, DropCounters drops) {
        this.sad = sad;
        this.ike = ike;
        this.vpnSide = vpnSide;
        this.drops = drops;
    }

    /**
     * A datagram that arrived on the NAT-T port (4500).
     *
     * @return the delivered inner packet's length, {@link #CONSUMED}, or a negative drop code (counted)
     */
    public int onNatTDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
        if (len == 1 && buf[off] == UdpSockets.NAT_KEEPALIVE) {
            return counted(DropReason.NAT_KEEPALIVE.code());
        }
        if (len < UdpSockets.NON_ESP_MARKER_LENGTH) {
            return counted(DropReason.TRUNCATED.code());
        }
        int spi = ((buf[off] & 0xff) << 24) | ((buf[off + 1] & 0xff) << 16) | ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
        if (spi == 0) {
            return toIke(buf, off + UdpSockets.NON_ESP_MARKER_LENGTH, len - UdpSockets.NON_ESP_MARKER_LENGTH, from, true);
        }
        return onEsp(spi, buf, off, len, from);
    }

    /** A datagram that arrived on the IKE port (500): IKE only. */
    public int onIkeDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
        return toIke(buf, off, len, from, false);
    }

    private int onEsp(int spi, byte[] buf, int off, int len, InetSocketAddress from) {
        if (len < 8) {
            return counted(DropReason.TRUNCATED.code());
        }
        InboundSa sa = sad.inbound(spi);
        if (sa == null) {
            return counted(DropReason.UNKNOWN_SPI.code());
        }
        int n = sa.decapsulate(buf, off, len, from.getAddress(), inner, PacketPort.HEADROOM, view);
        if (n < 0) {
            return counted(n);
        }
        try {
            vpnSide.send(inner, PacketPort.HEADROOM, n);
        } catch (IOException e) {
            return counted(DropReason.SEND_FAILED.code());
        }
        return n;
    }

    private int toIke(byte[] buf, int off, int len, InetSocketAddress from, boolean viaNatT) {
        // The smallest IKE message is its 28-byte header (RFC 7296 §3.1); the IKE engine parses the rest.
        if (len < 28) {
            return counted(DropReason.TRUNCATED.code());
        }
        if (!ike.offer(new IkeDatagram(Arrays.copyOfRange(buf, off, off + len), from, viaNatT))) {
            return counted(DropReason.IKE_QUEUE_FULL.code());
        }
        return CONSUMED;
    }

    private int counted(int code) {
        drops.countCode(code);
        return code;
    }
}

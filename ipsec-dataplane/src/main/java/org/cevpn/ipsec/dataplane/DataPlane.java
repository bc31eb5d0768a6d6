package org.cevpn.ipsec.dataplane;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.cevpn.ipsec.esp.DropCounters;
import org.cevpn.ipsec.esp.DropReason;
import org.cevpn.ipsec.esp.IpPacketView;
import org.cevpn.ipsec.esp.OutboundSa;
import org.cevpn.ipsec.esp.SecurityAssociation;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.io.PacketBatch;
import org.cevpn.ipsec.io.PacketPort;
import org.cevpn.ipsec.io.TcpSegmenter;
import org.cevpn.ipsec.io.UdpSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CE's user-space IPsec data plane: the VPN side (a {@link PacketPort}) and the SP side
 * ({@link UdpSockets}) joined through the SAD.
 *
 * <p>Threads: {@code esp-out} reads VPN-side packets in batches, selects the outbound SA, encapsulates
 * and sends; {@code esp-in} receives on 4500 and classifies; {@code ike-500} receives on 500; a timer
 * checks SA time lifetimes every second and sends NAT keepalives. A bad packet is counted and the
 * loop carries on; only closing the data plane ends a loop.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    /** The largest inner packet: it must still fit a UDP datagram after ESP and UDP/IP headers. */
    public static final int MAX_INNER_PACKET = 65535 - 8 - 40 - OutboundSa.MAX_OVERHEAD;

    private final SecurityAssociationDatabase sad;
    private final PacketPort vpnSide;
    private final UdpSockets sockets;
    private final IkeSink ike;
    private final PacketPort internetGateway;
    private final Duration natKeepalive;
    private final TrafficWithoutSa withoutSa;
    private final DropCounters drops = new DropCounters();
    private final LongAdder espSent = new LongAdder();
    private final LongAdder espDelivered = new LongAdder();
    private final LongAdder toGateway = new LongAdder();
    private final ScheduledExecutorService timer;
    // Owned by the esp-out thread.
    private final byte[] out = new byte[MAX_INNER_PACKET + OutboundSa.MAX_OVERHEAD];
    private final ByteBuffer outBuf = ByteBuffer.wrap(out);
    private final TcpSegmenter segmenter = new TcpSegmenter(0, MAX_INNER_PACKET);
    private OutboundSa currentSa;
    private final TcpSegmenter.Sink segmentSink = (b, o, l) -> protectAndSend(currentSa, b, o, l);
    private final List<Thread> threads;
    private volatile boolean closing;

    /**
     * @param internetGateway where VPN-side packets no SA covers go when this CE has the internet
     *                        gateway role (draft §6.1); null: they are dropped and counted
     * @param natKeepalive    interval of NAT keepalives to every outbound peer (RFC 3948 §2.3), null for none
     */
    public DataPlane(SecurityAssociationDatabase sad, PacketPort vpnSide, UdpSockets sockets, IkeSink ike,
                     PacketPort internetGateway, Duration natKeepalive) {
        this(sad, vpnSide, sockets, ike, internetGateway, natKeepalive, packet -> { });
    }

    /**
     * @param withoutSa told of every VPN-side packet that no SA covers and the gateway does not take
     *                  (the IKE service starts traffic-driven tunnels from it)
     */
    public DataPlane(SecurityAssociationDatabase sad, PacketPort vpnSide, UdpSockets sockets, IkeSink ike,
                     PacketPort internetGateway, Duration natKeepalive, TrafficWithoutSa withoutSa) {
        this.withoutSa = withoutSa;
        this.sad = sad;
        this.vpnSide = vpnSide;
        this.sockets = sockets;
        this.ike = ike;
        this.internetGateway = internetGateway;
        this.natKeepalive = natKeepalive;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("cevpn-sa-timer").unstarted(r));
        this.threads = List.of(
                Thread.ofPlatform().daemon().name("cevpn-esp-out").unstarted(this::outboundLoop),
                Thread.ofPlatform().daemon().name("cevpn-esp-in").unstarted(this::natTLoop),
                Thread.ofPlatform().daemon().name("cevpn-ike-500").unstarted(this::ikeLoop));
    }

    public void start() {
        threads.forEach(Thread::start);
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        if (natKeepalive != null) {
            long ms = natKeepalive.toMillis();
            timer.scheduleAtFixedRate(this::sendKeepalives, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    public SecurityAssociationDatabase sad() { return sad; }

    /** Global drop counters (per-SA ones are in {@link SecurityAssociation#stats()}). */
    public DropCounters drops() { return drops; }

    public long espSent() { return espSent.sum(); }

    public long espDelivered() { return espDelivered.sum(); }

    public long sentToGateway() { return toGateway.sum(); }

    /** For the IKE engine: sends a message to a peer (via 4500 with the non-ESP marker when {@code natT}). */
    public void sendIke(byte[] message, InetSocketAddress to, boolean natT) throws IOException {
        sockets.sendIke(message, to, natT);
    }

    private void outboundLoop() {
        PacketBatch batch = new PacketBatch(32, MAX_INNER_PACKET, OutboundSa.TRAILER_ROOM);
        IpPacketView view = new IpPacketView();
        while (!closing) {
            int n;
            try {
                n = vpnSide.receive(batch);
            } catch (IOException e) {
                if (!closing) {
                    LOG.warn("{}: receive failed: {}", vpnSide.name(), e.toString());
                }
                continue;
            }
            if (n < 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                try {
                    outbound(batch.buffer(i), batch.offset(i), batch.length(i), batch.gsoSize(i), view);
                } catch (RuntimeException e) {
                    // A bug must not stop the data plane: count it, say it once per occurrence, carry on.
                    drops.count(DropReason.MALFORMED);
                    LOG.error("outbound packet processing failed", e);
                }
            }
        }
    }

    private void outbound(byte[] pkt, int off, int len, int gsoSize, IpPacketView view) {
        if (len < 0) {
            drops.count(DropReason.OVERSIZE);
            return;
        }
        if (!view.parse(pkt, off, len)) {
            drops.count(len < 20 ? DropReason.TRUNCATED : DropReason.MALFORMED);
            return;
        }
        OutboundSa sa = sad.selectOutbound(view);
        if (sa == null) {
            if (internetGateway != null) {
                try {
                    internetGateway.send(pkt, off, view.length());
                    toGateway.increment();
                } catch (IOException e) {
                    drops.count(DropReason.SEND_FAILED);
                }
            } else {
                drops.count(DropReason.NO_SA);
                withoutSa.onPacketWithoutSa(view);
            }
            return;
        }
        if (gsoSize > 0 && !sa.config().superPackets()) {
            // A TCP super-packet for a peer that takes only ordinary packets: segment it first.
            currentSa = sa;
            try {
                if (segmenter.segment(pkt, off, view.length(), gsoSize, segmentSink) > 0) {
                    return;
                }
                // Not segmentable (IPv6 extension headers): sent whole; the peer reassembles the datagram.
            } catch (IOException e) {
                drops.count(DropReason.SEND_FAILED);
                return;
            }
        }
        protectAndSend(sa, pkt, off, view.length());
    }

    private void protectAndSend(OutboundSa sa, byte[] pkt, int off, int len) {
        int n = sa.encapsulate(pkt, off, len, out, 0);
        if (n < 0) {
            drops.countCode(n);
            return;
        }
        outBuf.clear().limit(n);
        try {
            sockets.sendEsp(outBuf, sa.config().peer());
            espSent.increment();
        } catch (IOException e) {
            drops.count(DropReason.SEND_FAILED);
        }
    }

    private void natTLoop() {
        InboundClassifier classifier = new InboundClassifier(sad, ike, vpnSide, drops);
        byte[] rx = new byte[65536];
        ByteBuffer rxBuf = ByteBuffer.wrap(rx);
        while (!closing) {
            try {
                InetSocketAddress from = sockets.receiveNatT(rxBuf);
                if (classifier.onNatTDatagram(rx, 0, rxBuf.limit(), from) > 0) {
                    espDelivered.increment();
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closing) {
                    LOG.warn("UDP/4500 receive failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                drops.count(DropReason.MALFORMED);
                LOG.error("inbound packet processing failed", e);
            }
        }
    }

    private void ikeLoop() {
        InboundClassifier classifier = new InboundClassifier(sad, ike, vpnSide, drops);
        byte[] rx = new byte[65536];
        ByteBuffer rxBuf = ByteBuffer.wrap(rx);
        while (!closing) {
            try {
                InetSocketAddress from = sockets.receiveIke(rxBuf);
                classifier.onIkeDatagram(rx, 0, rxBuf.limit(), from);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closing) {
                    LOG.warn("UDP/500 receive failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                drops.count(DropReason.MALFORMED);
                LOG.error("IKE datagram processing failed", e);
            }
        }
    }

    private void tick() {
        try {
            sad.tick();
        } catch (RuntimeException e) {
            LOG.error("SA lifetime check failed", e);
        }
    }

    private void sendKeepalives() {
        Set<InetSocketAddress> peers = new HashSet<>();
        for (SecurityAssociation sa : sad.all()) {
            if (sa instanceof OutboundSa) {
                peers.add(sa.config().peer());
            }
        }
        for (InetSocketAddress p : peers) {
            try {
                sockets.sendNatKeepalive(p);
            } catch (IOException e) {
                LOG.debug("keepalive to {} failed: {}", p, e.toString());
            }
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        timer.shutdownNow();
        try {
            vpnSide.close();
        } finally {
            sockets.close();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package org.cevpn.ipsec.esp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The SAD (RFC 4301 §4.4.2): inbound SAs keyed by SPI, outbound SAs selected by traffic selectors.
 * Reads (one per packet) are lock-free on immutable snapshots; installs and removals are serialised
 * and publish a new snapshot.
 *
 * <p>When several outbound SAs cover a packet the most recently installed wins: during a rekey the
 * new SA takes over as soon as it is installed (make-before-break), the old one drains.
 */
public final class SecurityAssociationDatabase {
    private final SaEventListener listener;
    private final LongSupplier nanoClock;
    private volatile SpiTable inbound = SpiTable.EMPTY;
    private volatile OutboundSa[] outbound = new OutboundSa[0];

    public SecurityAssociationDatabase(SaEventListener listener) {
        this(listener, System::nanoTime);
    }

    /** @param nanoClock monotonic clock for time lifetimes (tests pass their own) */
    public SecurityAssociationDatabase(SaEventListener listener, LongSupplier nanoClock) {
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    /** Installs an SA; a second inbound SA with the same SPI is refused. */
    public synchronized SecurityAssociation install(SaConfig config) {
        if (config.direction() == Direction.INBOUND) {
            if (inbound.get(config.spi()) != null) {
                throw new IllegalArgumentException("an inbound SA with SPI 0x" + Integer.toHexString(config.spi()) + " exists");
            }
            InboundSa sa = new InboundSa(config, this::onEvent, nanoClock);
            inbound = inbound.with(sa);
            return sa;
        }
        for (OutboundSa o : outbound) {
            if (o.spi() == config.spi() && o.config().peer().equals(config.peer())) {
                throw new IllegalArgumentException("an outbound SA with SPI 0x" + Integer.toHexString(config.spi())
                        + " to " + config.peer() + " exists");
            }
        }
        OutboundSa sa = new OutboundSa(config, this::onEvent, nanoClock);
        OutboundSa[] next = Arrays.copyOf(outbound, outbound.length + 1);
        next[next.length - 1] = sa;
        outbound = next;
        return sa;
    }

    /** Removes the inbound SA with {@code spi}; returns whether it was there. */
    public synchronized boolean removeInbound(int spi) {
        if (inbound.get(spi) == null) {
            return false;
        }
        inbound = inbound.without(spi);
        return true;
    }

    /** Removes the outbound SA with {@code spi} towards {@code peer} (SPIs are only unique per receiver). */
    public synchronized boolean removeOutbound(int spi, java.net.InetSocketAddress peer) {
        OutboundSa[] cur = outbound;
        OutboundSa[] next = Arrays.stream(cur)
                .filter(o -> !(o.spi() == spi && o.config().peer().equals(peer))).toArray(OutboundSa[]::new);
        outbound = next;
        return next.length != cur.length;
    }

    /** Removes exactly this SA. */
    public synchronized boolean remove(SecurityAssociation sa) {
        if (sa instanceof InboundSa) {
            if (inbound.get(sa.spi()) != sa) {
                return false;
            }
            inbound = inbound.without(sa.spi());
            return true;
        }
        OutboundSa[] cur = outbound;
        OutboundSa[] next = Arrays.stream(cur).filter(o -> o != sa).toArray(OutboundSa[]::new);
        outbound = next;
        return next.length != cur.length;
    }

    /** The inbound SA for {@code spi}, or null. */
    public InboundSa inbound(int spi) {
        return inbound.get(spi);
    }

    /** The outbound SA covering the parsed packet, or null. Newest first. */
    public OutboundSa selectOutbound(IpPacketView packet) {
        OutboundSa[] sas = outbound;
        for (int i = sas.length - 1; i >= 0; i--) {
            OutboundSa sa = sas[i];
            if (!sa.hardExpired && sa.covers(packet)) {
                return sa;
            }
        }
        return null;
    }

    /**
     * The newest live outbound SA towards the peer CE at {@code peer} (the selection the draft describes
     * for transport mode over IP-in-IP: by the outer destination), or null.
     */
    public OutboundSa selectOutbound(java.net.InetAddress peer) {
        OutboundSa[] sas = outbound;
        for (int i = sas.length - 1; i >= 0; i--) {
            OutboundSa sa = sas[i];
            if (!sa.hardExpired && sa.config().peer().getAddress().equals(peer)) {
                return sa;
            }
        }
        return null;
    }

    /**
     * Replaces the routes of the IP-in-IP interface to the peer CE at {@code peer}: the selectors of every
     * {@link Mode#TRANSPORT_IPIP} SA with that peer, both directions, in place — sequence numbers, replay
     * windows and keys stay, so a routing protocol can add and withdraw routes without a rekey. The next
     * packet sees the new routes.
     *
     * @return how many SAs now carry them
     */
    public synchronized int replaceIpIpRoutes(java.net.InetAddress peer, List<TrafficSelector> local, List<TrafficSelector> remote) {
        TrafficSelector[] l = local.toArray(TrafficSelector[]::new);
        TrafficSelector[] r = remote.toArray(TrafficSelector[]::new);
        int n = 0;
        for (SecurityAssociation sa : all()) {
            if (sa.config().mode() != Mode.TRANSPORT_IPIP || !sa.config().peer().getAddress().equals(peer)) {
                continue;
            }
            switch (sa) {
                case OutboundSa o -> o.routes(l, r);
                case InboundSa i -> i.routes(l, r);
            }
            n++;
        }
        return n;
    }

    /** Every installed SA: outbound first, then inbound. */
    public List<SecurityAssociation> all() {
        List<SecurityAssociation> all = new ArrayList<>(Arrays.asList(outbound));
        all.addAll(inbound.list());
        return all;
    }

    /** Checks time lifetimes of every SA; the data plane calls this about once a second. */
    public void tick() {
        for (SecurityAssociation sa : all()) {
            sa.checkTime();
        }
    }

    private void onEvent(SecurityAssociation sa, SaEvent event) {
        if (event instanceof SaEvent.HardExpired) {
            remove(sa);
        }
        listener.onSaEvent(event);
    }
}

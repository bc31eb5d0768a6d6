package org.cevpn.ipsec.ike.engine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.cevpn.ipsec.dataplane.IkeDatagram;
import org.cevpn.ipsec.dataplane.IkeQueue;
import org.cevpn.ipsec.dataplane.TrafficWithoutSa;
import org.cevpn.ipsec.esp.SaEvent;
import org.cevpn.ipsec.esp.SaEventListener;
import org.cevpn.ipsec.io.UdpSockets;

/**
 * Runs an {@link IkeEngine} on its own thread against the data plane: takes the IKE messages the
 * data plane's classifier queued ({@link IkeQueue}), sends the engine's answers through the data
 * plane's sockets ({@link UdpSockets#sendIke}), ticks the engine every second, and hands the
 * engine's events to a listener (the reconciler, which installs child SAs in the SAD). Commands
 * (initiate, rekey, delete) are queued and run on the engine thread, which alone touches the engine.
 * With a {@link TunnelSupervisor}, the engine's policy runs here too: every event passes the
 * supervisor before the listener, its tick starts rekeys, liveness checks, retries and on-demand
 * tunnels, and the data plane's hooks ({@link #trafficWithoutSa()}, {@link #saEvents()}) feed it.
 */
public final class IkeService implements AutoCloseable {
    private static final Duration TICK = Duration.ofSeconds(1);

    private final IkeEngine engine;
    private final TunnelSupervisor supervisor;
    /** Destinations already reported without SA, with when: one report a second per address is plenty. */
    private final ConcurrentHashMap<InetAddress, Long> acquired = new ConcurrentHashMap<>();
    private final IkeQueue queue;
    private final UdpSockets sockets;
    private final Consumer<IkeEvent> listener;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Function<IkeEngine, List<Outbound>>> commands = new ConcurrentLinkedQueue<>();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public IkeService(IkeEngine engine, IkeQueue queue, UdpSockets sockets, Consumer<IkeEvent> listener, Clock clock) {
        this(engine, null, queue, sockets, listener, clock);
    }

    /** @param supervisor the engine's policy (may be null: then only commands drive the engine) */
    public IkeService(IkeEngine engine, TunnelSupervisor supervisor, IkeQueue queue, UdpSockets sockets,
                      Consumer<IkeEvent> listener, Clock clock) {
        this.engine = engine;
        this.supervisor = supervisor;
        this.queue = queue;
        this.sockets = sockets;
        this.listener = listener;
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name("cevpn-ike").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** Runs {@code command} on the engine thread, e.g. {@code e -> e.initiate(peer)}; its datagrams are sent. */
    public void submit(Function<IkeEngine, List<Outbound>> command) {
        commands.add(command);
        queue.wakeup(); // not up to a poll timeout later: an add-peer must not wait behind the peer's own IKE_SA_INIT
    }

    /**
     * The hook for the data plane's outbound path ({@code new DataPlane(..., service.trafficWithoutSa())}):
     * a packet without SA wakes the supervisor's traffic-driven initiation, at most once a second per destination.
     */
    public TrafficWithoutSa trafficWithoutSa() {
        return packet -> {
            if (supervisor == null) {
                return;
            }
            byte[] addr = java.util.Arrays.copyOfRange(packet.buffer(), packet.destinationOffset(),
                    packet.destinationOffset() + packet.addressLength());
            InetAddress destination;
            try {
                destination = InetAddress.getByAddress(addr);
            } catch (UnknownHostException e) {
                return; // 4 or 16 octets: cannot happen
            }
            long now = System.nanoTime();
            Long last = acquired.get(destination);
            if (last != null && now - last < 1_000_000_000L) {
                return;
            }
            if (acquired.size() > 4096) {
                acquired.clear();
            }
            acquired.put(destination, now);
            submit(e -> {
                supervisor.onTrafficWithoutSa(destination);
                return List.of();
            });
        };
    }

    /** The hook for the SAD's lifetime events: soft expiries start child rekeys on the engine thread. */
    public SaEventListener saEvents() {
        return (SaEvent event) -> {
            if (supervisor != null) {
                submit(e -> {
                    supervisor.onSaEvent(event);
                    return List.of();
                });
            }
        };
    }

    private void loop() {
        Instant nextTick = clock.instant().plus(TICK);
        while (running) {
            try {
                IkeDatagram d = queue.poll(100, TimeUnit.MILLISECONDS);
                // Commands first: one submitted before this datagram arrived (the peer it comes from, added by the
                // agent) is in effect when the engine reads it.
                for (Function<IkeEngine, List<Outbound>> c; (c = commands.poll()) != null; ) {
                    try {
                        send(c.apply(engine));
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        refusals.incrementAndGet(); // a command that does not fit the state: refused
                    }
                }
                if (d != null) {
                    send(engine.receive(d.message(), d.from(), d.viaNatT()));
                }
                // IKE_SA_INITs whose Diffie-Hellman crypto workers finished (CryptoOffload.workers with
                // queue::wakeup); nothing with an inline engine.
                send(engine.completions());
                if (!clock.instant().isBefore(nextTick)) {
                    send(engine.tick());
                    if (supervisor != null) {
                        deliver(engine.drainEvents()); // the supervisor decides on what the engine's tick ended
                        try {
                            TunnelSupervisor.Actions a = supervisor.tick();
                            send(a.ike());
                            keepalives(a.natKeepalives());
                        } catch (IllegalStateException | IllegalArgumentException e) {
                            refusals.incrementAndGet();
                        }
                    }
                    nextTick = clock.instant().plus(TICK);
                }
                deliver(engine.drainEvents());
                if (supervisor != null) {
                    deliver(supervisor.drainEvents());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void deliver(List<IkeEvent> events) {
        for (IkeEvent e : events) {
            try {
                if (supervisor != null) {
                    supervisor.onEvent(e);
                }
                listener.accept(e);
            } catch (RuntimeException ex) {
                refusals.incrementAndGet();
            }
        }
    }

    private void keepalives(List<java.net.InetSocketAddress> to) {
        for (java.net.InetSocketAddress t : to) {
            try {
                sockets.sendNatKeepalive(t);
            } catch (IOException e) {
                sendFailures.incrementAndGet();
            }
        }
    }

    private void send(List<Outbound> out) {
        for (Outbound o : out) {
            try {
                sockets.sendIke(o.message(), o.to(), o.viaNatT());
            } catch (IOException e) {
                sendFailures.incrementAndGet(); // the retransmission timer tries again
            }
        }
    }

    /** Datagrams the sockets refused (counted; retransmissions cover them). */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** Commands refused by the engine's state and exceptions thrown by the listener. */
    public long refusals() {
        return refusals.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
    }
}

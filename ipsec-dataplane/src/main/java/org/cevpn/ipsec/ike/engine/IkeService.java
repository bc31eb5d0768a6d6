package org.cevpn.ipsec.ike.engine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.cevpn.ipsec.dataplane.IkeDatagram;
import org.cevpn.ipsec.dataplane.IkeQueue;
import org.cevpn.ipsec.io.UdpSockets;

/**
 * Runs an {@link IkeEngine} on its own thread against the data plane: takes the IKE messages the
 * data plane's classifier queued ({@link IkeQueue}), sends the engine's answers through the data
 * plane's sockets ({@link UdpSockets#sendIke}), ticks the engine every second, and hands the
 * engine's events to a listener (the reconciler, which installs child SAs in the SAD). Commands
 * (initiate, rekey, delete) are queued and run on the engine thread, which alone touches the engine.
 */
public final class IkeService implements AutoCloseable {
    private static final Duration TICK = Duration.ofSeconds(1);

    private final IkeEngine engine;
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
        this.engine = engine;
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
    }

    private void loop() {
        Instant nextTick = clock.instant().plus(TICK);
        while (running) {
            try {
                IkeDatagram d = queue.poll(100, TimeUnit.MILLISECONDS);
                if (d != null) {
                    send(engine.receive(d.message(), d.from(), d.viaNatT()));
                }
                for (Function<IkeEngine, List<Outbound>> c; (c = commands.poll()) != null; ) {
                    try {
                        send(c.apply(engine));
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        refusals.incrementAndGet(); // a command that does not fit the state: refused
                    }
                }
                if (!clock.instant().isBefore(nextTick)) {
                    send(engine.tick());
                    nextTick = clock.instant().plus(TICK);
                }
                for (IkeEvent e : engine.drainEvents()) {
                    try {
                        listener.accept(e);
                    } catch (RuntimeException ex) {
                        refusals.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
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

package org.cevpn.ipsec.dataplane;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bounded queue between the data plane's receive threads and the IKE engine. The IKE thread
 * waits on it, so it also carries the wake-up of the engine's crypto workers ({@link #wakeup}).
 */
public final class IkeQueue implements IkeSink {
    /** Never handed out: {@link #poll} returns null for it. */
    private static final IkeDatagram WAKEUP = new IkeDatagram(new byte[0], null, false);

    private final BlockingQueue<IkeDatagram> queue;
    /** One wake-up in the queue at most, however many workers finish meanwhile. */
    private final AtomicBoolean wakeupQueued = new AtomicBoolean();

    public IkeQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public boolean offer(IkeDatagram datagram) {
        return queue.offer(datagram);
    }

    /**
     * Ends the IKE thread's current {@link #poll} early (e.g. {@code CryptoOffload.workers(n, queue::wakeup)}:
     * results are waiting). A full queue needs none: the thread is busy with it anyway.
     */
    public void wakeup() {
        if (wakeupQueued.compareAndSet(false, true) && !queue.offer(WAKEUP)) {
            wakeupQueued.set(false);
        }
    }

    /** The next message, or null after the timeout or a {@link #wakeup}. */
    public IkeDatagram poll(long timeout, TimeUnit unit) throws InterruptedException {
        IkeDatagram d = queue.poll(timeout, unit);
        if (d == WAKEUP) {
            wakeupQueued.set(false);
            return null;
        }
        return d;
    }
}

package org.cevpn.ipsec.dataplane;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bounded queue between the data plane's receive threads and the IKE engine. */
public final class IkeQueue implements IkeSink {
    private final BlockingQueue<IkeDatagram> queue;

    public IkeQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public boolean offer(IkeDatagram datagram) {
        return queue.offer(datagram);
    }

    /** The next message, or null after the timeout. */
    public IkeDatagram poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }
}

package org.cevpn.ipsec.dataplane;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The IKE thread's queue: datagrams in order, and wake-ups that end a wait without being datagrams. */
class IkeQueueTest {
    @Test
    void aWakeupEndsTheWaitAndIsNeverHandedOut() throws Exception {
        IkeQueue q = new IkeQueue(8);
        IkeDatagram d = new IkeDatagram(new byte[] {1}, new InetSocketAddress("192.0.2.1", 500), false);
        q.wakeup();
        q.wakeup(); // coalesced: one wake-up queued at most
        assertTrue(q.offer(d));
        long t0 = System.nanoTime();
        assertNull(q.poll(5, TimeUnit.SECONDS), "the wake-up");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "at once, not after the timeout");
        assertSame(d, q.poll(5, TimeUnit.SECONDS), "the datagram behind it");
        assertNull(q.poll(10, TimeUnit.MILLISECONDS), "nothing else: the second wake-up was coalesced");
        q.wakeup();
        assertNull(q.poll(5, TimeUnit.SECONDS), "a wake-up after the last one was taken queues again");
    }
}

package org.cevpn.netconf.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.cevpn.netconf.notification.NetconfNotification;
import org.cevpn.netconf.notification.NotificationSink;
import org.cevpn.netconf.notification.NotificationXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's notifications on their way out: the stream hands them over without blocking (it holds its lock),
 * they wait in a bounded queue, and a writer thread sends them between rpc-replies (RFC 5277 :interleave).
 * The writer starts only once the create-subscription reply is out, so replayed events never overtake it, and
 * what was replayed is written before the session reads on.
 * A client too slow to keep {@code capacity} notifications in flight loses the excess: each loss is counted
 * and logged, and the subscription goes on.
 */
final class NotificationOutbox implements NotificationSink {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationOutbox.class);

    /** Writes one encoded notification to the session, framed, under the session's write lock. */
    @FunctionalInterface
    interface Writer {
        void write(String message) throws java.io.IOException;
    }

    private final BlockingQueue<String> queue;
    private final NotificationXml xml;
    private final long sessionId;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean active = true;
    private Thread writer;

    NotificationOutbox(final NotificationXml xml, final long sessionId, final int capacity) {
        this.xml = xml;
        this.sessionId = sessionId;
        queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void send(final NetconfNotification notification) {
        if (!queue.offer(xml.encode(notification))) {
            LOG.warn("session {}: notification dropped, the client is not reading ({} so far)", sessionId,
                dropped.incrementAndGet());
        }
    }

    @Override
    public void ended() {
        active = false;
    }

    boolean active() {
        return active;
    }

    long dropped() {
        return dropped.get();
    }

    /**
     * Starts sending (after the create-subscription reply has been written). What is queued already, a replay and
     * its replayComplete, goes out first, on the caller's thread, before the session reads its next rpc: a client
     * then sees the replayed events ahead of any later reply (yangcli in batch mode stops reading after its last).
     */
    synchronized void start(final Writer out) throws java.io.IOException {
        if (writer != null) {
            return;
        }
        for (String queued; (queued = queue.poll()) != null; ) {
            out.write(queued);
        }
        writer = Thread.ofVirtual().name("netconf-notify-" + sessionId).start(() -> {
            try {
                while (true) {
                    out.write(queue.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                LOG.info("session {}: notification not sent, transport gone: {}", sessionId, e.getMessage());
            }
        });
    }

    synchronized void stop() {
        active = false;
        if (writer != null) {
            writer.interrupt();
        }
    }
}

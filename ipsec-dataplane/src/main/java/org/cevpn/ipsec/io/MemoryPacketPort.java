package org.cevpn.ipsec.io;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A VPN-side port without a kernel: the test side {@link #inject}s packets the data plane will
 * receive and {@link #poll}s the packets the data plane sent. Copies each packet (it is a test
 * device, not a fast path). Packets beyond the queue's capacity are refused and counted.
 */
public final class MemoryPacketPort implements PacketPort {
    private static final byte[] CLOSED = new byte[0];

    /** A queued packet, with the segment size when it stands for a TCP super-packet (as a TUN with TSO gives). */
    private record Queued(byte[] packet, int gsoSize) {}

    private static final Queued CLOSED_MARK = new Queued(CLOSED, 0);

    private final String name;
    private final BlockingQueue<Queued> toDataPlane;
    private final BlockingQueue<byte[]> fromDataPlane;
    private volatile boolean closed;
    private long refused;

    public MemoryPacketPort(String name, int capacity) {
        this.name = name;
        this.toDataPlane = new ArrayBlockingQueue<>(capacity);
        this.fromDataPlane = new ArrayBlockingQueue<>(capacity);
    }

    /** Offers a packet to the data plane; false (and counted) when the queue is full or the port closed. */
    public boolean inject(byte[] packet) {
        return injectSuperPacket(packet, 0);
    }

    /** Offers a TCP super-packet whose segment size is {@code mss}, as a TUN device with TSO hands them over. */
    public boolean injectSuperPacket(byte[] packet, int mss) {
        if (closed || !toDataPlane.offer(new Queued(packet.clone(), mss))) {
            synchronized (this) {
                refused++;
            }
            return false;
        }
        return true;
    }

    /** The next packet the data plane sent, or null after {@code timeoutMillis}. */
    public byte[] poll(long timeoutMillis) throws InterruptedException {
        return fromDataPlane.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    public synchronized long refused() {
        return refused;
    }

    @Override
    public int receive(PacketBatch batch) throws IOException {
        Queued first;
        try {
            do {
                if (closed) {
                    return -1;
                }
                first = toDataPlane.poll(100, TimeUnit.MILLISECONDS);
            } while (first == null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (first == CLOSED_MARK) {
            return -1;
        }
        int n = 0;
        for (Queued q = first; q != null && q != CLOSED_MARK; q = n < batch.capacity() ? toDataPlane.poll() : null) {
            byte[] p = q.packet();
            int len = Math.min(p.length, batch.maxPacket());
            System.arraycopy(p, 0, batch.buffer(n), HEADROOM, len);
            batch.setOffset(n, HEADROOM);
            batch.setGsoSize(n, q.gsoSize());
            batch.setLength(n, p.length > batch.maxPacket() ? -1 : len); // -1: oversize, the reader counts it
            n++;
        }
        batch.setCount(n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException(name + " is closed");
        }
        if (!fromDataPlane.offer(Arrays.copyOfRange(buf, off, off + len))) {
            throw new IOException(name + ": receiver queue full");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        closed = true;
        toDataPlane.offer(CLOSED_MARK);
    }
}

package org.cevpn.ipsec.ike.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the {@link IkeEngine} does the expensive part of IKE_SA_INIT: Diffie-Hellman key generation
 * and agreement and SKEYSEED (nearly all of a handshake's CPU time). {@link #INLINE} does it on the
 * engine's own thread, inside {@code initiate} and {@code receive}. {@link #workers} does it on a
 * pool, as strongSwan's charon does with its worker threads, so that handshakes with many peers (a
 * hub CE starting up), or many with one, use every core: the engine hands a task its immutable
 * inputs, and the finished result comes back to the engine's thread through
 * {@link IkeEngine#completions()}, so every IKE SA's state is still only touched by that one thread.
 * {@code wakeup} tells the engine's driver that completions are waiting (e.g. {@code selector::wakeup}).
 */
public final class CryptoOffload implements AutoCloseable {
    public static final CryptoOffload INLINE = new CryptoOffload(null, () -> { });

    private final ExecutorService pool;
    private final Runnable wakeup;

    private CryptoOffload(ExecutorService pool, Runnable wakeup) {
        this.pool = pool;
        this.wakeup = wakeup;
    }

    /** {@code threads} daemon worker threads ({@code cevpn-ike-crypto-N}). */
    public static CryptoOffload workers(int threads, Runnable wakeup) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one crypto worker");
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> Thread.ofPlatform().daemon().name("cevpn-ike-crypto-" + n.incrementAndGet()).unstarted(r);
        return new CryptoOffload(Executors.newFixedThreadPool(threads, factory), wakeup);
    }

    boolean inline() {
        return pool == null;
    }

    void execute(Runnable task) {
        pool.execute(task);
    }

    void wakeup() {
        wakeup.run();
    }

    /** Stops the workers; work not started yet is dropped (its IKE SAs time out). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return pool == null ? "CryptoOffload[inline]" : "CryptoOffload[workers]";
    }
}

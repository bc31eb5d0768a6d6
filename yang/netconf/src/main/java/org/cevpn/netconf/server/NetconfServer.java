package org.cevpn.netconf.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.YangSchema;

/**
 * A NETCONF server (RFC 6241) independent of its transport: it owns the datastores, the capabilities it
 * advertises, the sessions and the statistics, and serves one session per {@link #serve} call over any pair
 * of byte streams (an SSH channel in production, a pipe in tests).
 */
public final class NetconfServer {
    /** Session ids start at 1: 0 means "not a NETCONF session" in lock-denied error-info (RFC 6241 §7.5). */
    private final AtomicLong nextSessionId = new AtomicLong(1);
    private final Map<Long, NetconfSession> sessions = new ConcurrentHashMap<>();
    private final YangSchema schema;
    private final Datastores datastores;
    private final AccessControl accessControl;
    private final ReadFilter readFilter;
    private final RpcRegistry rpcs;
    private final org.cevpn.netconf.filter.WithDefaults withDefaults;
    private volatile org.cevpn.netconf.notification.NotificationStream notifications;
    private volatile StateData stateData;
    private final int maxMessageSize;
    private final List<String> capabilities;
    private final Monitoring monitoring;
    private final Monitoring.Statistics statistics = new Monitoring.Statistics();

    /**
     * @param maxMessageSize the largest message (after framing is removed) a client may send, in bytes
     */
    public NetconfServer(final YangSchema schema, final Datastores datastores, final AccessControl accessControl,
            final ReadFilter readFilter, final RpcRegistry rpcs, final int maxMessageSize) {
        this(schema, datastores, accessControl, readFilter, null, rpcs, maxMessageSize);
    }

    /**
     * @param withDefaults RFC 6243 with-defaults, or null when not supported (then not advertised)
     */
    public NetconfServer(final YangSchema schema, final Datastores datastores, final AccessControl accessControl,
            final ReadFilter readFilter, final org.cevpn.netconf.filter.WithDefaults withDefaults,
            final RpcRegistry rpcs, final int maxMessageSize) {
        this.withDefaults = withDefaults;
        this.schema = schema;
        this.datastores = datastores;
        this.accessControl = accessControl;
        this.readFilter = readFilter;
        this.rpcs = rpcs;
        this.maxMessageSize = maxMessageSize;
        capabilities = Capabilities.of(schema, readFilter.supportsXPath(), withDefaults != null, false);
        monitoring = new Monitoring(schema, capabilities);
    }

    private NetconfServer(final NetconfServer base, final org.cevpn.netconf.notification.NotificationStream stream) {
        schema = base.schema;
        datastores = base.datastores;
        accessControl = base.accessControl;
        readFilter = base.readFilter;
        withDefaults = base.withDefaults;
        rpcs = base.rpcs;
        maxMessageSize = base.maxMessageSize;
        notifications = stream;
        stateData = base.stateData;
        capabilities = Capabilities.of(schema, readFilter.supportsXPath(), withDefaults != null, true);
        monitoring = new Monitoring(schema, capabilities);
    }

    /**
     * This server with the RFC 5277 NETCONF event stream: create-subscription (with replay) and interleaved
     * notifications; the hello then advertises :notification and :interleave. Call before serving anyone.
     */
    public NetconfServer withNotifications(final org.cevpn.netconf.notification.NotificationStream stream) {
        return new NetconfServer(this, stream);
    }

    /** Adds the application's state data to {@code get} answers. Call before serving anyone. */
    public NetconfServer withStateData(final StateData provider) {
        stateData = provider;
        return this;
    }

    StateData stateData() {
        return stateData;
    }

    org.cevpn.netconf.notification.NotificationStream notifications() {
        return notifications;
    }

    public List<String> capabilities() {
        return capabilities;
    }

    public Datastores datastores() {
        return datastores;
    }

    /**
     * Serves one session on the calling thread until the client closes it, it is killed, or its stream breaks.
     *
     * @param closeTransport closes the underlying channel (used by kill-session and on framing errors)
     */
    public void serve(final String user, final String sourceHost, final InputStream in, final OutputStream out,
            final Runnable closeTransport) {
        final long id = nextSessionId.getAndIncrement();
        final var session = new NetconfSession(this, id, user, sourceHost, in, out, closeTransport);
        sessions.put(id, session);
        accessControl.sessionStarted(id, user);
        statistics.inSessions.incrementAndGet();
        try {
            session.run();
        } finally {
            sessions.remove(id);
            endOnFreshThread(id);
        }
    }

    /**
     * Releases the session's locks and rolls back its unconfirmed commit (RFC 6241 §8.4.1) on a thread of its own:
     * the SSH transport interrupts the session's thread when the client goes away, and an interrupted thread's
     * FileChannel refuses the rollback's write (ClosedByInterruptException), which left the unconfirmed
     * configuration running. The wait does not give up on an interrupt either; the interrupt is kept for the caller.
     */
    private void endOnFreshThread(final long id) {
        final var end = Thread.ofVirtual().name("netconf-end-" + id).start(() -> {
            datastores.sessionEnded(id);
            accessControl.sessionEnded(id);
        });
        boolean interrupted = false;
        while (true) {
            try {
                end.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** kill-session (RFC 6241 §7.9): ends another session, releasing its locks and undoing its confirmed commit. */
    boolean kill(final long id) {
        final var session = sessions.get(id);
        if (session == null) {
            return false;
        }
        session.kill();
        sessions.remove(id);
        datastores.sessionEnded(id);
        accessControl.sessionEnded(id);
        return true;
    }

    List<Monitoring.SessionInfo> sessionInfos() {
        return sessions.values().stream().map(NetconfSession::info)
            .sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
    }

    YangSchema schema() {
        return schema;
    }

    AccessControl accessControl() {
        return accessControl;
    }

    ReadFilter readFilter() {
        return readFilter;
    }

    org.cevpn.netconf.filter.WithDefaults withDefaults() {
        return withDefaults;
    }

    RpcRegistry rpcs() {
        return rpcs;
    }

    int maxMessageSize() {
        return maxMessageSize;
    }

    Limits xmlLimits() {
        return new Limits(maxMessageSize, Limits.DEFAULT.maxDepth());
    }

    Monitoring monitoring() {
        return monitoring;
    }

    Monitoring.Statistics statistics() {
        return statistics;
    }

    InstanceDocumentParser parser() {
        return new InstanceDocumentParser(schema, xmlLimits());
    }

    static Instant now() {
        return Instant.now();
    }
}

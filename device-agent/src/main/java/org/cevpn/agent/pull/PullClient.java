package org.cevpn.agent.pull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.cevpn.agent.config.ConfigurationException;
import org.cevpn.agent.reconcile.AgentNotification;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.client.ClientKey;
import org.cevpn.netconf.client.NetconfClient;
import org.cevpn.netconf.client.RpcReply;
import org.cevpn.netconf.client.ServerAuthenticationException;
import org.cevpn.netconf.datastore.RpcException;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Keeps the CE's VPN configuration what the VPN server says (draft §3.3, §3.5). Every pull runs on the client's
 * own thread, one at a time: connect if needed (pinned host key, client key, user = ce-id; subscribe to the
 * server's notifications when it has them), pull-configuration with the ce-id and the version held, then
 * <ul>
 *   <li>{@code up-to-date}: nothing to do;</li>
 *   <li>a {@code vpn-configuration}: written to running as the agent, validated like any edit; refused, it raises
 *       configuration-rejected and the last good configuration stays;</li>
 *   <li>rpc-error {@code unknown-ce}: the server no longer knows this CE, its VPN configuration is deleted (§3.6).</li>
 * </ul>
 * Triggers: start, pull-interval, the server's configuration-changed naming this CE (combined mode), an IKE
 * request from an unknown peer (at most one such pull per {@link #UNKNOWN_PEER_PULL_INTERVAL}), the resync RPC,
 * and a lost session (reconnection backs off from min-retry-wait, doubling, up to backoff-limit).
 */
public final class PullClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PullClient.class);
    /** A flood of unknown peers (one report per address per 30 s from the engine) must not become a pull storm. */
    public static final Duration UNKNOWN_PEER_PULL_INTERVAL = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Running as the agent sees and writes it. */
    public interface Running {
        ContainerNode root();

        /** edit-config of running by the agent itself (merge; the element is a {@code <config>}). */
        void write(Element config) throws RpcException;
    }

    /**
     * What one pull did.
     *
     * @param outcome        a last-pull-result enum name
     * @param appliedVersion the configuration-version held after the pull (0: none)
     * @param errors         why it failed (empty on success)
     */
    public record PullReport(String outcome, long appliedVersion, boolean updated, Optional<String> error,
                             List<RpcError> errors) {
    }

    private final QNameModule ce;
    private final Running running;
    private final Consumer<AgentNotification> notifications;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicLong suppressedUnknownPeerPulls = new AtomicLong();
    private final AtomicLong pulls = new AtomicLong();
    /** A triggered pull is queued and has not started: further triggers join it instead of queueing another. */
    private final java.util.concurrent.atomic.AtomicBoolean queued = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile SyncState state = SyncState.NONE;
    private volatile boolean closed;
    private Instant lastUnknownPeerPull = Instant.MIN;

    // pull thread only
    private VpnServerSettings settings;
    private NetconfClient session;
    private ScheduledFuture<?> next;
    private int failures;

    public PullClient(QNameModule ce, Running running, Consumer<AgentNotification> notifications, Clock clock) {
        this.ce = ce;
        this.running = running;
        this.notifications = notifications;
        this.clock = clock;
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("cevpn-pull").factory());
    }

    /** The first pull, now. */
    public void start() {
        trigger("start");
    }

    /** Running changed: a new pre-configuration (another server, key or interval) takes effect at once. */
    public void runningChanged() {
        execute(() -> {
            Optional<VpnServerSettings> now = readSettings();
            if (now.isPresent() && !now.equals(Optional.ofNullable(settings))) {
                pull("pre-configuration");
            }
        });
    }

    /** The engine saw IKE from an address that is not a configured peer: maybe the server knows it already. */
    public void unknownPeer(InetSocketAddress from) {
        Instant now = clock.instant();
        synchronized (this) {
            if (now.isBefore(lastUnknownPeerPull.plus(UNKNOWN_PEER_PULL_INTERVAL))) {
                suppressedUnknownPeerPulls.incrementAndGet();
                return;
            }
            lastUnknownPeerPull = now;
        }
        LOG.info("IKE from unknown peer {}: pulling the configuration", from.getAddress().getHostAddress());
        trigger("unknown-peer");
    }

    /** The resync RPC: a pull now, its report when done. */
    public PullReport resync() throws InterruptedException {
        try {
            return executor.submit(() -> pull("resync")).get(3 * TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            return new PullReport("unreachable", appliedVersion(), false, Optional.of("resync did not complete: " + e), List.of());
        }
    }

    public SyncState syncState() {
        return state;
    }

    /** Unknown-peer triggers dropped by the rate limit, since start. */
    public long suppressedUnknownPeerPulls() {
        return suppressedUnknownPeerPulls.get();
    }

    /** Pulls done (any outcome), since start. */
    public long pulls() {
        return pulls.get();
    }

    /** Queues a pull unless one is already waiting to start (a burst of notifications is one pull). */
    private void trigger(String why) {
        if (queued.compareAndSet(false, true)) {
            execute(() -> {
                queued.set(false);
                pull(why);
            });
        }
    }

    private void execute(Runnable task) {
        if (!closed) {
            try {
                executor.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private Optional<VpnServerSettings> readSettings() {
        try {
            return VpnServerSettings.read(running.root(), ce);
        } catch (ConfigurationException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** One pull (pull thread). */
    private PullReport pull(String trigger) {
        if (closed) {
            return new PullReport("unreachable", appliedVersion(), false, Optional.of("the agent is stopping"), List.of());
        }
        Optional<VpnServerSettings> current;
        try {
            current = VpnServerSettings.read(running.root(), ce);
        } catch (ConfigurationException | ClassCastException e) {
            return failed("the pre-configuration cannot be used for pulling: " + e.getMessage(), List.of());
        }
        if (current.isEmpty()) {
            return new PullReport("unreachable", 0, false, Optional.of("no pre-configuration"), List.of());
        }
        if (!current.orElseThrow().equals(settings)) {
            closeSession();
            settings = current.orElseThrow();
            failures = 0;
        }
        pulls.incrementAndGet();
        long held = appliedVersion();
        RpcReply reply;
        try {
            NetconfClient client = session();
            reply = client.rpc("<pull-configuration xmlns=\"" + PulledConfiguration.VDB + "\"><ce-id>" + settings.ceId()
                    + "</ce-id>" + (held > 0 ? "<configuration-version>" + held + "</configuration-version>" : "")
                    + "</pull-configuration>");
        } catch (ServerAuthenticationException e) {
            closeSession();
            return failed("VPN server " + settings.host() + ":" + settings.port() + " not authenticated: " + e.getMessage(),
                    List.of());
        } catch (IOException | GeneralSecurityException e) {
            closeSession();
            return failed("VPN server " + settings.host() + ":" + settings.port() + " unreachable: " + e.getMessage(), List.of());
        }
        if (!reply.errors().isEmpty()) {
            RpcError first = reply.errors().get(0);
            if (first.tag() == ErrorTag.INVALID_VALUE && "unknown-ce".equals(first.appTag())) {
                return forgotten(trigger, held);
            }
            return failed("the VPN server refused the pull: " + first, reply.errors());
        }
        Element vpnConfiguration = child(reply.element(), "vpn-configuration");
        if (vpnConfiguration == null) {
            if (child(reply.element(), "up-to-date") == null) {
                return failed("the VPN server's reply holds neither up-to-date nor vpn-configuration", List.of());
            }
            LOG.info("pull ({}): version {} is current", trigger, held);
            return succeeded("unchanged", held, false);
        }
        Optional<Long> version = PulledConfiguration.version(vpnConfiguration);
        try {
            running.write(PulledConfiguration.replacing(vpnConfiguration, ce.namespace().toString()));
        } catch (RpcException e) {
            RpcError first = e.errors().get(0);
            LOG.warn("pull ({}): configuration version {} rejected, the last good one stays: {}", trigger,
                    version.map(String::valueOf).orElse("?"), first);
            notifications.accept(new AgentNotification.ConfigurationRejected(version, first.tag().xmlValue(),
                    Optional.ofNullable(first.appTag()), Optional.ofNullable(first.path()).map(p -> p.xpath()), first.message()));
            record(settings.pullInterval(), "rejected",
                    Optional.of("pulled configuration version " + version.map(String::valueOf).orElse("?") + " rejected: " + first));
            failures = 0;
            return new PullReport("rejected", appliedVersion(), false, state.lastError(), e.errors());
        }
        LOG.info("pull ({}): configuration version {} applied", trigger, version.map(String::valueOf).orElse("?"));
        return succeeded("updated", appliedVersion(), true);
    }

    /** unknown-ce: this CE is in no VPN any more (draft §3.6): delete what it holds. */
    private PullReport forgotten(String trigger, long held) {
        if (held == 0) {
            return succeeded("unchanged", 0, false);
        }
        try {
            running.write(PulledConfiguration.removing(ce.namespace().toString()));
        } catch (RpcException e) {
            return failed("removing the VPN configuration failed: " + e.errors().get(0), e.errors());
        }
        LOG.info("pull ({}): the VPN server does not know this CE: VPN configuration {} removed", trigger, held);
        return succeeded("updated", 0, true);
    }

    private PullReport succeeded(String outcome, long version, boolean updated) {
        failures = 0;
        record(settings.pullInterval(), outcome, Optional.empty());
        return new PullReport(outcome, version, updated, Optional.empty(), List.of());
    }

    private PullReport failed(String why, List<RpcError> errors) {
        failures++;
        Duration wait = backoff();
        LOG.warn("pull failed (retry in {} s): {}", wait.toSeconds(), why);
        record(wait, "unreachable", Optional.of(why));
        return new PullReport("unreachable", appliedVersion(), false, Optional.of(why), errors);
    }

    /** min-retry-wait, doubled after each further failure, at most backoff-limit and never beyond pull-interval. */
    private Duration backoff() {
        Duration limit = settings == null ? Duration.ofSeconds(60)
                : settings.backoffLimit().compareTo(settings.pullInterval()) < 0 ? settings.backoffLimit() : settings.pullInterval();
        Duration wait = settings == null ? Duration.ofSeconds(5) : settings.minRetryWait();
        for (int i = 1; i < failures && wait.compareTo(limit) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(limit) > 0 ? limit : wait;
    }

    private void record(Duration untilNext, String outcome, Optional<String> error) {
        Instant now = clock.instant();
        schedule(untilNext);
        state = new SyncState(Optional.of(now), Optional.of(outcome), error, Optional.of(now.plus(untilNext)));
    }

    private void schedule(Duration delay) {
        if (next != null) {
            next.cancel(false);
        }
        if (!closed) {
            next = executor.schedule(() -> pull("periodic"), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The open session, or a new one (subscribed to the server's notifications when it has them). */
    private NetconfClient session() throws IOException, GeneralSecurityException {
        if (session != null && session.isOpen()) {
            return session;
        }
        VpnServerSettings s = settings;
        NetconfClient client = NetconfClient.connect(new NetconfClient.Settings(s.host(), s.port(), s.ceId(), s.server(),
                ClientKey.fromPkcs8(s.clientKey().octets()), TIMEOUT), new NetconfClient.Events() {
            @Override
            public void notification(Element notification) {
                onNotification(notification, s.ceId());
            }

            @Override
            public void closed(String why) {
                execute(() -> lost(why));
            }
        });
        session = client;
        if (client.serverCapabilities().contains("urn:ietf:params:netconf:capability:notification:1.0")) {
            try {
                client.createSubscription();
                LOG.info("connected to VPN server {}:{} (session {}), subscribed to its notifications (combined mode)",
                        s.host(), s.port(), client.sessionId());
            } catch (RpcException e) {
                LOG.warn("VPN server {} refused create-subscription, pulling only: {}", s.host(), e.errors().get(0));
            }
        } else {
            LOG.info("connected to VPN server {}:{} (session {}): no notifications, pull mode", s.host(), s.port(),
                    client.sessionId());
        }
        return client;
    }

    /** The session dropped (pull thread): reconnect, with backoff, by pulling — it may have missed notifications. */
    private void lost(String why) {
        if (session == null || session.isOpen() || closed) {
            return;
        }
        session = null;
        failures++;
        Duration wait = backoff();
        LOG.warn("session with the VPN server lost ({}): reconnecting in {} s", why, wait.toSeconds());
        SyncState s = state;
        schedule(wait);
        state = new SyncState(s.lastPull(), s.lastPullResult(), Optional.of("session with the VPN server lost: " + why),
                Optional.of(clock.instant().plus(wait)));
    }

    /** configuration-changed naming this CE (or naming none): pull (reader thread → pull thread). */
    private void onNotification(Element notification, String ceId) {
        Element changed = child(notification, "configuration-changed");
        if (changed == null || !PulledConfiguration.VDB.equals(changed.getNamespaceURI())) {
            return;
        }
        boolean named = false;
        boolean any = false;
        for (Node c = changed.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && "ce-id".equals(e.getLocalName())) {
                any = true;
                named |= ceId.equals(e.getTextContent().strip());
            }
        }
        if (named || !any) {
            trigger("notification");
        }
    }

    private long appliedVersion() {
        if (running.root().childByArg(id("ce-device")) instanceof ContainerNode device
                && device.childByArg(id("vpn-configuration")) instanceof ContainerNode vc
                && vc.childByArg(id("configuration-version")) != null
                && vc.childByArg(id("configuration-version")).body() instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }

    private NodeIdentifier id(String name) {
        return new NodeIdentifier(QName.create(ce, name));
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSession();
    }

    private void closeSession() {
        NetconfClient s = session;
        session = null;
        if (s != null) {
            s.close();
        }
    }
}

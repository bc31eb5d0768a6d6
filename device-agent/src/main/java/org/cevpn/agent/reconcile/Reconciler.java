package org.cevpn.agent.reconcile;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.cevpn.agent.config.CeConfiguration;
import org.cevpn.agent.config.ConfigurationException;
import org.cevpn.agent.config.IpPrefix;
import org.cevpn.agent.config.PeerTuple;
import org.cevpn.ipsec.ike.engine.ChildSaInstaller;
import org.cevpn.ipsec.ike.engine.IkeEngine;
import org.cevpn.ipsec.ike.engine.IkeEvent;
import org.cevpn.ipsec.ike.engine.IkeService;
import org.cevpn.ipsec.ike.engine.Outbound;
import org.cevpn.ipsec.ike.engine.PeerConfig;
import org.cevpn.ipsec.ike.engine.TunnelPolicy;
import org.cevpn.ipsec.ike.engine.TunnelSupervisor;
import org.cevpn.ipsec.ike.task.ChildSaResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tunnels what the committed configuration says. On each new running configuration
 * ({@link #apply}) it compares the desired peer tuples with those applied: an added peer is given to the
 * engine and its supervisor (a permanent tunnel is initiated at the next tick, a traffic-driven one on its
 * first packet); a changed one is deleted and set up again with the new tuple; a removed one gets an IKE
 * DELETE and is forgotten, so nothing retries it (draft §3.6). The engine's events ({@link #onEvent}, on
 * the IKE thread) install and remove child SAs in the SAD, make the operational state and the notifications.
 */
public final class Reconciler implements TunnelRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final IkeEngine engine;
    private final TunnelSupervisor supervisor;
    private final ChildSaInstaller installer;
    private final PeerTranslation translation;
    private final Consumer<AgentNotification> notifications;
    private final Clock clock;
    private IkeService service;

    /** Applied tuples and their translation; guarded by {@code this}. */
    private final Map<InetAddress, PeerTuple> applied = new HashMap<>();
    private final Map<InetAddress, TunnelPolicy> appliedPolicies = new HashMap<>();
    private int alarmThreshold = 6;
    private String appliedCeId;
    /** Peers whose IKE SA is to be deleted once it can start an exchange (IKE thread only). */
    private final Set<InetAddress> pendingDeletes = new HashSet<>();
    /** Peers with a raised negotiation alarm (IKE thread only). */
    private final Set<InetAddress> alarmed = new HashSet<>();
    /** The IP-in-IP interface's routes of transport-ip-in-ip peers (IKE thread only). */
    private final Map<InetAddress, PeerTranslation.IpIpRoutes> ipIpRoutes = new HashMap<>();
    /**
     * The last AUTHENTICATION_FAILED of a negotiation not yet ended (IKE thread only): the IKE SA's end reports it
     * as the failure, so that last-error and the alarm say the peer's credentials were refused, and why.
     */
    private final Map<InetAddress, String> authenticationFailures = new HashMap<>();
    /** Routes learned over dynamic-routing peers' tunnels ({@link TunnelRoutes}); guarded by {@code this}. */
    private final Map<InetAddress, Set<IpPrefix>> learned = new HashMap<>();
    private final ConcurrentHashMap<InetAddress, TunnelState> states = new ConcurrentHashMap<>();
    private final AtomicLong refusedPeers = new AtomicLong();
    private volatile long appliedVersion;

    public Reconciler(IkeEngine engine, TunnelSupervisor supervisor, ChildSaInstaller installer, PeerTranslation translation,
                      Consumer<AgentNotification> notifications, Clock clock) {
        this.engine = engine;
        this.supervisor = supervisor;
        this.installer = installer;
        this.translation = translation;
        this.notifications = notifications;
        this.clock = clock;
    }

    /**
     * The service that runs the engine (it is built with {@link #onEvent} as its listener, hence after this
     * reconciler). Before it is attached nothing is applied.
     */
    public synchronized void attach(IkeService ikeService) {
        this.service = ikeService;
    }

    /** A new committed configuration (the running datastore's listener), written by a NETCONF client (push). */
    public void apply(CeConfiguration config) {
        apply(config, "push");
    }

    /**
     * A new committed configuration.
     *
     * @param source how it arrived, for configuration-applied: "push" (a NETCONF client wrote it) or "pull"
     */
    public synchronized void apply(CeConfiguration config, String source) {
        if (service == null) {
            throw new IllegalStateException("no IKE service attached");
        }
        alarmThreshold = config.preConfiguration().alarmThreshold();
        if (!config.ceId().equals(appliedCeId)) {
            appliedCeId = config.ceId();
            appliedPolicies.clear(); // our identity is in every peer's IKE settings: re-establish all
        }
        Map<InetAddress, PeerTuple> desired = config.peers();
        List<InetAddress> removed = applied.keySet().stream().filter(a -> !desired.containsKey(a)).toList();
        for (InetAddress peer : removed) {
            PeerTuple old = applied.remove(peer);
            appliedPolicies.remove(peer);
            learned.remove(peer);
            LOG.info("peer {} ({}) removed", peer.getHostAddress(), old.ceId());
            service.submit(e -> remove(peer, old, "peer-removed"));
        }
        for (PeerTuple tuple : desired.values()) {
            InetAddress peer = tuple.spAddress();
            PeerConfig peerConfig;
            TunnelPolicy policy;
            try {
                peerConfig = translation.peerConfig(config.ceId(), config.preConfiguration().spAddress(), tuple);
                policy = PeerTranslation.policy(tuple, config.preConfiguration());
            } catch (ConfigurationException | IllegalArgumentException e) {
                // Counted and visible in the peer's last-error; an old tunnel for it does not outlive the change.
                refusedPeers.incrementAndGet();
                LOG.warn("peer {} not set up: {}", peer.getHostAddress(), e.getMessage());
                PeerTuple old = applied.remove(peer);
                appliedPolicies.remove(peer);
                learned.remove(peer);
                String why = "not set up: " + e.getMessage();
                service.submit(en -> {
                    List<Outbound> out = old == null ? List.of() : remove(peer, old, "configuration-changed");
                    states.put(peer, TunnelState.idle(peer, tuple.ceId(), tuple.vpnId()).withError(why));
                    return out;
                });
                continue;
            }
            PeerTuple old = applied.get(peer);
            if (old != null && old.equals(tuple) && policy.equals(appliedPolicies.get(peer))) {
                continue;
            }
            applied.put(peer, tuple);
            appliedPolicies.put(peer, policy);
            learned.remove(peer); // a changed tunnel starts without learned routes: its routing adjacency starts over
            PeerTranslation.IpIpRoutes routes = PeerTranslation.ipIpRoutes(tuple, Set.of());
            service.submit(e -> {
                List<Outbound> out = old == null ? List.of() : remove(peer, old, "configuration-changed");
                engine.putPeer(peerConfig);
                supervisor.putPeer(peer, policy);
                if (peerConfig.auth().child().transportMode()) {
                    ipIpRoutes.put(peer, routes);
                }
                states.put(peer, TunnelState.idle(peer, tuple.ceId(), tuple.vpnId()).withState(policy.permanent() ? "connecting" : "idle"));
                return out;
            });
        }
        withdrawLearnedRoutesConfiguredElsewhere();
        long version = config.configurationVersion().orElse(0L);
        if (version != 0 && version != appliedVersion) {
            appliedVersion = version;
            notifications.accept(new AgentNotification.ConfigurationApplied(version, source));
        }
    }

    /**
     * Deletes every tunnel (IKE DELETE, draft §3.6) and forgets the peers: the agent is stopping. Blocks until
     * the IKE thread has sent the DELETEs, at most 2 s.
     */
    public void shutdown() throws InterruptedException {
        Map<InetAddress, PeerTuple> all;
        synchronized (this) {
            all = Map.copyOf(applied);
            applied.clear();
            appliedPolicies.clear();
        }
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        service.submit(e -> {
            List<Outbound> out = new ArrayList<>();
            all.forEach((peer, tuple) -> out.addAll(remove(peer, tuple, "administrative-reset")));
            done.countDown();
            return out;
        });
        done.await(2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * The peer's {@code reset} action: deletes its IKE SA (and so its child SAs), clears its backoff and
     * alarm, and lets the supervisor set a permanent tunnel up again at once.
     *
     * @throws IllegalArgumentException when {@code peer} is not a configured peer with a tunnel
     */
    public synchronized void reset(InetAddress peer) {
        PeerTuple tuple = applied.get(peer);
        TunnelPolicy policy = appliedPolicies.get(peer);
        if (tuple == null || policy == null) {
            throw new IllegalArgumentException("no tunnel is configured with this peer");
        }
        service.submit(e -> {
            List<Outbound> out = List.of();
            if (e.establishedWith(peer) && e.idleWith(peer)) {
                notifications.accept(new AgentNotification.TunnelDown(peer, tuple.ceId(), tuple.vpnId(), "administrative-reset",
                        "reset action"));
                out = e.deleteIkeSa(peer);
            }
            supervisor.putPeer(peer, policy); // a fresh backoff: no wait before the next attempt
            if (alarmed.remove(peer)) {
                notifications.accept(new AgentNotification.NegotiationAlarm(peer, tuple.ceId(), "cleared", 0, "reset"));
            }
            update(peer, st -> st.down(policy.permanent() ? "connecting" : "idle", 0, st.lastError()));
            return out;
        });
    }

    @Override
    public void addRoute(InetAddress peer, IpPrefix prefix) {
        java.util.concurrent.CountDownLatch done;
        synchronized (this) {
            PeerTuple tuple = dynamicPeer(peer);
            for (PeerTuple other : applied.values()) {
                if (other.spAddress().equals(peer)) {
                    continue;
                }
                List<IpPrefix> via = new ArrayList<>(other.remotePrefixes());
                via.addAll(learned.getOrDefault(other.spAddress(), Set.of()));
                for (IpPrefix p : via) {
                    if (p.overlaps(prefix)) {
                        throw new IllegalArgumentException(prefix + " overlaps " + p + ", routed via " + other.spAddress().getHostAddress()
                                + ": a destination has one next hop");
                    }
                }
            }
            Set<IpPrefix> mine = learned.computeIfAbsent(peer, p -> new java.util.LinkedHashSet<>());
            if (!mine.add(prefix)) {
                return;
            }
            // Queued under the lock: route changes reach the IKE thread in the order they were made.
            done = applyRoutes(peer, PeerTranslation.ipIpRoutes(tuple, mine));
        }
        LOG.info("route {} via {} learned", prefix, peer.getHostAddress());
        await(done, peer);
    }

    @Override
    public void removeRoute(InetAddress peer, IpPrefix prefix) {
        java.util.concurrent.CountDownLatch done;
        synchronized (this) {
            PeerTuple tuple = dynamicPeer(peer);
            Set<IpPrefix> mine = learned.getOrDefault(peer, Set.of());
            if (!mine.contains(prefix)) {
                return;
            }
            mine.remove(prefix);
            done = applyRoutes(peer, PeerTranslation.ipIpRoutes(tuple, mine));
        }
        LOG.info("route {} via {} withdrawn", prefix, peer.getHostAddress());
        await(done, peer);
    }

    @Override
    public synchronized Map<InetAddress, List<IpPrefix>> learnedRoutes() {
        Map<InetAddress, List<IpPrefix>> out = new HashMap<>();
        learned.forEach((peer, routes) -> out.put(peer, List.copyOf(routes)));
        return Map.copyOf(out);
    }

    /**
     * A configured remote prefix wins over a learned route through another peer that overlaps it (one next hop per
     * destination, as {@link #addRoute} keeps it): such learned routes are withdrawn, said in the log. Under the lock.
     */
    private void withdrawLearnedRoutesConfiguredElsewhere() {
        for (var entry : learned.entrySet()) {
            InetAddress peer = entry.getKey();
            List<IpPrefix> dropped = entry.getValue().stream().filter(route -> applied.values().stream()
                    .filter(other -> !other.spAddress().equals(peer))
                    .anyMatch(other -> other.remotePrefixes().stream().anyMatch(route::overlaps))).toList();
            if (!dropped.isEmpty()) {
                LOG.warn("learned routes {} via {} withdrawn: configured remote prefixes of another peer overlap them", dropped,
                        peer.getHostAddress());
                dropped.forEach(entry.getValue()::remove);
                applyRoutes(peer, PeerTranslation.ipIpRoutes(applied.get(peer), entry.getValue()));
            }
        }
    }

    private PeerTuple dynamicPeer(InetAddress peer) {
        PeerTuple tuple = applied.get(peer);
        if (tuple == null || !tuple.tunnel().dynamicRouting()) {
            throw new IllegalArgumentException("no dynamic-routing peer " + peer.getHostAddress() + " is configured");
        }
        return tuple;
    }

    /**
     * On the IKE thread, after any set-up already submitted for the peer: the routes for later child SAs and for
     * the installed ones. The latch opens when they are in force.
     */
    private java.util.concurrent.CountDownLatch applyRoutes(InetAddress peer, PeerTranslation.IpIpRoutes routes) {
        if (service == null) {
            throw new IllegalStateException("no IKE service attached");
        }
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        service.submit(e -> {
            if (ipIpRoutes.containsKey(peer)) {
                ipIpRoutes.put(peer, routes);
                installer.replaceIpIpRoutes(peer, routes.local(), routes.remote());
            }
            done.countDown();
            return List.of();
        });
        return done;
    }

    /** Waits (at most 2 s) so that the caller's route change is in force when it returns. */
    private static void await(java.util.concurrent.CountDownLatch done, InetAddress peer) {
        try {
            if (!done.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("route change for {} still queued after 2 s", peer.getHostAddress());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** IKE thread: stop supervising, delete the IKE SA (now or when it can), forget the peer. */
    private List<Outbound> remove(InetAddress peer, PeerTuple old, String reason) {
        ipIpRoutes.remove(peer);
        authenticationFailures.remove(peer);
        supervisor.removePeer(peer);
        engine.removePeer(peer);
        states.remove(peer);
        if (alarmed.remove(peer)) {
            notifications.accept(new AgentNotification.NegotiationAlarm(peer, old.ceId(), "cleared", 0, "peer removed"));
        }
        if (engine.establishedWith(peer) && engine.idleWith(peer)) {
            notifications.accept(new AgentNotification.TunnelDown(peer, old.ceId(), old.vpnId(), reason, "deleted by this CE"));
            return engine.deleteIkeSa(peer);
        }
        if (engine.hasIkeSaWith(peer)) {
            pendingDeletes.add(peer);
        }
        return List.of();
    }

    /** Called about once a second on the IKE thread: deletes postponed while an exchange was in flight. */
    public List<Outbound> housekeeping(IkeEngine e) {
        List<Outbound> out = new ArrayList<>();
        for (var it = pendingDeletes.iterator(); it.hasNext(); ) {
            InetAddress peer = it.next();
            if (!e.hasIkeSaWith(peer)) {
                it.remove();
            } else if (e.establishedWith(peer) && e.idleWith(peer)) {
                it.remove();
                out.addAll(e.deleteIkeSa(peer));
            }
        }
        return out;
    }

    /** The engine's events (the IkeService listener, IKE thread): SAD, operational state, notifications. */
    public void onEvent(IkeEvent event) {
        switch (event) {
            case IkeEvent.IkeSaUp up -> {
                authenticationFailures.remove(up.peer());
                update(up.peer(), s -> s.up(up.initiatorSpi(), up.responderSpi(), up.weInitiated(),
                    clock.instant()));
            }
            case IkeEvent.ChildSaUp up -> {
                // The tuple's child-sa lifetime and lifetime-octets as the SAD's hard limits, soft ones
                // (the rekey) at a jittered fraction of them; jitter is no secret, any generator does.
                TunnelPolicy policy = appliedPolicies.get(up.peer());
                org.cevpn.ipsec.esp.Lifetime lifetime = policy == null ? org.cevpn.ipsec.esp.Lifetime.UNLIMITED
                        : policy.childSaLifetime(java.util.concurrent.ThreadLocalRandom.current().nextDouble());
                if (up.child().transportMode()) {
                    PeerTranslation.IpIpRoutes routes = ipIpRoutes.get(up.peer());
                    if (routes == null) {
                        // Only a peer configured for transport mode gets such a child; this one is being removed.
                        LOG.warn("transport-mode child SA with {} that has no IP-in-IP routes: not installed", up.peer().getHostAddress());
                        return;
                    }
                    installer.installIpIp(up.child(), natT(up.peer()), routes.local(), routes.remote(), lifetime);
                } else {
                    installer.install(up.child(), natT(up.peer()), lifetime);
                }
                TunnelState s = states.get(up.peer());
                boolean first = s != null && s.children().isEmpty();
                update(up.peer(), st -> {
                    List<TunnelState.Child> c = new ArrayList<>(st.children());
                    c.add(new TunnelState.Child(up.child().inboundSpi(), up.child().outboundSpi(), clock.instant(),
                            up.child().transportMode() ? "transport-ip-in-ip" : "tunnel"));
                    return st.withChildren(c);
                });
                if (first) {
                    notifications.accept(new AgentNotification.TunnelUp(up.peer(), s.peerCeId(), s.vpnId(),
                            up.child().transportMode() ? "transport-ip-in-ip" : "tunnel"));
                    if (alarmed.remove(up.peer())) {
                        notifications.accept(new AgentNotification.NegotiationAlarm(up.peer(), s.peerCeId(), "cleared", 0,
                                "tunnel up"));
                    }
                }
            }
            case IkeEvent.ChildSaDown down -> {
                installer.remove(down.child(), natT(down.peer()));
                dropChild(down.peer(), down.child());
            }
            case IkeEvent.IkeSaDown down -> {
                down.children().forEach(c -> installer.remove(c, natT(down.peer())));
                if (engine.hasIkeSaWith(down.peer())) {
                    down.children().forEach(c -> dropChild(down.peer(), c));
                    return; // a rekey's old IKE SA or a duplicate: the tunnel is still up
                }
                TunnelState before = states.get(down.peer());
                if (before == null) {
                    return; // a removed peer: its tunnel-down was sent by remove()
                }
                int failures = supervisor.failures(down.peer());
                boolean wasUp = before.state().equals("established");
                String auth = authenticationFailures.remove(down.peer());
                String reason = auth != null ? "AUTHENTICATION_FAILED: " + auth : down.reason();
                update(down.peer(), s -> s.down(failures == 0 ? "idle" : alarmed.contains(down.peer()) ? "alarmed" : "backing-off",
                        failures, Optional.of(reason).filter(r -> !wasUp).or(s::lastError)));
                if (wasUp) {
                    notifications.accept(new AgentNotification.TunnelDown(down.peer(), before.peerCeId(), before.vpnId(),
                            reason.contains("delete") ? "peer-deleted" : "peer-unreachable", reason));
                }
                if (failures >= alarmThreshold && alarmed.add(down.peer())) {
                    update(down.peer(), s -> s.withState("alarmed"));
                    notifications.accept(new AgentNotification.NegotiationAlarm(down.peer(), before.peerCeId(), "major",
                            failures, Optional.ofNullable(states.get(down.peer())).flatMap(TunnelState::lastError).orElse(reason)));
                }
            }
            case IkeEvent.AuthenticationFailed f -> {
                authenticationFailures.put(f.peer(), f.reason());
                update(f.peer(), s -> s.withError("AUTHENTICATION_FAILED: " + f.reason()));
            }
            case IkeEvent.ExchangeFailed f -> update(f.peer(), s -> s.withError(f.reason()));
            case IkeEvent.UnknownPeer u -> LOG.info("IKE from unknown peer {}: {}", u.from(), u.reason());
            default -> { }
        }
    }

    private void dropChild(InetAddress peer, ChildSaResult child) {
        update(peer, s -> s.withChildren(s.children().stream().filter(c -> c.inboundSpi() != child.inboundSpi()).toList()));
    }

    private void update(InetAddress peer, java.util.function.UnaryOperator<TunnelState> f) {
        states.computeIfPresent(peer, (p, s) -> f.apply(s));
    }

    private InetSocketAddress natT(InetAddress peer) {
        return new InetSocketAddress(peer, translation.natTPort());
    }

    /** The tunnel state of every configured peer, for {@code get}. */
    public Map<InetAddress, TunnelState> states() {
        return Map.copyOf(states);
    }

    /** Peers the agent could not set up (unsupported settings), counted since start. */
    public long refusedPeers() {
        return refusedPeers.get();
    }

    /** The configuration version in effect (0 before any). */
    public long appliedVersion() {
        return appliedVersion;
    }
}

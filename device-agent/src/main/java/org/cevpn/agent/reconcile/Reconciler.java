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
public final class Reconciler {
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
            LOG.info("peer {} ({}) removed", peer.getHostAddress(), old.ceId());
            service.submit(e -> remove(peer, old, "peer-removed"));
        }
        for (PeerTuple tuple : desired.values()) {
            InetAddress peer = tuple.spAddress();
            PeerConfig peerConfig;
            TunnelPolicy policy;
            try {
                peerConfig = translation.peerConfig(config.ceId(), tuple);
                policy = PeerTranslation.policy(tuple, config.preConfiguration());
            } catch (ConfigurationException | IllegalArgumentException e) {
                // Counted and visible in the peer's last-error; an old tunnel for it does not outlive the change.
                refusedPeers.incrementAndGet();
                LOG.warn("peer {} not set up: {}", peer.getHostAddress(), e.getMessage());
                PeerTuple old = applied.remove(peer);
                appliedPolicies.remove(peer);
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
            service.submit(e -> {
                List<Outbound> out = old == null ? List.of() : remove(peer, old, "configuration-changed");
                engine.putPeer(peerConfig);
                supervisor.putPeer(peer, policy);
                states.put(peer, TunnelState.idle(peer, tuple.ceId(), tuple.vpnId()).withState(policy.permanent() ? "connecting" : "idle"));
                return out;
            });
        }
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

    /** IKE thread: stop supervising, delete the IKE SA (now or when it can), forget the peer. */
    private List<Outbound> remove(InetAddress peer, PeerTuple old, String reason) {
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
            case IkeEvent.IkeSaUp up -> update(up.peer(), s -> s.up(up.initiatorSpi(), up.responderSpi(), up.weInitiated(),
                    clock.instant()));
            case IkeEvent.ChildSaUp up -> {
                installer.install(up.child(), natT(up.peer()));
                TunnelState s = states.get(up.peer());
                boolean first = s != null && s.children().isEmpty();
                update(up.peer(), st -> {
                    List<TunnelState.Child> c = new ArrayList<>(st.children());
                    c.add(new TunnelState.Child(up.child().inboundSpi(), up.child().outboundSpi(), clock.instant()));
                    return st.withChildren(c);
                });
                if (first) {
                    notifications.accept(new AgentNotification.TunnelUp(up.peer(), s.peerCeId(), s.vpnId(), "tunnel"));
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
                String reason = down.reason();
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
            case IkeEvent.AuthenticationFailed f -> update(f.peer(), s -> s.withError("AUTHENTICATION_FAILED: " + f.reason()));
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

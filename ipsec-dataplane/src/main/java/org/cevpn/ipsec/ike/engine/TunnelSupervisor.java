package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.SaEvent;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.TransformType;
import org.cevpn.ipsec.ike.task.ChildSaResult;

/**
 * The engine's policy, per peer ({@link TunnelPolicy}): it starts permanent tunnels and keeps them
 * up, starts traffic-driven ones when the data plane reports a packet without SA and tears them
 * down when idle, retries failed negotiations with the draft's backoff and alarm, rekeys IKE and
 * child SAs before their lifetimes run out (or when the ESP layer says a child's soft limit is
 * reached), checks the liveness of silent peers and sends NAT keepalives. The engine does the
 * exchanges; this class only decides when. Same thread as the engine (the IKE thread); the clock
 * and the random source are injected so tests run on a fake clock.
 */
public final class TunnelSupervisor {
    private final IkeEngine engine;
    private final ChildSaTraffic traffic;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<InetAddress, PeerState> peers = new LinkedHashMap<>();
    private final List<IkeEvent> events = new ArrayList<>();
    /** Initiator SPIs of IKE SAs that reached ESTABLISHED: a down of any other is a failed negotiation. */
    private final Set<Long> established = new HashSet<>();

    /** What one tick wants sent: IKE datagrams and NAT keepalives (one 0xFF octet to UDP 4500 each). */
    public record Actions(List<Outbound> ike, List<InetSocketAddress> natKeepalives) {
        public Actions {
            ike = List.copyOf(ike);
            natKeepalives = List.copyOf(natKeepalives);
        }
    }

    private static final class PeerState {
        final TunnelPolicy policy;
        final RetryBackoff backoff;
        /** Traffic for a traffic-driven peer arrived and no tunnel is up yet. */
        boolean wanted;
        String lastFailure = "";
        Instant ikeRekeyAt;
        final Map<ChildSaResult, Instant> childRekeyAt = new HashMap<>();
        long lastPackets = -1;
        long lastInbound = -1;
        Instant lastTraffic;
        Instant lastInboundAt;
        Instant lastCheck = Instant.MIN;
        Instant lastKeepalive = Instant.MIN;

        PeerState(TunnelPolicy policy, Clock clock) {
            this.policy = policy;
            this.backoff = new RetryBackoff(policy, clock);
            this.wanted = policy.permanent();
        }
    }

    public TunnelSupervisor(IkeEngine engine, Map<InetAddress, TunnelPolicy> policies, ChildSaTraffic traffic,
                            Clock clock, RandomGenerator random) {
        this.engine = engine;
        this.traffic = traffic;
        this.clock = clock;
        this.random = random;
        for (Map.Entry<InetAddress, TunnelPolicy> e : policies.entrySet()) {
            peers.put(e.getKey(), new PeerState(e.getValue(), clock));
        }
    }

    // ---- peers at run time (the device agent's reconciler) ----

    /**
     * Starts supervising {@code peer} with {@code policy}, or replaces its policy: backoff and rekey
     * schedule start afresh. A permanent peer is initiated at the next tick.
     */
    public void putPeer(InetAddress peer, TunnelPolicy policy) {
        peers.put(peer, new PeerState(policy, clock));
    }

    /**
     * Stops supervising {@code peer}: no more initiations, retries, rekeys or alarms for it, and its
     * IKE SA going down is not a failure. The caller deletes the IKE SA itself.
     */
    public void removePeer(InetAddress peer) {
        peers.remove(peer);
    }

    /** The peers supervised now. */
    public java.util.Set<InetAddress> peers() {
        return java.util.Set.copyOf(peers.keySet());
    }

    // ---- inputs ----

    /** Every event the engine reports passes here first (the IKE thread does this). */
    public void onEvent(IkeEvent event) {
        Instant now = clock.instant();
        switch (event) {
            case IkeEvent.IkeSaUp up -> {
                established.add(up.initiatorSpi());
                state(up.peer()).ifPresent(p -> {
                    p.backoff.succeeded();
                    p.wanted = p.policy.permanent();
                    p.lastTraffic = now;
                    p.ikeRekeyAt = now.plus(p.policy.softLifetime(p.policy.ikeLifetime(), random.nextDouble()));
                });
            }
            case IkeEvent.ChildSaUp c -> state(c.peer()).ifPresent(p ->
                    p.childRekeyAt.put(c.child(), now.plus(p.policy.softLifetime(p.policy.childLifetime(), random.nextDouble()))));
            case IkeEvent.ChildSaDown c -> state(c.peer()).ifPresent(p -> p.childRekeyAt.remove(c.child()));
            case IkeEvent.ChildSaRekeyed r -> state(r.peer()).ifPresent(p -> p.childRekeyAt.remove(r.old()));
            case IkeEvent.IkeSaDown down -> {
                boolean wasUp = established.remove(down.initiatorSpi());
                state(down.peer()).ifPresent(p -> {
                    down.children().forEach(p.childRekeyAt::remove);
                    if (engine.hasIkeSaWith(down.peer())) {
                        return; // a rekey's old IKE SA or a duplicate went; the tunnel is still there
                    }
                    if (!wasUp || p.policy.permanent() && !down.reason().equals("deleted by us")) {
                        failed(down.peer(), p, down.reason());
                    }
                });
            }
            default -> { }
        }
    }

    /**
     * The data plane had a packet for {@code destination} and no SA (the ESP layer's "acquire"):
     * starts the traffic-driven tunnel to the peer whose remote traffic selectors cover it.
     */
    public void onTrafficWithoutSa(InetAddress destination) {
        for (Map.Entry<InetAddress, PeerState> e : peers.entrySet()) {
            if (e.getValue().policy.permanent()) {
                continue;
            }
            boolean covers = engine.childConfig(e.getKey()).map(c -> c.remote().stream()
                    .anyMatch(ts -> ts.containsAddress(destination))).orElse(false);
            if (covers) {
                e.getValue().wanted = true;
                return;
            }
        }
    }

    /**
     * The ESP layer's lifetime events for our child SAs (the SAD's listener, on the IKE thread): a
     * soft expiry (seconds or octets) rekeys the child at the next tick. A hard expiry means the SAD
     * has dropped that half already (the soft one's rekey did not make it in time, e.g. a burst of
     * traffic between the two limits): the child is rekeyed at once all the same, since the rekey
     * both makes its replacement and deletes it with the peer (RFC 7296 §1.3.3) — deleting it alone
     * would leave the IKE SA without a child and the tunnel without traffic.
     */
    public void onSaEvent(SaEvent event) {
        Instant now = clock.instant();
        for (PeerState p : peers.values()) {
            for (Map.Entry<ChildSaResult, Instant> c : p.childRekeyAt.entrySet()) {
                if (halfOf(c.getKey(), event)) {
                    c.setValue(now);
                }
            }
        }
    }

    private static boolean halfOf(ChildSaResult child, SaEvent event) {
        return switch (event) {
            case SaEvent.SoftExpired s -> (s.direction() == Direction.INBOUND ? child.inboundSpi() : child.outboundSpi()) == s.spi();
            case SaEvent.HardExpired h -> (h.direction() == Direction.INBOUND ? child.inboundSpi() : child.outboundSpi()) == h.spi();
        };
    }

    // ---- the timer ----

    /** Called about once a second: starts what is due. At most one exchange per peer per tick. */
    public Actions tick() {
        Instant now = clock.instant();
        List<Outbound> out = new ArrayList<>();
        List<InetSocketAddress> keepalives = new ArrayList<>();
        for (Map.Entry<InetAddress, PeerState> e : peers.entrySet()) {
            InetAddress peer = e.getKey();
            PeerState p = e.getValue();
            if (!engine.hasIkeSaWith(peer)) {
                if (p.wanted && p.backoff.mayAttempt()) {
                    p.wanted = p.policy.permanent();
                    out.addAll(engine.initiate(peer));
                }
                continue;
            }
            if (!engine.establishedWith(peer)) {
                continue;
            }
            observeTraffic(p, now);
            if (engine.idleWith(peer)) {
                out.addAll(due(peer, p, now));
            }
            Duration keepalive = p.policy.natKeepaliveInterval();
            if (!keepalive.isZero() && !now.isBefore(p.lastKeepalive.plus(keepalive))) {
                List<InetSocketAddress> targets = engine.natKeepaliveTargets().stream()
                        .filter(t -> t.getAddress().equals(peer)).toList();
                if (!targets.isEmpty()) {
                    keepalives.addAll(targets);
                    p.lastKeepalive = now;
                }
            }
        }
        return new Actions(out, keepalives);
    }

    private List<Outbound> due(InetAddress peer, PeerState p, Instant now) {
        for (Map.Entry<ChildSaResult, Instant> c : p.childRekeyAt.entrySet()) {
            if (!now.isBefore(c.getValue())) {
                ChildSaResult child = c.getKey();
                // Rekeyed at most once: the engine's ChildSaRekeyed / ChildSaDown drop it from the schedule;
                // a refused rekey is tried again after a retry interval.
                c.setValue(now.plus(p.policy.retryMinimum()));
                return engine.rekeyChildSa(peer, child, pfsGroup(peer, child));
            }
        }
        if (p.ikeRekeyAt != null && !now.isBefore(p.ikeRekeyAt)) {
            p.ikeRekeyAt = now.plus(p.policy.retryMinimum()); // replaced on the new IKE SA's IkeSaUp
            return engine.rekeyIkeSa(peer);
        }
        Duration liveness = p.policy.livenessInterval();
        if (!liveness.isZero()) {
            Instant heard = latest(engine.lastHeardFrom(peer).orElse(Instant.MIN), p.lastInboundAt, p.lastCheck);
            if (!now.isBefore(heard.plus(liveness))) {
                p.lastCheck = now;
                return engine.checkLiveness(peer); // silence: retransmissions give up and the IKE SA goes down
            }
        }
        if (!p.policy.permanent() && p.lastTraffic != null && !now.isBefore(p.lastTraffic.plus(p.policy.idleTimeout()))) {
            p.wanted = false;
            return engine.deleteIkeSa(peer);
        }
        return List.of();
    }

    private void observeTraffic(PeerState p, Instant now) {
        long inbound = 0;
        long total = 0;
        for (ChildSaResult c : p.childRekeyAt.keySet()) {
            long in = traffic.inboundPackets(c);
            inbound += in;
            total += in + traffic.outboundPackets(c);
        }
        if (total != p.lastPackets) {
            p.lastPackets = total;
            p.lastTraffic = now;
        }
        if (inbound != p.lastInbound) {
            p.lastInbound = inbound;
            p.lastInboundAt = now;
        }
    }

    private void failed(InetAddress peer, PeerState p, String reason) {
        p.lastFailure = reason;
        RetryBackoff.Verdict v = p.backoff.failed();
        if (v.raiseAlarm()) {
            events.add(new IkeEvent.Alarm(peer, p.backoff.failures(), reason));
        }
    }

    /**
     * The DH group of a rekey of {@code child}: the one its proposal names if it was negotiated with PFS, else the
     * group of a configured proposal for the same suite. A child set up in IKE_AUTH names none (no KE payload there,
     * RFC 7296 §1.2), yet the configured group is meant for exactly its rekeys — and a peer that requires PFS on
     * rekeys (strongSwan with {@code esp_proposals = aes256gcm16-ecp256}) refuses one without it. Like strongSwan,
     * the first configured group wins when some proposals have one and some do not.
     */
    private Optional<DhGroup> pfsGroup(InetAddress peer, ChildSaResult child) {
        Optional<DhGroup> negotiated = group(child.chosen());
        if (negotiated.isPresent()) {
            return negotiated;
        }
        List<org.cevpn.ipsec.ike.message.Transform> suite = child.chosen().transforms();
        return engine.childConfig(peer).stream().flatMap(c -> c.proposals().stream())
                .filter(p -> p.transforms().containsAll(suite))
                .map(TunnelSupervisor::group).flatMap(Optional::stream).findFirst();
    }

    private static Optional<DhGroup> group(Proposal p) {
        return p.transforms(TransformType.KEY_EXCHANGE).stream().findFirst()
                .flatMap(t -> DhGroup.of(t.id())).filter(g -> g != DhGroup.NONE);
    }

    private static Instant latest(Instant a, Instant b, Instant c) {
        Instant m = a;
        if (b != null && b.isAfter(m)) {
            m = b;
        }
        return c.isAfter(m) ? c : m;
    }

    private Optional<PeerState> state(InetAddress peer) {
        return Optional.ofNullable(peers.get(peer));
    }

    /** Failed negotiations with {@code peer} since its last success. */
    public int failures(InetAddress peer) {
        return state(peer).map(p -> p.backoff.failures()).orElse(0);
    }

    /** The supervisor's own events (alarms), oldest first. */
    public List<IkeEvent> drainEvents() {
        List<IkeEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }
}

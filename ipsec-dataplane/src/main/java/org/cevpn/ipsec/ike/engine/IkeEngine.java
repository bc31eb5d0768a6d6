package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.sa.HalfOpenSas;
import org.cevpn.ipsec.ike.sa.OutstandingRequest;
import org.cevpn.ipsec.ike.sa.ResponderWindow;
import org.cevpn.ipsec.ike.sk.FragmentReassembly;
import org.cevpn.ipsec.ike.sk.SkException;
import org.cevpn.ipsec.ike.sk.SkProtection;
import org.cevpn.ipsec.ike.task.ChildSaResult;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.task.Cookies;
import org.cevpn.ipsec.ike.task.CreateChildSaInitiator;
import org.cevpn.ipsec.ike.task.CreateChildSaResponder;
import org.cevpn.ipsec.ike.task.Endpoints;
import org.cevpn.ipsec.ike.task.IkeAuthInitiator;
import org.cevpn.ipsec.ike.task.IkeAuthResponder;
import org.cevpn.ipsec.ike.task.IkeInitInitiator;
import org.cevpn.ipsec.ike.task.IkeInitResponder;
import org.cevpn.ipsec.ike.task.IkeInitResult;
import org.cevpn.ipsec.ike.task.IkeSaKeying;
import org.cevpn.ipsec.ike.task.Informational;

/**
 * The IKEv2 engine of one CE: brings up IKE SAs with its peers (IKE_SA_INIT, IKE_AUTH with the
 * first child SA) as initiator or responder, and answers the peer's later requests
 * (CREATE_CHILD_SA for children and IKE SA rekeys, INFORMATIONAL deletes and liveness checks).
 * Lossy networks are survived by retransmitting our requests unchanged ({@link #tick}), answering
 * retransmitted requests from a cache (IKE_SA_INIT included) and dropping what falls outside the
 * message-id window. Datagrams in, datagrams out: sockets and timers belong to the caller.
 * Nothing a peer sends makes {@link #receive} throw: every refusal is answered per RFC 7296 or
 * counted in {@link #drops}.
 *
 * <p>Not thread-safe: one caller (the CE's IKE thread) drives it. With a {@link CryptoOffload#workers}
 * offload, IKE_SA_INIT's Diffie-Hellman runs on worker threads on inputs the engine handed over, and
 * the results are applied by that same caller through {@link #completions()}: the IKE SA's state
 * (marked {@code computing} meanwhile, so that retransmissions are dropped, not computed twice)
 * never leaves the engine's thread.
 */
public final class IkeEngine {
    private static final Duration HALF_OPEN_LIFETIME = Duration.ofSeconds(30);
    private static final int HALF_OPEN_CAPACITY = 10_000;
    private static final byte[] NON_ESP_MARKER = new byte[4];
    /** How often one unknown address is reported: a peer retransmitting must not flood the agent. */
    public static final Duration UNKNOWN_PEER_REPORT_INTERVAL = Duration.ofSeconds(30);
    private static final int UNKNOWN_PEER_MEMORY = 4096;

    private final EngineConfig config;
    private final SecureRandom random;
    private final Clock clock;
    private final Cookies cookies;
    private final HalfOpenSas halfOpen = new HalfOpenSas(HALF_OPEN_LIFETIME, HALF_OPEN_CAPACITY);
    private final Map<Long, Sa> byOurSpi = new HashMap<>();
    private final List<IkeEvent> events = new ArrayList<>();
    private final EnumMap<Drop, Long> drops = new EnumMap<>(Drop.class);
    private final Map<InetAddress, PeerConfig> peers = new HashMap<>();
    /** Child SPIs already taken in the data plane's SAD (ours are inbound SPIs, unique per CE). */
    private final IntPredicate childSpiInUse;
    /** When each peer last sent us an authentic IKE message (liveness needs no check while it talks). */
    private final Map<InetAddress, Instant> lastHeard = new HashMap<>();
    private final Map<InetAddress, Instant> unknownReported = new HashMap<>();
    private final CryptoOffload offload;
    /** Offloaded work that has finished, to be completed on the engine's thread ({@link #completions}). */
    private final java.util.concurrent.ConcurrentLinkedQueue<java.util.function.Supplier<List<Outbound>>> completed =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** IKE_SA_INIT requests (initiator SPI, source) being answered on a crypto worker. */
    private final java.util.Set<InitInProgress> initsInProgress = new java.util.HashSet<>();

    private record InitInProgress(long initiatorSpi, InetSocketAddress from) {
    }

    private enum State { INIT, AUTH, ESTABLISHED }

    /** An exchange we initiated on an established IKE SA. */
    private sealed interface Pending {
    }

    private record CreateChild(CreateChildSaInitiator task) implements Pending {
    }

    private record Liveness() implements Pending {
    }

    private record DeleteChild(ChildSaResult child) implements Pending {
    }

    private record DeleteIke() implements Pending {
    }

    /** The peer's rekey of this IKE SA, kept while ours is in flight (RFC 7296 §2.8.2). */
    private record PeerIkeRekey(org.cevpn.ipsec.ike.task.RekeyCollision.Exchange nonces, Sa created) {
    }

    /** The peer's rekey of one of our child SAs, kept while ours of the same child is in flight. */
    private record PeerRekey(org.cevpn.ipsec.ike.task.RekeyCollision.Exchange nonces, ChildSaResult created) {
    }

    /** One IKE SA as this engine keeps it. */
    private final class Sa {
        final InetAddress peerAddress;
        final PeerConfig peer;
        final org.cevpn.ipsec.ike.task.IkeAuthConfig auth;
        final boolean initiator;
        final Instant created;
        /** Where IKE_SA_INIT came from: the half-open table's key (the peer may move to 4500 later). */
        InetSocketAddress initFrom;
        long spiI;
        long spiR;
        InetSocketAddress remote;
        State state;
        IkeInitInitiator init;
        IkeInitResult initResult;
        IkeSaKeying keying;
        SkProtection sk;
        IkeAuthInitiator authTask;
        OutstandingRequest outstanding;
        ResponderWindow window;
        FragmentReassembly reassembly;
        /** On the NAT-T port (RFC 7296 §2.23): our datagrams carry the non-ESP marker. */
        boolean floated;
        /** Our rekey of this IKE SA is in flight. */
        boolean rekeyingIke;
        /** The peer's rekey of this IKE SA that crossed ours: its nonces and the IKE SA it made. */
        PeerIkeRekey peerIkeRekey;
        /** The child SA our rekey in flight replaces, if one is. */
        ChildSaResult ourRekeyOf;
        /** Rekeys of our children the peer made while ours of the same child was in flight. */
        final Map<ChildSaResult, PeerRekey> peerRekeys = new HashMap<>();
        /** Set by {@code open} when an authentic message's payloads do not decode. */
        IkeDecodeException lastInnerError;
        final List<ChildSaResult> children = new ArrayList<>();
        /** Made by IKE_SA_INIT (not by a rekey): a duplicate from simultaneous initiation is one of these. */
        boolean fromInitialExchange;
        /** Its IKE_SA_INIT work (key share, or the response's agreement) is on a crypto worker. */
        boolean computing;
        /** The exchange we started after IKE_AUTH and await the answer to (window size 1). */
        Pending pending;
        long nextRequestId;

        Sa(PeerConfig peer, boolean initiator, InetSocketAddress remote) {
            this.peerAddress = peer.address();
            this.peer = peer;
            this.auth = peer.auth();
            this.initiator = initiator;
            this.remote = remote;
            this.created = clock.instant();
        }

        long ourSpi() {
            return initiator ? spiI : spiR;
        }

    }

    public IkeEngine(EngineConfig config, SecureRandom random, Clock clock) {
        this(config, random, clock, spi -> false);
    }

    /**
     * @param childSpiInUse true for an ESP SPI the CE's SAD already holds (e.g. {@code spi -> sad.inbound(spi) != null}):
     *                      the engine never proposes one of those as a new child SA's inbound SPI
     */
    public IkeEngine(EngineConfig config, SecureRandom random, Clock clock, IntPredicate childSpiInUse) {
        this(config, random, clock, childSpiInUse, CryptoOffload.INLINE);
    }

    /**
     * @param offload where IKE_SA_INIT's Diffie-Hellman and key derivation run: {@link CryptoOffload#INLINE}
     *                on the caller's thread, or worker threads whose results the driver collects with
     *                {@link #completions()} when the offload's wakeup says so
     */
    public IkeEngine(EngineConfig config, SecureRandom random, Clock clock, IntPredicate childSpiInUse, CryptoOffload offload) {
        this.offload = offload;
        this.config = config;
        this.random = random;
        this.clock = clock;
        this.childSpiInUse = childSpiInUse;
        this.cookies = new Cookies(random);
        for (PeerConfig p : config.peers()) {
            peers.putIfAbsent(p.address(), p);
        }
    }

    /**
     * Adds or replaces a peer at run time (the device agent applies a new configuration). New IKE SAs
     * with it use {@code peer}; an IKE SA already up keeps what it was made with until re-established.
     */
    public void putPeer(PeerConfig peer) {
        peers.put(peer.address(), peer);
    }

    /**
     * Forgets a peer: from now on its IKE_SA_INIT is refused like any unknown sender's. IKE SAs that
     * are up stay until deleted ({@link #deleteIkeSa}): the caller deletes them first (draft §3.6).
     */
    public void removePeer(InetAddress address) {
        peers.remove(address);
    }

    private Optional<PeerConfig> peer(InetAddress address) {
        return Optional.ofNullable(peers.get(address));
    }

    /** What IKE_SA_INIT offers to and accepts from {@code peer}: its own proposals, else the engine's. */
    private org.cevpn.ipsec.ike.task.IkeInitConfig ikeFor(PeerConfig peer) {
        if (peer.ikeProposals().isEmpty()) {
            return config.ike();
        }
        return new org.cevpn.ipsec.ike.task.IkeInitConfig(peer.ikeProposals(), config.ike().fragmentation(), config.ike().signatureHashes());
    }

    /**
     * Why the IKE SA {@code sa} negotiated may not be kept now that its peer has authenticated, or
     * empty if it may. The suite came from the tuple of the address IKE_SA_INIT came from; checked
     * again against the peer's configuration as it is now (the agent may have replaced it since,
     * or removed the peer), so that an IKE SA never outlives a change of its peer's suite.
     */
    private Optional<String> suiteRefusal(Sa sa) {
        Optional<PeerConfig> now = peer(sa.peerAddress);
        if (now.isEmpty()) {
            return Optional.of(sa.peerAddress.getHostAddress() + " is no longer a configured peer");
        }
        org.cevpn.ipsec.ike.message.Proposal chosen = sa.initResult.chosen();
        // Proposal numbers are the initiator's: what must match is the suite, whichever number it had.
        boolean configured = ikeFor(now.get()).proposals().stream().anyMatch(offer -> org.cevpn.ipsec.ike.task.ProposalSelector.isValidChoice(
                new org.cevpn.ipsec.ike.message.Proposal(offer.number(), chosen.protocolId(), chosen.spi(), chosen.transforms()), List.of(offer)));
        if (!configured) {
            return Optional.of("negotiated IKE suite " + describe(chosen) + " is not the one configured for peer "
                    + sa.peerAddress.getHostAddress() + " (" + now.get().ikeProposals().stream().map(IkeEngine::describe).toList() + ")");
        }
        return Optional.empty();
    }

    /** A proposal's transforms by name, e.g. AES_GCM_16/256-HMAC_SHA2_256-ECP_256. */
    static String describe(org.cevpn.ipsec.ike.message.Proposal p) {
        return p.transforms().stream().map(t -> {
            String name = switch (org.cevpn.ipsec.ike.message.TransformType.of(t.type()).orElse(null)) {
                case ENCRYPTION -> org.cevpn.ipsec.ike.message.EncryptionAlgorithm.of(t.id()).map(Enum::name).orElse(null);
                case PRF -> org.cevpn.ipsec.ike.message.PseudorandomFunction.of(t.id()).map(Enum::name).orElse(null);
                case INTEGRITY -> org.cevpn.ipsec.ike.message.IntegrityAlgorithm.of(t.id()).map(Enum::name).orElse(null);
                case KEY_EXCHANGE -> org.cevpn.ipsec.ike.message.DhGroup.of(t.id()).map(Enum::name).orElse(null);
                case null, default -> null;
            };
            String base = name != null ? name : "transform " + t.type() + "/" + t.id();
            return t.keyLength().isPresent() ? base + "/" + t.keyLength().getAsInt() : base;
        }).collect(java.util.stream.Collectors.joining("-"));
    }

    /** Starts an IKE SA with a configured peer; the datagrams to send. */
    public List<Outbound> initiate(InetAddress peerAddress) {
        PeerConfig peer = peer(peerAddress)
                .orElseThrow(() -> new IllegalArgumentException(peerAddress + " is not a configured peer"));
        Sa sa = new Sa(peer, true, new InetSocketAddress(peerAddress, peer.ikePort()));
        sa.spiI = freshSpi();
        sa.state = State.INIT;
        sa.fromInitialExchange = true;
        org.cevpn.ipsec.ike.task.IkeInitConfig ike = ikeFor(peer);
        Endpoints endpoints = new Endpoints(local(config.ikePort()), sa.remote);
        long spi = sa.spiI;
        if (offload.inline()) {
            IkeInitInitiator task = new IkeInitInitiator(ike, endpoints, spi, random);
            byOurSpi.put(sa.spiI, sa);
            return initiated(sa, task);
        }
        byOurSpi.put(sa.spiI, sa);
        sa.computing = true;
        return offload(() -> {
            IkeInitInitiator task = new IkeInitInitiator(ike, endpoints, spi, random);
            task.request(); // the public value: the key generation happens here, off the engine thread
            return task;
        }, task -> {
            sa.computing = false;
            if (byOurSpi.get(sa.spiI) != sa) {
                return List.of(); // deleted while its key share was made
            }
            if (task == null) {
                down(sa, "IKE_SA_INIT could not be prepared");
                return drop(Drop.INTERNAL_ERROR);
            }
            return initiated(sa, task);
        });
    }

    private List<Outbound> initiated(Sa sa, IkeInitInitiator task) {
        sa.init = task;
        byte[] request = task.request();
        sa.outstanding = new OutstandingRequest(0, List.of(request), config.retransmit(), clock.instant());
        return List.of(new Outbound(request, sa.remote, false));
    }

    /**
     * Runs {@code work} per the {@link CryptoOffload} and {@code then} with its result (null if it
     * threw) on the engine's thread: at once when inline (its datagrams returned), else from
     * {@link #completions()} once a worker has finished (nothing returned now).
     */
    private <T> List<Outbound> offload(java.util.function.Supplier<T> work, java.util.function.Function<T, List<Outbound>> then) {
        if (offload.inline()) {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                result = null;
            }
            return then.apply(result);
        }
        offload.execute(() -> {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                result = null;
            }
            T done = result;
            completed.add(() -> then.apply(done));
            offload.wakeup();
        });
        return List.of();
    }

    /**
     * Finishes, on the engine's thread, the IKE_SA_INIT work crypto workers have completed
     * ({@link CryptoOffload#workers}); the datagrams to send. Nothing to do with an inline offload.
     */
    public List<Outbound> completions() {
        List<Outbound> out = new ArrayList<>();
        for (java.util.function.Supplier<List<Outbound>> c; (c = completed.poll()) != null; ) {
            try {
                out.addAll(c.get());
            } catch (RuntimeException e) {
                drop(Drop.INTERNAL_ERROR);
            }
        }
        return out;
    }

    /**
     * One received IKE message, as the data plane's classifier hands it over (IkeDatagram): the
     * octets after any non-ESP marker, the sender, and whether it came on the NAT-T port.
     */
    public List<Outbound> receive(byte[] message, InetSocketAddress from, boolean viaNatT) {
        try {
            DecodedMessage m;
            try {
                m = IkeDecoder.decode(message);
            } catch (IkeDecodeException e) {
                drop(Drop.MALFORMED);
                return initRequestError(message, e, from, viaNatT);
            }
            return dispatch(m, message, from, viaNatT);
        } catch (RuntimeException e) {
            return drop(Drop.INTERNAL_ERROR);
        }
    }

    /**
     * One received UDP payload on one of our ports: on the NAT-T port IKE follows a four-zero
     * marker (anything else there is ESP or a keepalive, not ours).
     */
    public List<Outbound> receiveUdp(byte[] udp, InetSocketAddress from, int localPort) {
        if (localPort != config.natTPort()) {
            return receive(udp, from, false);
        }
        if (udp.length < 4 || !Arrays.equals(Arrays.copyOf(udp, 4), NON_ESP_MARKER)) {
            return drop(Drop.MALFORMED);
        }
        return receive(Arrays.copyOfRange(udp, 4, udp.length), from, true);
    }

    private List<Outbound> dispatch(DecodedMessage m, byte[] raw, InetSocketAddress from, boolean onNatT) {
        IkeHeader h = m.header();
        if (h.exchangeType() == ExchangeType.IKE_SA_INIT.value() && !h.response()) {
            return initRequest(m, raw, from, onNatT);
        }
        // Our SPI is the initiator's if the sender says it is the responder, and the other way round.
        long ourSpi = h.initiator() ? h.responderSpi() : h.initiatorSpi();
        Sa sa = byOurSpi.get(ourSpi);
        if (sa == null || sa.initiator == h.initiator()) {
            return drop(Drop.UNKNOWN_SA);
        }
        if (h.exchangeType() == ExchangeType.IKE_SA_INIT.value()) {
            return initResponse(sa, m, raw);
        }
        return h.response() ? protectedResponse(sa, m, raw) : protectedRequest(sa, m, raw, from, onNatT);
    }

    // ---- IKE_SA_INIT ----

    /**
     * An IKE_SA_INIT request from a peer that we cannot decode gets the unprotected notify RFC 7296
     * §2.5 asks for (INVALID_MAJOR_VERSION, UNSUPPORTED_CRITICAL_PAYLOAD), so that a peer speaking
     * a newer version or extension learns why; everything else undecodable stays unanswered.
     */
    private List<Outbound> initRequestError(byte[] ike, IkeDecodeException e, InetSocketAddress from, boolean viaNatT) {
        if (e.notifyType().isEmpty() || ike.length < IkeHeader.LENGTH || peer(from.getAddress()).isEmpty()) {
            return List.of();
        }
        org.cevpn.ipsec.ike.message.NotifyType type = e.notifyType().get();
        boolean request = (ike[19] & 0x20) == 0;
        boolean noResponderSpi = Arrays.equals(Arrays.copyOfRange(ike, 8, 16), new byte[8]);
        if (ike[18] != (byte) ExchangeType.IKE_SA_INIT.value() || !request || !noResponderSpi
                || type == org.cevpn.ipsec.ike.message.NotifyType.INVALID_SYNTAX) {
            return List.of();
        }
        long spiI = 0;
        for (int i = 0; i < 8; i++) {
            spiI = spiI << 8 | ike[i] & 0xff;
        }
        IkeHeader h = new IkeHeader(spiI, 0, ExchangeType.IKE_SA_INIT, false, true, 0);
        byte[] answer = org.cevpn.ipsec.ike.message.IkeEncoder.encode(new org.cevpn.ipsec.ike.message.IkeMessage(h,
                List.of(Payload.Notify.of(type, e.notifyData()))));
        return List.of(new Outbound(answer, from, viaNatT));
    }

    private List<Outbound> initRequest(DecodedMessage m, byte[] raw, InetSocketAddress from, boolean onNatT) {
        Optional<PeerConfig> peer = peer(from.getAddress());
        if (peer.isEmpty()) {
            return unknownPeer(m, from, onNatT);
        }
        Instant now = clock.instant();
        Optional<byte[]> cached = halfOpen.retransmission(m.header().initiatorSpi(), from, raw, now);
        if (cached.isPresent()) {
            return List.of(new Outbound(cached.get(), from, onNatT));
        }
        InitInProgress inProgress = new InitInProgress(m.header().initiatorSpi(), from);
        if (initsInProgress.contains(inProgress)) {
            return drop(Drop.IN_PROGRESS); // the answer is being computed; it goes out when done
        }
        if (initsInProgress.size() >= HALF_OPEN_CAPACITY) {
            return drop(Drop.FULL);
        }
        long spi = freshSpi();
        boolean cookieRequired = halfOpen.count(now) + initsInProgress.size() >= config.cookieThreshold();
        // RFC 7296 §2.2: the responder chooses from what it accepts. The peer is only proven by its
        // ID in IKE_AUTH, but the tuple for this source address is the one it must match there, so
        // that tuple's IKE suite is what this address may negotiate.
        IkeInitResponder task = new IkeInitResponder(ikeFor(peer.get()), new Endpoints(local(config.ikePort()), from), random, cookies);
        Optional<Payload.CertificateRequest> certReq = peer.get().auth().peer()
                instanceof org.cevpn.ipsec.ike.task.Credentials.PeerCertificate pc
                ? Optional.of(new Payload.CertificateRequest(org.cevpn.ipsec.ike.message.CertEncoding.X509_SIGNATURE.value(),
                        org.cevpn.ipsec.ike.message.Octets.copyOf(pc.validator().authorityHashes())))
                : Optional.empty();
        initsInProgress.add(inProgress);
        return offload(() -> task.onRequest(m, raw, cookieRequired, spi, certReq), outcome -> {
            initsInProgress.remove(inProgress);
            return initAnswered(outcome, m, raw, from, onNatT, peer.get(), spi);
        });
    }

    private List<Outbound> initAnswered(IkeInitResponder.Outcome outcome, DecodedMessage m, byte[] raw, InetSocketAddress from,
                                        boolean onNatT, PeerConfig peer, long spi) {
        Instant now = clock.instant();
        if (outcome == null || byOurSpi.containsKey(spi)) {
            return drop(Drop.INTERNAL_ERROR);
        }
        return switch (outcome) {
            case IkeInitResponder.Outcome.Refused r -> List.of(new Outbound(r.response(), from, onNatT));
            case IkeInitResponder.Outcome.Dropped d -> drop(Drop.UNEXPECTED);
            case IkeInitResponder.Outcome.Established e -> {
                if (!halfOpen.created(m.header().initiatorSpi(), from, raw, e.response(), spi, now)) {
                    yield drop(Drop.FULL);
                }
                Sa sa = new Sa(peer, false, from);
                sa.spiI = m.header().initiatorSpi();
                sa.spiR = spi;
                sa.state = State.AUTH;
                sa.fromInitialExchange = true;
                sa.initResult = e.result();
                sa.keying = IkeSaKeying.of(e.result(), false);
                sa.sk = SkProtection.of(e.result().chosen(), e.result().keys(), false, random);
                sa.window = new ResponderWindow(1);
                sa.initFrom = from;
                byOurSpi.put(spi, sa);
                sa.floated = onNatT;
                yield List.of(new Outbound(e.response(), from, onNatT));
            }
        };
    }

    /**
     * An IKE_SA_INIT from an address that is not a configured peer: no state is kept (a flood of
     * these must cost nothing), the initiator gets the unprotected NO_PROPOSAL_CHOSEN that RFC 7296
     * §2.21.1 gives a responder that will not negotiate (strongSwan answers the same when no IKE
     * config matches), and the agent learns of it (draft §3.5: maybe a new site; time to pull).
     */
    private List<Outbound> unknownPeer(DecodedMessage m, InetSocketAddress from, boolean onNatT) {
        drop(Drop.UNKNOWN_PEER);
        Instant now = clock.instant();
        Instant last = unknownReported.get(from.getAddress());
        if (last == null || !now.isBefore(last.plus(UNKNOWN_PEER_REPORT_INTERVAL))) {
            if (unknownReported.size() >= UNKNOWN_PEER_MEMORY) {
                unknownReported.values().removeIf(t -> !now.isBefore(t.plus(UNKNOWN_PEER_REPORT_INTERVAL)));
            }
            if (unknownReported.size() < UNKNOWN_PEER_MEMORY) {
                unknownReported.put(from.getAddress(), now);
                events.add(new IkeEvent.UnknownPeer(from, "IKE_SA_INIT from an address that is not a configured peer"));
            }
        }
        if (m.header().responderSpi() != 0) {
            return List.of();
        }
        IkeHeader h = new IkeHeader(m.header().initiatorSpi(), 0, ExchangeType.IKE_SA_INIT, false, true, m.header().messageId());
        byte[] answer = org.cevpn.ipsec.ike.message.IkeEncoder.encode(new org.cevpn.ipsec.ike.message.IkeMessage(h,
                List.of(Payload.Notify.of(org.cevpn.ipsec.ike.message.NotifyType.NO_PROPOSAL_CHOSEN))));
        return List.of(new Outbound(answer, from, onNatT));
    }

    private List<Outbound> initResponse(Sa sa, DecodedMessage m, byte[] raw) {
        if (sa.computing) {
            return drop(Drop.IN_PROGRESS); // a duplicate of the response being worked on
        }
        if (sa.state != State.INIT || sa.outstanding == null || !sa.outstanding.answeredBy(m.header().messageId())) {
            return drop(Drop.OUT_OF_WINDOW);
        }
        sa.computing = true;
        IkeInitInitiator task = sa.init;
        return offload(() -> task.onResponse(m, raw), outcome -> {
            sa.computing = false;
            if (byOurSpi.get(sa.spiI) != sa) {
                return List.of(); // given up on or deleted meanwhile
            }
            if (outcome == null) {
                down(sa, "IKE_SA_INIT response could not be processed");
                return drop(Drop.INTERNAL_ERROR);
            }
            return initResponded(sa, outcome);
        });
    }

    private List<Outbound> initResponded(Sa sa, IkeInitInitiator.Outcome outcome) {
        return switch (outcome) {
            case IkeInitInitiator.Outcome.Retry r -> {
                sa.outstanding = new OutstandingRequest(0, List.of(r.request()), config.retransmit(), clock.instant());
                yield List.of(new Outbound(r.request(), sa.remote, false));
            }
            case IkeInitInitiator.Outcome.Failed f -> {
                down(sa, "IKE_SA_INIT failed: " + f.reason());
                yield List.of();
            }
            case IkeInitInitiator.Outcome.Established e -> {
                IkeInitResult r = e.result();
                sa.initResult = r;
                sa.spiR = r.responderSpi();
                sa.keying = IkeSaKeying.of(r, true);
                sa.sk = SkProtection.of(r.chosen(), r.keys(), true, random);
                if (r.natDetected()) {
                    // RFC 7296 §2.23: after NAT detection everything moves to port 4500.
                    sa.remote = new InetSocketAddress(sa.remote.getAddress(), sa.peer.natTPort());
                    sa.floated = true;
                }
                // INITIAL_CONTACT only when this is our only IKE SA with the peer: in a simultaneous
                // initiation the other one exists by now, and neither side must wipe the other's.
                boolean alone = byOurSpi.values().stream().noneMatch(o -> o != sa && o.peerAddress.equals(sa.peerAddress));
                var a = sa.auth;
                sa.authTask = new IkeAuthInitiator(r, new org.cevpn.ipsec.ike.task.IkeAuthConfig(a.local(), a.own(), a.remote(),
                        a.peer(), a.initialContact() && alone, a.child()), freshChildSpi(), random);
                sa.state = State.AUTH;
                sa.window = new ResponderWindow(0);
                List<byte[]> datagrams = seal(sa, ExchangeType.IKE_AUTH, 1, false, sa.authTask.request());
                sa.outstanding = new OutstandingRequest(1, datagrams, config.retransmit(), clock.instant());
                yield outbound(sa, datagrams, sa.remote);
            }
        };
    }

    // ---- protected exchanges ----

    private List<Outbound> protectedResponse(Sa sa, DecodedMessage m, byte[] raw) {
        long id = m.header().messageId();
        if (sa.outstanding == null || !sa.outstanding.answeredBy(id)) {
            return drop(Drop.OUT_OF_WINDOW);
        }
        Optional<List<Payload>> inner = open(sa, m, raw, id);
        if (inner.isEmpty()) {
            return List.of();
        }
        sa.outstanding = null;
        lastHeard.put(sa.peerAddress, clock.instant());
        if (sa.state == State.AUTH && sa.initiator) {
            switch (sa.authTask.onResponse(inner.get())) {
                case IkeAuthInitiator.Outcome.Established e -> {
                    established(sa);
                    sa.children.add(e.child());
                    events.add(new IkeEvent.ChildSaUp(sa.peerAddress, e.child()));
                    return settleDuplicates(sa);
                }
                case IkeAuthInitiator.Outcome.EstablishedWithoutChild w -> {
                    established(sa);
                    return settleDuplicates(sa);
                }
                case IkeAuthInitiator.Outcome.Failed f -> {
                    if (f.peerError().isEmpty()
                            || f.peerError().get() == org.cevpn.ipsec.ike.message.NotifyType.AUTHENTICATION_FAILED) {
                        events.add(new IkeEvent.AuthenticationFailed(sa.peerAddress, f.reason()));
                    }
                    down(sa, "IKE_AUTH failed: " + f.reason());
                    if (f.peerError().isEmpty()) {
                        // The responder's AUTH did not verify: tell it in a separate INFORMATIONAL
                        // (RFC 7296 §2.21.2), sent once, since the IKE SA is gone on our side.
                        List<byte[]> notice = seal(sa, ExchangeType.INFORMATIONAL, 2, false,
                                List.of(Payload.Notify.of(org.cevpn.ipsec.ike.message.NotifyType.AUTHENTICATION_FAILED)));
                        return outbound(sa, notice, sa.remote);
                    }
                }
            }
            return List.of();
        }
        Pending pending = sa.pending;
        sa.pending = null;
        return switch (pending) {
            case null -> drop(Drop.UNEXPECTED);
            case Liveness l -> {
                events.add(new IkeEvent.PeerAlive(sa.peerAddress));
                yield List.of();
            }
            case DeleteChild d -> {
                sa.children.remove(d.child());
                events.add(new IkeEvent.ChildSaDown(sa.peerAddress, d.child()));
                yield List.of();
            }
            case DeleteIke d -> {
                down(sa, "deleted by us");
                yield List.of();
            }
            case CreateChild c -> switch (c.task().onResponse(inner.get())) {
                case CreateChildSaInitiator.Outcome.Retry r -> start(sa, new CreateChild(c.task()), ExchangeType.CREATE_CHILD_SA, r.request());
                case CreateChildSaInitiator.Outcome.Failed f -> {
                    events.add(new IkeEvent.ExchangeFailed(sa.peerAddress, "CREATE_CHILD_SA: " + f.reason()));
                    yield List.of();
                }
                case CreateChildSaInitiator.Outcome.ChildCreated created -> {
                    sa.ourRekeyOf = null;
                    sa.children.add(created.child());
                    events.add(new IkeEvent.ChildSaUp(sa.peerAddress, created.child()));
                    if (created.replaces().isEmpty()) {
                        yield List.of();
                    }
                    ChildSaResult old = created.replaces().get();
                    events.add(new IkeEvent.ChildSaRekeyed(sa.peerAddress, old, created.child()));
                    PeerRekey theirs = sa.peerRekeys.remove(old);
                    if (theirs != null && org.cevpn.ipsec.ike.task.RekeyCollision.oursIsRedundant(created.nonces(), theirs.nonces())) {
                        // Simultaneous rekey, and ours lost (RFC 7296 §2.8.1): we delete what we made; the
                        // peer, whose rekey won, deletes the old child SA.
                        yield start(sa, new DeleteChild(created.child()), ExchangeType.INFORMATIONAL,
                                Informational.deleteChildSas(List.of(created.child().inboundSpi())));
                    }
                    // The rekey's initiator (or the collision's winner) deletes the old child SA (§1.3.3).
                    yield start(sa, new DeleteChild(old), ExchangeType.INFORMATIONAL,
                            Informational.deleteChildSas(List.of(old.inboundSpi())));
                }
                case CreateChildSaInitiator.Outcome.IkeRekeyed k -> {
                    sa.rekeyingIke = false;
                    Sa ours = rekeyed(sa, k.replacement());
                    PeerIkeRekey theirs = sa.peerIkeRekey;
                    sa.peerIkeRekey = null;
                    if (theirs != null) {
                        // Both rekeyed this IKE SA at once (RFC 7296 §2.8.2): the new IKE SA from the
                        // exchange with the lowest nonce is redundant and its initiator deletes it; the
                        // child SAs belong on the survivor.
                        if (org.cevpn.ipsec.ike.task.RekeyCollision.oursIsRedundant(k.nonces(), theirs.nonces())) {
                            theirs.created().children.addAll(ours.children);
                            ours.children.clear();
                            yield start(ours, new DeleteIke(), ExchangeType.INFORMATIONAL, Informational.deleteIkeSa());
                        }
                        ours.children.addAll(theirs.created().children);
                        theirs.created().children.clear();
                    }
                    // The old IKE SA goes (RFC 7296 §1.3.2): its children now live on the new one.
                    yield start(sa, new DeleteIke(), ExchangeType.INFORMATIONAL, Informational.deleteIkeSa());
                }
            };
        };
    }

    // ---- exchanges we start on an established IKE SA ----

    /** Rekeys a child SA we hold with {@code peer}, with PFS in {@code group} if present. */
    public List<Outbound> rekeyChildSa(InetAddress peer, ChildSaResult child, Optional<DhGroup> pfs) {
        Sa sa = idle(peer);
        CreateChildSaInitiator task = CreateChildSaInitiator.rekeyChild(sa.keying, child, sa.auth.child(), pfs, freshChildSpi(), random);
        sa.ourRekeyOf = child;
        return start(sa, new CreateChild(task), ExchangeType.CREATE_CHILD_SA, task.request());
    }

    /** Rekeys the IKE SA with {@code peer} (new SPIs and keys; child SAs move over). */
    public List<Outbound> rekeyIkeSa(InetAddress peer) {
        Sa sa = idle(peer);
        CreateChildSaInitiator task = CreateChildSaInitiator.rekeyIke(sa.keying, ikeFor(sa.peer).proposals(), freshSpi(), random);
        sa.rekeyingIke = true;
        return start(sa, new CreateChild(task), ExchangeType.CREATE_CHILD_SA, task.request());
    }

    /** Deletes one child SA with {@code peer}. */
    public List<Outbound> deleteChildSa(InetAddress peer, ChildSaResult child) {
        Sa sa = idle(peer);
        return start(sa, new DeleteChild(child), ExchangeType.INFORMATIONAL, Informational.deleteChildSas(List.of(child.inboundSpi())));
    }

    /** Deletes the IKE SA with {@code peer} and, with it, its child SAs. */
    public List<Outbound> deleteIkeSa(InetAddress peer) {
        return start(idle(peer), new DeleteIke(), ExchangeType.INFORMATIONAL, Informational.deleteIkeSa());
    }

    /** An empty INFORMATIONAL: a {@link IkeEvent.PeerAlive} follows the answer, an IkeSaDown the silence. */
    public List<Outbound> checkLiveness(InetAddress peer) {
        return start(idle(peer), new Liveness(), ExchangeType.INFORMATIONAL, Informational.liveness());
    }

    /** The child SAs we hold with {@code peer}, over all its IKE SAs. */
    public List<ChildSaResult> childSas(InetAddress peer) {
        return byOurSpi.values().stream().filter(sa -> sa.peerAddress.equals(peer))
                .flatMap(sa -> sa.children.stream()).toList();
    }

    /** True if an established IKE SA with {@code peer} can start an exchange now (none in flight). */
    public boolean idleWith(InetAddress peer) {
        return byOurSpi.values().stream().anyMatch(sa -> sa.peerAddress.equals(peer) && sa.state == State.ESTABLISHED
                && sa.outstanding == null);
    }

    private Sa idle(InetAddress peer) {
        return byOurSpi.values().stream()
                .filter(sa -> sa.peerAddress.equals(peer) && sa.state == State.ESTABLISHED && sa.outstanding == null)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no idle established IKE SA with " + peer));
    }

    private List<Outbound> start(Sa sa, Pending pending, ExchangeType type, List<Payload> request) {
        long id = sa.nextRequestId;
        sa.nextRequestId = (id + 1) & 0xffff_ffffL;
        List<byte[]> datagrams = seal(sa, type, id, false, request);
        sa.pending = pending;
        sa.outstanding = new OutstandingRequest(id, datagrams, config.retransmit(), clock.instant());
        return outbound(sa, datagrams, sa.remote);
    }

    private List<Outbound> protectedRequest(Sa sa, DecodedMessage m, byte[] raw, InetSocketAddress from, boolean onNatT) {
        long id = m.header().messageId();
        switch (sa.window.onRequest(id)) {
            case ResponderWindow.Verdict.Drop d -> {
                return drop(Drop.OUT_OF_WINDOW);
            }
            case ResponderWindow.Verdict.Resend r -> {
                return outbound(sa, r.datagrams(), from);
            }
            case ResponderWindow.Verdict.Process p -> {
                // go on below
            }
        }
        sa.lastInnerError = null;
        Optional<List<Payload>> inner = open(sa, m, raw, id);
        if (inner.isEmpty()) {
            if (sa.lastInnerError == null) {
                return List.of(); // dropped (forged) or waiting for more fragments
            }
            // RFC 7296 §2.21.2: an authentic request with a syntax error is answered with the notify
            // (INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD); during IKE_AUTH the IKE SA is then gone.
            IkeDecodeException e = sa.lastInnerError;
            List<Payload> error = List.of(Payload.Notify.of(
                    e.notifyType().orElse(org.cevpn.ipsec.ike.message.NotifyType.INVALID_SYNTAX), e.notifyData()));
            List<byte[]> datagrams = seal(sa, ExchangeType.of(m.header().exchangeType()).orElse(ExchangeType.INFORMATIONAL),
                    id, true, error);
            sa.window.answered(id, datagrams);
            if (sa.state == State.AUTH) {
                down(sa, "IKE_AUTH request did not decode: " + e.getMessage());
            }
            return outbound(sa, datagrams, from);
        }
        // An authentic request: answer where it came from, and follow the peer to port 4500.
        lastHeard.put(sa.peerAddress, clock.instant());
        sa.remote = from;
        sa.floated |= onNatT;
        int type = m.header().exchangeType();
        List<Payload> response;
        Runnable after = () -> { };
        List<Outbound> extra = new ArrayList<>();
        if (type == ExchangeType.IKE_AUTH.value() && !sa.initiator && sa.state == State.AUTH) {
            IkeAuthResponder.Outcome o = new IkeAuthResponder(sa.initResult, sa.auth, random).onRequest(inner.get(), freshChildSpi());
            Optional<String> suiteRefused = o instanceof IkeAuthResponder.Outcome.Established ? suiteRefusal(sa) : Optional.empty();
            if (suiteRefused.isPresent()) {
                // The peer authenticated, but not for the suite it negotiated: the IKE SA is not created.
                // RFC 7296 §2.21.2 allows only AUTHENTICATION_FAILED (besides INVALID_SYNTAX and
                // UNSUPPORTED_CRITICAL_PAYLOAD) to say so in IKE_AUTH; NO_PROPOSAL_CHOSEN there is about
                // the child SA and leaves the IKE SA up.
                String reason = suiteRefused.get();
                o = new IkeAuthResponder.Outcome.Refused(List.of(Payload.Notify.of(org.cevpn.ipsec.ike.message.NotifyType.AUTHENTICATION_FAILED)),
                        org.cevpn.ipsec.ike.message.NotifyType.AUTHENTICATION_FAILED, reason);
            }
            switch (o) {
                case IkeAuthResponder.Outcome.Established e -> {
                    response = e.response();
                    after = () -> {
                        halfOpen.completed(sa.spiI, sa.initFrom);
                        if (e.peerInitialContact()) {
                            // RFC 7296 §2.4: the peer restarted; SAs it had with us before are gone.
                            for (Sa other : new ArrayList<>(byOurSpi.values())) {
                                if (other != sa && other.peerAddress.equals(sa.peerAddress) && other.state == State.ESTABLISHED) {
                                    down(other, "INITIAL_CONTACT from the peer");
                                }
                            }
                        }
                        established(sa);
                        e.child().ifPresent(c -> {
                            sa.children.add(c);
                            events.add(new IkeEvent.ChildSaUp(sa.peerAddress, c));
                        });
                        extra.addAll(settleDuplicates(sa));
                    };
                }
                case IkeAuthResponder.Outcome.Refused r -> {
                    response = r.response();
                    after = () -> {
                        if (r.error() == org.cevpn.ipsec.ike.message.NotifyType.AUTHENTICATION_FAILED) {
                            events.add(new IkeEvent.AuthenticationFailed(sa.peerAddress, r.reason()));
                        }
                        down(sa, "IKE_AUTH refused: " + r.reason());
                    };
                }
            }
        } else if (type == ExchangeType.CREATE_CHILD_SA.value() && sa.state == State.ESTABLISHED) {
            CreateChildSaResponder task = new CreateChildSaResponder(sa.keying, sa.auth.child(), ikeFor(sa.peer).proposals(), random);
            switch (task.onRequest(inner.get(), spi -> sa.children.stream().filter(c -> c.outboundSpi() == spi).findFirst(),
                    freshChildSpi(), freshSpi())) {
                case CreateChildSaResponder.Outcome.ChildCreated c -> {
                    response = c.response();
                    after = () -> {
                        sa.children.add(c.child());
                        events.add(new IkeEvent.ChildSaUp(sa.peerAddress, c.child()));
                        c.replaces().ifPresent(old -> events.add(new IkeEvent.ChildSaRekeyed(sa.peerAddress, old, c.child())));
                        // Our own rekey of the same child is in flight: settle when its answer comes.
                        c.replaces().filter(old -> old.equals(sa.ourRekeyOf))
                                .ifPresent(old -> sa.peerRekeys.put(old, new PeerRekey(c.nonces(), c.child())));
                    };
                }
                case CreateChildSaResponder.Outcome.IkeRekeyed k -> {
                    response = k.response();
                    after = () -> {
                        Sa created = rekeyed(sa, k.replacement());
                        if (sa.rekeyingIke) {
                            // Ours of the same IKE SA is in flight: settle when its answer comes.
                            sa.peerIkeRekey = new PeerIkeRekey(k.nonces(), created);
                        }
                    };
                }
                case CreateChildSaResponder.Outcome.Refused r -> response = r.response();
            }
        } else if (type == ExchangeType.INFORMATIONAL.value() && sa.state != State.INIT) {
            Informational.Answer a = Informational.respond(inner.get(),
                    spi -> sa.children.stream().filter(c -> c.outboundSpi() == spi).findFirst());
            response = a.response();
            after = () -> {
                if (a.errors().contains(org.cevpn.ipsec.ike.message.NotifyType.AUTHENTICATION_FAILED)) {
                    events.add(new IkeEvent.AuthenticationFailed(sa.peerAddress, "the peer refused our AUTH"));
                    down(sa, "the peer refused our AUTH");
                    return;
                }
                sa.children.removeAll(a.deletedChildren());
                a.deletedChildren().forEach(c -> events.add(new IkeEvent.ChildSaDown(sa.peerAddress, c)));
                if (a.deleteIkeSa()) {
                    down(sa, "deleted by the peer");
                }
            };
        } else {
            return drop(Drop.UNEXPECTED);
        }
        List<byte[]> datagrams = seal(sa, ExchangeType.of(type).orElseThrow(), id, true, response);
        sa.window.answered(id, datagrams);
        after.run();
        List<Outbound> out = outbound(sa, datagrams, from);
        if (extra.isEmpty()) {
            return out;
        }
        List<Outbound> all = new ArrayList<>(out);
        all.addAll(extra);
        return all;
    }

    /** Opens SK, or collects SKF fragments; empty while fragments are missing or after a drop. */
    private Optional<List<Payload>> open(Sa sa, DecodedMessage m, byte[] raw, long messageId) {
        try {
            if (m.payloads().isEmpty() || m.encryptedOffset() < 0) {
                drop(Drop.UNEXPECTED); // an unprotected message after IKE_SA_INIT
                return Optional.empty();
            }
            if (m.payloads().getLast() instanceof Payload.EncryptedFragment) {
                SkProtection.OpenedFragment f = sa.sk.openFragment(m, raw);
                if (sa.reassembly == null || sa.reassembly.messageId() != messageId) {
                    sa.reassembly = new FragmentReassembly(messageId);
                }
                Optional<List<Payload>> done = sa.reassembly.offer(f);
                if (done.isPresent()) {
                    sa.reassembly = null;
                }
                return done;
            }
            return Optional.of(sa.sk.open(m, raw));
        } catch (SkException e) {
            drop(Drop.INTEGRITY);
            return Optional.empty();
        } catch (IkeDecodeException e) {
            // Authentic but malformed inside: the caller answers with the decoder's notify.
            drop(Drop.MALFORMED);
            sa.lastInnerError = e;
            return Optional.empty();
        }
    }

    private List<byte[]> seal(Sa sa, ExchangeType type, long messageId, boolean response, List<Payload> inner) {
        IkeHeader h = new IkeHeader(sa.keying.initiatorSpi(), sa.keying.responderSpi(), type, sa.keying.weInitiated(),
                response, messageId);
        byte[] whole = sa.sk.seal(h, inner);
        int limit = config.maxDatagram() - (sa.floated ? 4 : 0);
        if (whole.length <= limit || !sa.initResult.peerSupportsFragmentation()) {
            return List.of(whole);
        }
        return sa.sk.sealFragments(h, inner, limit);
    }

    private List<Outbound> outbound(Sa sa, List<byte[]> messages, InetSocketAddress to) {
        List<Outbound> out = new ArrayList<>(messages.size());
        for (byte[] m : messages) {
            out.add(new Outbound(m, to, sa.floated));
        }
        return out;
    }

    // ---- time ----

    /** Retransmits due requests, gives up on silent peers, forgets stale half-open SAs. */
    public List<Outbound> tick() {
        List<Outbound> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Iterator<Sa> it = new ArrayList<>(byOurSpi.values()).iterator(); it.hasNext(); ) {
            Sa sa = it.next();
            if (sa.outstanding != null) {
                switch (sa.outstanding.poll(now)) {
                    case OutstandingRequest.Due.Resend r -> out.addAll(outbound(sa, r.datagrams(), sa.remote));
                    case OutstandingRequest.Due.GiveUp g -> down(sa, "no answer after " + g.transmissions() + " transmissions");
                    case OutstandingRequest.Due.Wait w -> { }
                }
            } else if (!sa.initiator && sa.state == State.AUTH && !now.isBefore(sa.created.plus(HALF_OPEN_LIFETIME))) {
                down(sa, "no IKE_AUTH within " + HALF_OPEN_LIFETIME.toSeconds() + " s");
            }
        }
        return out;
    }

    // ---- state changes ----

    /**
     * Simultaneous initiation (both CEs have a permanent tunnel to each other and start at once)
     * leaves two IKE SAs, each with its child SA pair. Both sides must keep the same one, so the
     * verdict depends only on what both know: as in the rekey collision rule (RFC 7296 §2.8.1,
     * which strongSwan also applies here), the IKE SA whose IKE_SA_INIT carried the lowest of the
     * four nonces is redundant, and the peer that initiated it deletes it (its children with it).
     * Called whenever an IKE SA from IKE_SA_INIT becomes established; the other side reaches the
     * same verdict when its second IKE SA is up.
     */
    private List<Outbound> settleDuplicates(Sa up) {
        if (!up.fromInitialExchange) {
            return List.of();
        }
        for (Sa other : new ArrayList<>(byOurSpi.values())) {
            if (other == up || !other.fromInitialExchange || other.state != State.ESTABLISHED
                    || !other.peerAddress.equals(up.peerAddress) || other.initiator == up.initiator) {
                continue;
            }
            Sa redundant = org.cevpn.ipsec.ike.task.RekeyCollision.oursIsRedundant(nonces(up), nonces(other)) ? up : other;
            Sa survivor = redundant == up ? other : up;
            // Both now count as settled: a later IKE SA with this peer (e.g. after a restart) is no duplicate of these.
            redundant.fromInitialExchange = false;
            survivor.fromInitialExchange = false;
            if (redundant.initiator && redundant.outstanding == null) {
                return start(redundant, new DeleteIke(), ExchangeType.INFORMATIONAL, Informational.deleteIkeSa());
            }
            return List.of(); // the peer initiated the redundant one and deletes it
        }
        return List.of();
    }

    private static org.cevpn.ipsec.ike.task.RekeyCollision.Exchange nonces(Sa sa) {
        return new org.cevpn.ipsec.ike.task.RekeyCollision.Exchange(sa.initResult.initiatorNonce().toByteArray(),
                sa.initResult.responderNonce().toByteArray());
    }

    private void established(Sa sa) {
        sa.state = State.ESTABLISHED;
        sa.nextRequestId = sa.initiator ? 2 : 0;
        events.add(new IkeEvent.IkeSaUp(sa.peerAddress, sa.spiI, sa.spiR, sa.initiator));
    }

    private Sa rekeyed(Sa old, IkeSaKeying replacement) {
        // The new IKE SA's initiator is whoever started the rekey (RFC 7296 §2.18).
        Sa sa = new Sa(old.peer, replacement.weInitiated(), old.remote);
        sa.spiI = replacement.initiatorSpi();
        sa.spiR = replacement.responderSpi();
        sa.initResult = old.initResult;
        sa.keying = replacement;
        sa.sk = SkProtection.of(replacement.suite(), replacement.keys(), replacement.weInitiated(), random);
        sa.window = new ResponderWindow(0);
        sa.floated = old.floated;
        sa.state = State.ESTABLISHED;
        sa.nextRequestId = 0;
        sa.children.addAll(old.children);
        old.children.clear();
        byOurSpi.put(sa.ourSpi(), sa);
        events.add(new IkeEvent.IkeSaUp(sa.peerAddress, sa.spiI, sa.spiR, replacement.weInitiated()));
        events.add(new IkeEvent.IkeSaRekeyed(sa.peerAddress, old.spiI, sa.spiI, sa.spiR));
        return sa;
    }

    private void down(Sa sa, String reason) {
        byOurSpi.remove(sa.ourSpi());
        if (sa.initFrom != null) {
            halfOpen.completed(sa.spiI, sa.initFrom);
        }
        events.add(new IkeEvent.IkeSaDown(sa.peerAddress, sa.spiI, reason, sa.children));
    }

    // ---- what the tunnel supervisor asks ----

    /** True if an IKE SA with {@code peer} exists in any state (being set up, established, rekeyed). */
    public boolean hasIkeSaWith(InetAddress peer) {
        return byOurSpi.values().stream().anyMatch(sa -> sa.peerAddress.equals(peer));
    }

    /** True if an established IKE SA with {@code peer} exists. */
    public boolean establishedWith(InetAddress peer) {
        return byOurSpi.values().stream().anyMatch(sa -> sa.peerAddress.equals(peer) && sa.state == State.ESTABLISHED);
    }

    /** When {@code peer} last sent us an authentic IKE message, if ever. */
    public Optional<Instant> lastHeardFrom(InetAddress peer) {
        return Optional.ofNullable(lastHeard.get(peer));
    }

    /** The configured peers. */
    public List<InetAddress> peers() {
        return List.copyOf(peers.keySet());
    }

    /** The child SA configuration of {@code peer} (its traffic selectors decide on-demand initiation). */
    public Optional<org.cevpn.ipsec.ike.task.ChildSaConfig> childConfig(InetAddress peer) {
        return peer(peer).map(p -> p.auth().child());
    }

    /**
     * Where to send NAT keepalives (RFC 3948 §2.3): the peers of established IKE SAs that found us
     * behind a NAT, at the address and port the peer last used.
     */
    public List<InetSocketAddress> natKeepaliveTargets() {
        return byOurSpi.values().stream()
                .filter(sa -> sa.state == State.ESTABLISHED && sa.floated && sa.initResult != null && sa.initResult.localBehindNat())
                .map(sa -> sa.remote).distinct().toList();
    }

    /** Events since the last call, oldest first. */
    public List<IkeEvent> drainEvents() {
        List<IkeEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    public long drops(Drop reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** IKE SAs we hold (half-open, establishing and established). */
    public int ikeSaCount() {
        return byOurSpi.size();
    }

    private List<Outbound> drop(Drop reason) {
        drops.merge(reason, 1L, Long::sum);
        return List.of();
    }

    private long freshSpi() {
        long spi;
        do {
            spi = random.nextLong();
        } while (spi == 0 || byOurSpi.containsKey(spi));
        return spi;
    }

    private int freshChildSpi() {
        // 0..255 are reserved (RFC 4303 §2.1). Unique against the SAD (installed SAs) and against the
        // children this engine holds or has just offered but the agent has not installed yet.
        int spi;
        do {
            spi = random.nextInt(0x100, Integer.MAX_VALUE);
        } while (childSpiInUse.test(spi) || childSpiHeld(spi));
        return spi;
    }

    private boolean childSpiHeld(int spi) {
        for (Sa sa : byOurSpi.values()) {
            for (ChildSaResult c : sa.children) {
                if (c.inboundSpi() == spi) {
                    return true;
                }
            }
        }
        return false;
    }

    private InetSocketAddress local(int port) {
        return new InetSocketAddress(config.localAddress(), port);
    }

    @Override
    public String toString() {
        return "IkeEngine[" + byOurSpi.size() + " IKE SAs, drops " + drops + "]";
    }
}

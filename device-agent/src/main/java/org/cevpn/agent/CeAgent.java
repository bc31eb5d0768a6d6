package org.cevpn.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.EnumMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cevpn.agent.config.CeConfiguration;
import org.cevpn.agent.config.CeConfigurationReader;
import org.cevpn.agent.config.ConfigurationException;
import org.cevpn.agent.pull.PullClient;
import org.cevpn.agent.pull.SyncState;
import org.cevpn.agent.reconcile.AgentNotification;
import org.cevpn.agent.reconcile.PeerTranslation;
import org.cevpn.agent.reconcile.Reconciler;
import org.cevpn.agent.reconcile.TunnelState;
import org.cevpn.ipsec.dataplane.DataPlane;
import org.cevpn.ipsec.dataplane.IkeQueue;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.ike.engine.ChildSaInstaller;
import org.cevpn.ipsec.ike.engine.CryptoOffload;
import org.cevpn.ipsec.ike.engine.Drop;
import org.cevpn.ipsec.ike.engine.EngineConfig;
import org.cevpn.ipsec.ike.engine.IkeEngine;
import org.cevpn.ipsec.ike.engine.IkeService;
import org.cevpn.ipsec.ike.engine.SadChildTraffic;
import org.cevpn.ipsec.ike.engine.TunnelSupervisor;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.IkeInitConfig;
import org.cevpn.ipsec.io.PacketPort;
import org.cevpn.ipsec.io.UdpSockets;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.datastore.EditOperation;
import org.cevpn.netconf.datastore.ErrorOption;
import org.cevpn.netconf.datastore.TestOption;
import org.cevpn.netconf.server.PolicyReadFilter;
import org.cevpn.netconf.filter.WithDefaults;
import org.cevpn.netconf.nacm.Nacm;
import org.cevpn.netconf.notification.NotificationStream;
import org.cevpn.netconf.server.NacmAccessControl;
import org.cevpn.netconf.server.NetconfServer;
import org.cevpn.netconf.server.RpcRegistry;
import org.cevpn.netconf.server.SshTransport;
import org.cevpn.netconf.server.SshUsers;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CE device agent: the NETCONF server (SSH) on validated datastores, the ESP data plane on a VPN-side
 * port (TUN or in-memory), the IKE engine with its tunnel supervisor, and the reconciler that turns every
 * committed configuration into tunnels; its notifications go out on the NETCONF event stream.
 * {@link #close} deletes the tunnels (IKE DELETE) before it stops.
 */
public final class CeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CeAgent.class);
    private static final int MAX_MESSAGE = 16 << 20;
    /** The agent's own writes (the pre-configuration): session 0 is never a NETCONF session's id. */
    private static final long LOCAL_SESSION = 0;
    /** Not an SSH user: nobody logs in as it. */
    private static final String LOCAL_USER = "cevpn-agent";

    /**
     * @param netconfHost, netconfPort where NETCONF over SSH listens (port 0: any free one)
     * @param stateDir     running/startup files and the SSH host key
     * @param users        NETCONF users by name with their passwords
     * @param spAddress    this CE's SP-space address (IKE and ESP-in-UDP are bound there)
     * @param ikePort, natTPort this CE's and its peers' IKE ports (500 and 4500 on a real SP network)
     * @param preConfiguration XML of /ce-device written to running when running has none (a first start)
     * @param recoveryUsers those of {@code users} NACM never restricts (RFC 8341 recovery sessions: full access, so an operator
     *                     can write the first /nacm rules); every other user gets what running's /nacm allows, and
     *                     without a rule no writes and no {@code default-deny-all} secrets
     */
    public record Settings(String netconfHost, int netconfPort, Path stateDir, Map<String, String> users,
                           InetAddress spAddress, int ikePort, int natTPort, Optional<String> preConfiguration,
                           Set<String> recoveryUsers) {
        public Settings {
            users = Map.copyOf(users);
            recoveryUsers = Set.copyOf(recoveryUsers);
            if (!users.keySet().containsAll(recoveryUsers)) {
                throw new IllegalArgumentException("recovery users without a password: " + recoveryUsers);
            }
        }

        /** Every user a recovery user: a CE administered by one team, no NACM rules needed. */
        public Settings(String netconfHost, int netconfPort, Path stateDir, Map<String, String> users, InetAddress spAddress,
                        int ikePort, int natTPort, Optional<String> preConfiguration) {
            this(netconfHost, netconfPort, stateDir, users, spAddress, ikePort, natTPort, preConfiguration, users.keySet());
        }

        @Override
        public String toString() {
            return "Settings[netconf " + netconfHost + ":" + netconfPort + ", state " + stateDir + ", users " + users.keySet()
                    + " (recovery " + recoveryUsers + ")" + ", sp " + spAddress.getHostAddress() + " ike " + ikePort + "/" + natTPort + "]";
        }
    }

    private final YangSchema schema;
    private final QNameModule ce;
    private final QNameModule cvt;
    private final Datastores datastores;
    private final NotificationStream events;
    private final SshTransport ssh;
    private final ScheduledExecutorService scheduler;
    private final DataPlane dataPlane;
    private final SecurityAssociationDatabase sad;
    private final IkeService ike;
    private final Reconciler reconciler;
    private final CeConfigurationReader reader;
    private volatile boolean closed;
    private CryptoOffload cryptoWorkers = CryptoOffload.INLINE;
    /** Set once running can be pulled into (after the reconciler exists). */
    private volatile PullClient pull;
    /** Who is writing running on this thread, for configuration-applied's source: the agent's own pulls say "pull". */
    private final ThreadLocal<String> writeSource = ThreadLocal.withInitial(() -> "push");
    /** Set once the data plane and reconciler exist; until then get shows configuration only. */
    private volatile org.cevpn.netconf.server.StateData state = running -> running;

    public CeAgent(Settings settings, PacketPort vpnSide) throws Exception {
        schema = models();
        reader = new CeConfigurationReader(schema);
        ce = reader.module();
        cvt = schema.moduleByNamespace("urn:cevpn:params:xml:ns:yang:cevpn-types").orElseThrow().getQNameModule();
        var parser = new InstanceDocumentParser(schema, new Limits(MAX_MESSAGE, Limits.DEFAULT.maxDepth()));
        var recovery = new java.util.HashSet<>(settings.recoveryUsers());
        recovery.add(LOCAL_USER);
        var rules = new Nacm(schema, Set.copyOf(recovery));
        var nacm = new NacmAccessControl(rules, schema);
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("cevpn-agent-timer").factory());
        datastores = new Datastores(schema, parser, new DatastoreValidator(schema), settings.stateDir(), scheduler, nacm);
        nacm.follow(datastores);
        events = new NotificationStream("NETCONF", "default NETCONF event stream", schema, rules, 10_000, Clock.systemUTC(),
                scheduler);

        if (currentConfiguration().isEmpty() && settings.preConfiguration().isPresent()) {
            var config = xml("<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
                    + settings.preConfiguration().orElseThrow() + "</config>");
            writeRunning(nacm, config.getDocumentElement());
        }

        // NETCONF first: of what binds a port, the data plane's sockets come last (nothing after them fails).
        RpcRegistry rpcs = new RpcRegistry();
        rpcs.registerAction(QName.create(ce, "reset"), (session, user, target, input, element) -> {
            reset(target);
            return null;
        });
        rpcs.register(QName.create(ce, "resync"), new org.cevpn.agent.pull.ResyncRpc(ce, () -> pull));
        SshUsers users = new SshUsers();
        settings.users().forEach((u, p) -> users.withPassword(u, p.toCharArray()));
        var server = new NetconfServer(schema, datastores, nacm, new PolicyReadFilter(schema), new WithDefaults(schema),
                rpcs, MAX_MESSAGE).withNotifications(events)
                .withStateData(running -> state.addState(running));
        ssh = new SshTransport(server, settings.netconfHost(), settings.netconfPort(), settings.stateDir().resolve("ssh_host_key"),
                users);

        // Data plane and IKE: the SAD's soft expiries reach the supervisor through the service.
        Clock clock = Clock.systemUTC();
        IkeService[] service = new IkeService[1];
        sad = new SecurityAssociationDatabase(e -> {
            if (service[0] != null) {
                service[0].saEvents().onSaEvent(e);
            }
        });
        IkeQueue queue = new IkeQueue(1024);
        // IKE_SA_INIT's Diffie-Hellman on every core (a hub CE brings up many tunnels at once); the
        // IKE thread keeps every IKE SA's state and is woken through its queue when results wait.
        cryptoWorkers = CryptoOffload.workers(Runtime.getRuntime().availableProcessors(), queue::wakeup);
        UdpSockets sockets = new UdpSockets(new InetSocketAddress(settings.spAddress(), settings.natTPort()),
                new InetSocketAddress(settings.spAddress(), settings.ikePort()));
        IkeEngine engine = new IkeEngine(new EngineConfig(settings.spAddress(), settings.ikePort(), settings.natTPort(),
                new IkeInitConfig(PeerTranslation.ikeProposals(), true,
                        List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512)),
                List.of(), 50, RetransmitPolicy.STRONGSWAN_DEFAULT, 1280), new SecureRandom(), clock, spi -> sad.inbound(spi) != null,
                cryptoWorkers);
        TunnelSupervisor supervisor = new TunnelSupervisor(engine, Map.of(), new SadChildTraffic(sad), clock, new SplittableRandom());
        reconciler = new Reconciler(engine, supervisor, new ChildSaInstaller(sad),
                new PeerTranslation(settings.ikePort(), settings.natTPort()), this::publish, clock);
        service[0] = new IkeService(engine, supervisor, queue, sockets, event -> {
            reconciler.onEvent(event);
            if (event instanceof org.cevpn.ipsec.ike.engine.IkeEvent.UnknownPeer unknown && pull != null) {
                pull.unknownPeer(unknown.from()); // rate-limited there
            }
        }, clock);
        ike = service[0];
        reconciler.attach(ike);
        state = new OperationalState(ce, reconciler::states, reconciler::appliedVersion, sad,
                () -> pull == null ? SyncState.NONE : pull.syncState());
        dataPlane = new DataPlane(sad, vpnSide, sockets, queue, null, null, ike.trafficWithoutSa());
        dataPlane.start();
        ike.start();
        scheduler.scheduleAtFixedRate(() -> ike.submit(reconciler::housekeeping), 1, 1, TimeUnit.SECONDS);

        datastores.addRunningListener(snapshot -> {
            applyRunning(snapshot.root());
            if (pull != null) {
                pull.runningChanged();
            }
        });
        applyRunning(datastores.snapshot(Datastore.RUNNING).root());

        // The pull client writes running as the agent itself, with configuration-applied saying "pull".
        pull = new PullClient(ce, new PullClient.Running() {
            @Override
            public ContainerNode root() {
                return datastores.snapshot(Datastore.RUNNING).root();
            }

            @Override
            public void write(org.w3c.dom.Element config) throws org.cevpn.netconf.datastore.RpcException {
                writeSource.set("pull");
                try {
                    writeRunning(nacm, config);
                } finally {
                    writeSource.remove();
                }
            }
        }, this::publish, clock);
        pull.start();

    }

    /** edit-config (merge) of running by the agent itself: validated and access-checked like any session's. */
    private void writeRunning(NacmAccessControl nacm, org.w3c.dom.Element config) throws org.cevpn.netconf.datastore.RpcException {
        synchronized (writeSource) { // one local session at a time: it has a single id
            nacm.sessionStarted(LOCAL_SESSION, LOCAL_USER);
            try {
                datastores.editConfig(LOCAL_SESSION, Datastore.RUNNING, config, EditOperation.MERGE, TestOption.TEST_THEN_SET,
                        ErrorOption.ROLLBACK_ON_ERROR);
            } finally {
                nacm.sessionEnded(LOCAL_SESSION);
                datastores.sessionEnded(LOCAL_SESSION);
            }
        }
    }

    private static YangSchema models;

    /**
     * The agent's YANG models, compiled once per JVM: the compile takes seconds and the result is immutable, so
     * several agents in one process (tests, a hub with simulated peers) share it instead of paying it each time.
     */
    private static synchronized YangSchema models() throws Exception {
        if (models == null) {
            models = new SchemaContextLoader(CeAgent.class.getClassLoader()).load(name -> name.startsWith("ietf-netconf@")
                    || name.startsWith("ietf-netconf-acm") || name.startsWith("nc-notifications") || name.startsWith("notifications@")
                    || SchemaContextLoader.CEVPN_MODULES.test(name), List.of());
        }
        return models;
    }

    /** The reset action on /ce-device/vpn-configuration/peer[sp-address]. */
    private void reset(YangInstanceIdentifier target) throws org.cevpn.netconf.datastore.RpcException {
        for (var arg : target.getPathArguments()) {
            if (arg instanceof NodeIdentifierWithPredicates entry && entry.getNodeType().equals(QName.create(ce, "peer"))) {
                Object key = entry.getValue(QName.create(ce, "sp-address"));
                try {
                    reconciler.reset(InetAddress.ofLiteral(String.valueOf(key)));
                    return;
                } catch (IllegalArgumentException e) {
                    throw org.cevpn.netconf.datastore.RpcException.application(org.cevpn.netconf.ErrorTag.OPERATION_FAILED, e.getMessage());
                }
            }
        }
        throw org.cevpn.netconf.datastore.RpcException.application(org.cevpn.netconf.ErrorTag.OPERATION_FAILED, "reset needs a peer entry");
    }

    /** The operator's pre-configuration file as DOM: no DOCTYPE, no entities (the datastore parser checks the rest). */
    private static org.w3c.dom.Document xml(String text) throws Exception {
        var f = javax.xml.parsers.DocumentBuilderFactory.newDefaultNSInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Optional<CeConfiguration> currentConfiguration() {
        return reader.read(datastores.snapshot(Datastore.RUNNING).root());
    }

    private void applyRunning(ContainerNode root) {
        try {
            String source = writeSource.get();
            reader.read(root).ifPresent(config -> reconciler.apply(config, source));
        } catch (ConfigurationException e) {
            // Running passed validation; what is left is data the agent cannot use. Said, never half-applied silently.
            LOG.error("committed configuration not applied: {}", e.getMessage());
        }
    }

    /** Reconciler notification → cevpn-ce-device notification on the NETCONF stream. */
    private void publish(AgentNotification n) {
        var b = ImmutableNodes.newContainerBuilder();
        switch (n) {
            case AgentNotification.TunnelUp up -> b.withNodeIdentifier(id("tunnel-up"))
                    .withChild(leaf("peer", up.peer().getHostAddress())).withChild(leaf("peer-ce-id", up.peerCeId()))
                    .withChild(leaf("vpn-id", up.vpnId())).withChild(leaf("ipsec-mode", up.ipsecMode()));
            case AgentNotification.TunnelDown d -> b.withNodeIdentifier(id("tunnel-down"))
                    .withChild(leaf("peer", d.peer().getHostAddress())).withChild(leaf("peer-ce-id", d.peerCeId()))
                    .withChild(leaf("vpn-id", d.vpnId())).withChild(leaf("reason", d.reason()))
                    .withChild(leaf("detail", d.detail()));
            case AgentNotification.NegotiationAlarm a -> b.withNodeIdentifier(id("negotiation-alarm"))
                    .withChild(ImmutableNodes.leafNode(QName.create(ce, "resource"), YangInstanceIdentifier.of(
                            id("ce-device"), id("vpn-configuration"), id("peer"), NodeIdentifierWithPredicates.of(
                                    QName.create(ce, "peer"), QName.create(ce, "sp-address"), a.peer().getHostAddress()))))
                    .withChild(ImmutableNodes.leafNode(QName.create(ce, "alarm-type-id"), QName.create(cvt, "negotiation-failure")))
                    .withChild(leaf("perceived-severity", a.severity())).withChild(leaf("peer", a.peer().getHostAddress()))
                    .withChild(ImmutableNodes.leafNode(QName.create(ce, "failure-count"), Uint32.valueOf(a.failureCount())))
                    .withChild(leaf("alarm-text", a.text()));
            case AgentNotification.ConfigurationApplied c -> b.withNodeIdentifier(id("configuration-applied"))
                    .withChild(ImmutableNodes.leafNode(QName.create(ce, "configuration-version"), Uint64.valueOf(c.configurationVersion())))
                    .withChild(leaf("source", c.source()));
            case AgentNotification.ConfigurationRejected r -> {
                b.withNodeIdentifier(id("configuration-rejected")).withChild(leaf("error-tag", r.errorTag()))
                        .withChild(leaf("error-message", r.errorMessage()));
                r.configurationVersion().ifPresent(v -> b.withChild(
                        ImmutableNodes.leafNode(QName.create(ce, "configuration-version"), Uint64.valueOf(v))));
                r.errorAppTag().ifPresent(t -> b.withChild(leaf("error-app-tag", t)));
                r.errorPath().ifPresent(p -> b.withChild(leaf("error-path", p)));
            }
        }
        LOG.info("notification {}", n);
        events.publish(b.build());
    }

    private NodeIdentifier id(String name) {
        return new NodeIdentifier(QName.create(ce, name));
    }

    private org.opendaylight.yangtools.yang.data.api.schema.LeafNode<String> leaf(String name, String value) {
        return ImmutableNodes.leafNode(QName.create(ce, name), value);
    }

    /** The agent's SSH host key (what a VPN server pushing to it pins). */
    public java.security.PublicKey hostKey() {
        return ssh.hostKey();
    }

    /** The NETCONF over SSH port (useful with port 0). */
    public int netconfPort() {
        return ssh.port();
    }

    public Datastores datastores() {
        return datastores;
    }

    public NotificationStream events() {
        return events;
    }

    /** The routes learned over dynamic-routing peers' tunnels: what a routing daemon adapter calls. */
    public org.cevpn.agent.reconcile.TunnelRoutes tunnelRoutes() {
        return reconciler;
    }

    public Map<InetAddress, TunnelState> tunnels() {
        return reconciler.states();
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    public YangSchema schema() {
        return schema;
    }

    /** The pull client's sync-state (also in get). */
    public SyncState syncState() {
        PullClient client = pull;
        return client == null ? SyncState.NONE : client.syncState();
    }

    /** What the IKE engine holds and has dropped, read on the IKE thread (the engine is that thread's alone). */
    public record IkeCounters(int ikeSas, Map<Drop, Long> drops) {
        public IkeCounters {
            drops = Map.copyOf(drops);
        }
    }

    /**
     * The IKE engine's counters (benchmarks, diagnostics): asked of the IKE thread, which answers between two
     * datagrams.
     *
     * @throws TimeoutException when the IKE thread does not get to it within {@code max}
     */
    public IkeCounters ikeCounters(Duration max) throws InterruptedException, TimeoutException {
        CompletableFuture<IkeCounters> answer = new CompletableFuture<>();
        ike.submit(e -> {
            Map<Drop, Long> drops = new EnumMap<>(Drop.class);
            for (Drop d : Drop.values()) {
                drops.put(d, e.drops(d));
            }
            answer.complete(new IkeCounters(e.ikeSaCount(), drops));
            return List.of();
        });
        try {
            return answer.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Deletes every tunnel (IKE DELETE to each peer), then stops NETCONF, IKE and the data plane. */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (pull != null) {
            pull.close();
        }
        try {
            ssh.close();
        } catch (IOException e) {
            LOG.warn("closing NETCONF: {}", e.getMessage());
        }
        reconciler.shutdown();
        // Give the DELETEs a moment to leave and be answered; the peers' liveness covers a lost one.
        Thread.sleep(300);
        scheduler.shutdownNow();
        ike.close();
        cryptoWorkers.close();
        dataPlane.close();
    }
}

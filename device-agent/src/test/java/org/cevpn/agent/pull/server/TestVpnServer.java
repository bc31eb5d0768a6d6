package org.cevpn.agent.pull.server;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.client.SshKeys;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.datastore.EditOperation;
import org.cevpn.netconf.datastore.ErrorOption;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.datastore.TestOption;
import org.cevpn.netconf.nacm.Nacm;
import org.cevpn.netconf.notification.NotificationStream;
import org.cevpn.netconf.server.AccessControl;
import org.cevpn.netconf.server.NetconfServer;
import org.cevpn.netconf.server.ReadFilter;
import org.cevpn.netconf.server.RpcRegistry;
import org.cevpn.netconf.server.SshTransport;
import org.cevpn.netconf.server.SshUsers;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.HardenedXml;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A small VPN server for the agent's tests, built from the shared NETCONF code: NetconfServer and Datastores on
 * cevpn-vpn-database, the CEs logging in with the client keys the database holds (user = ce-id), the
 * pull-configuration RPC answered from running through {@link CeConfigurationRenderer}, and — in combined mode —
 * configuration-changed published on every commit that changes some CE's configuration. Every CE configuration
 * carries the database version at which it last changed (cvt:configuration-version).
 */
public final class TestVpnServer implements AutoCloseable {
    private final YangSchema schema;
    private final QNameModule vdb;
    private final Datastores datastores;
    private final ScheduledExecutorService scheduler;
    private final SshUsers users = new SshUsers();
    private final SshTransport ssh;
    private final NotificationStream events;
    private final Map<String, String> renderings = new HashMap<>();
    private final Map<String, Long> ceVersions = new HashMap<>();
    private final Map<String, AtomicInteger> pulls = new ConcurrentHashMap<>();
    private long version = 1;

    /** @param combined publish configuration-changed (combined mode); false: pull mode only, no :notification */
    public TestVpnServer(Path stateDir, boolean combined) throws Exception {
        this(stateDir, combined, 0);
    }

    /** @param port the SSH port (0: any free one); a restart on the same state directory keeps the host key */
    public TestVpnServer(Path stateDir, boolean combined, int port) throws Exception {
        schema = new SchemaContextLoader(TestVpnServer.class.getClassLoader()).load(name -> name.startsWith("ietf-netconf@")
                || name.startsWith("ietf-netconf-acm") || name.startsWith("nc-notifications") || name.startsWith("notifications@")
                || SchemaContextLoader.CEVPN_MODULES.test(name), List.of());
        vdb = schema.moduleByNamespace(CeConfigurationRenderer.VDB).orElseThrow().getQNameModule();
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("vpn-server").factory());
        var parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        // cevpn-ce-device is imported for its groupings only: the server holds no /ce-device.
        var implemented = new java.util.HashSet<String>();
        schema.context().getModules().forEach(m -> implemented.add(m.getNamespace().toString()));
        implemented.remove("urn:cevpn:params:xml:ns:yang:cevpn-ce-device");
        datastores = new Datastores(schema, parser, new DatastoreValidator(schema, implemented), stateDir, scheduler);
        var rpcs = new RpcRegistry();
        rpcs.register(QName.create(vdb, "pull-configuration"), (session, user, input, element) -> pull(user, input));
        NetconfServer server = new NetconfServer(schema, datastores, AccessControl.PERMIT_ALL, ReadFilter.UNSUPPORTED, rpcs, 16 << 20);
        if (combined) {
            events = new NotificationStream("NETCONF", "VPN server events", schema, new Nacm(schema, Set.of("admin")), 1000,
                    Clock.systemUTC(), scheduler);
            server = server.withNotifications(events);
        } else {
            events = null;
        }
        users.withPassword("admin", "admin-pw".toCharArray());
        datastores.addRunningListener(snapshot -> rerender());
        rerender();
        ssh = new SshTransport(server, "127.0.0.1", port, stateDir.resolve("ssh_host_key"), users);
    }

    /** Replaces the VPN database with {@code <vpn-database xmlns=vdb>…</vpn-database>} (a commit to running). */
    public void commit(String vpnDatabase) throws Exception {
        var xml = "<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
                + vpnDatabase.replaceFirst("<vpn-database ", "<vpn-database nc:operation=\"replace\" ") + "</config>";
        Element config = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        datastores.editConfig(0, Datastore.RUNNING, config, EditOperation.MERGE, TestOption.TEST_THEN_SET,
                ErrorOption.ROLLBACK_ON_ERROR);
    }

    /** The pull-configuration RPC: only the CE the session authenticated as; up-to-date when it holds the version. */
    private String pull(String user, org.opendaylight.yangtools.yang.data.api.schema.ContainerNode input) throws RpcException {
        String ceId = String.valueOf(input.childByArg(new NodeIdentifier(QName.create(vdb, "ce-id"))).body());
        var held = input.childByArg(new NodeIdentifier(QName.create(vdb, "configuration-version")));
        if (!ceId.equals(user)) {
            throw new RpcException(RpcError.application(ErrorTag.ACCESS_DENIED, null, null,
                    "a CE pulls its own configuration only"));
        }
        pulls.computeIfAbsent(ceId, k -> new AtomicInteger()).incrementAndGet();
        synchronized (this) {
            String rendering = renderings.get(ceId);
            if (rendering == null) {
                throw new RpcException(RpcError.application(ErrorTag.INVALID_VALUE, "unknown-ce", null,
                        "the VPN database holds no CE " + ceId));
            }
            long v = ceVersions.get(ceId);
            if (held != null && ((Number) held.body()).longValue() >= v) {
                return "<up-to-date xmlns=\"" + CeConfigurationRenderer.VDB + "\"/>";
            }
            return "<vpn-configuration xmlns=\"" + CeConfigurationRenderer.VDB + "\"><configuration-version>" + v
                    + "</configuration-version>" + rendering + "</vpn-configuration>";
        }
    }

    /** After each commit: render every CE, stamp the changed ones with a new version, refresh keys, notify. */
    private synchronized void rerender() {
        Element db;
        try {
            db = child(HardenedXml.parse(datastores.toXml(Datastore.RUNNING), Limits.DEFAULT).getDocumentElement(), "vpn-database");
        } catch (org.cevpn.netconf.validation.ValidationException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> now = new HashMap<>();
        if (db != null) {
            for (Node n = db.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element device && "ce-device".equals(device.getLocalName())) {
                    String id = child(device, "id").getTextContent().strip();
                    now.put(id, CeConfigurationRenderer.render(db, id).orElseThrow());
                    Element management = child(device, "management");
                    Element key = management == null ? null : child(management, "client-key");
                    users.setPublicKeys(id, key == null ? List.of()
                            : List.of(SshKeys.decode(java.util.Base64.getDecoder().decode(key.getTextContent().strip()))));
                }
            }
        }
        List<String> changed = new ArrayList<>();
        now.forEach((id, r) -> {
            if (!r.equals(renderings.get(id))) {
                changed.add(id);
            }
        });
        renderings.keySet().stream().filter(id -> !now.containsKey(id)).forEach(id -> users.setPublicKeys(id, List.of()));
        if (changed.isEmpty() && now.keySet().equals(renderings.keySet())) {
            return;
        }
        version++;
        changed.forEach(id -> ceVersions.put(id, version));
        ceVersions.keySet().retainAll(now.keySet());
        renderings.clear();
        renderings.putAll(now);
        if (events != null && !changed.isEmpty()) {
            var ids = ImmutableNodes.<String>newSystemLeafSetBuilder().withNodeIdentifier(new NodeIdentifier(QName.create(vdb, "ce-id")));
            changed.stream().sorted().forEach(id -> ids.withChild(ImmutableNodes.leafSetEntry(QName.create(vdb, "ce-id"), id)));
            events.publish(ImmutableNodes.newContainerBuilder()
                    .withNodeIdentifier(new NodeIdentifier(QName.create(vdb, "configuration-changed")))
                    .withChild(ImmutableNodes.leafNode(QName.create(vdb, "configuration-version"), Uint64.valueOf(version)))
                    .withChild(ids.build()).build());
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    public int port() {
        return ssh.port();
    }

    /** The server's SSH host key as the CE's pre-configuration pins it (base64 of the RFC 4253 blob). */
    /** Presents an OpenSSH host certificate of {@link #hostPublicKey} from now on (see SshTransport). */
    public void hostCertificate(String certificateLine) {
        ssh.hostCertificate(certificateLine);
    }

    public java.security.PublicKey hostPublicKey() {
        return ssh.hostKey();
    }

    public String hostKey() {
        return java.util.Base64.getEncoder().encodeToString(SshKeys.blob(ssh.hostKey()));
    }

    public synchronized long version() {
        return version;
    }

    /** pull-configuration requests answered for a CE (any result). */
    public int pulls(String ceId) {
        return pulls.getOrDefault(ceId, new AtomicInteger()).get();
    }

    public YangSchema schema() {
        return schema;
    }

    @Override
    public void close() throws Exception {
        ssh.close();
        scheduler.shutdownNow();
    }
}

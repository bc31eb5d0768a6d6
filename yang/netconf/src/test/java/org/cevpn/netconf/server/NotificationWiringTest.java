package org.cevpn.netconf.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.nacm.Nacm;
import org.cevpn.netconf.notification.NotificationStream;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.cevpn.netconf.validation.YangSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/** RFC 5277 through the server: create-subscription, replay, interleaved notifications and rpc-replies. */
class NotificationWiringTest {
    private static final String DS = "urn:cevpn:test:ds-test";
    private static YangSchema schema;

    @TempDir
    Path dir;
    private ScheduledExecutorService scheduler;
    private NetconfServer server;
    private NotificationStream stream;

    @BeforeAll
    static void load() throws Exception {
        schema = new SchemaContextLoader(NotificationWiringTest.class.getClassLoader()).load(
            name -> name.startsWith("ietf-netconf-acm") || name.startsWith("ietf-netconf@")
                || name.startsWith("nc-notifications") || name.startsWith("notifications"),
            List.of(Path.of("src/test/resources/org/cevpn/netconf/datastore")));
    }

    @BeforeEach
    void start() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        final var nacm = new Nacm(schema, Set.of("admin"));
        final var access = new NacmAccessControl(nacm, schema);
        final var datastores = new Datastores(schema, new InstanceDocumentParser(schema, Limits.DEFAULT),
            new DatastoreValidator(schema), dir, scheduler, access);
        access.follow(datastores);
        stream = new NotificationStream("NETCONF", "default NETCONF event stream", schema, nacm, 100,
            Clock.systemUTC(), scheduler);
        server = new NetconfServer(schema, datastores, access, new PolicyReadFilter(schema), null, new RpcRegistry(),
            1 << 20).withNotifications(stream);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private void publish(final String name) {
        final var type = QName.create(schema.moduleByName("ds-test").orElseThrow().getQNameModule(), "peer-down");
        stream.publish(ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(type))
            .withChild(ImmutableNodes.leafNode(QName.create(type, "name"), name)).build());
    }

    @Test
    void subscriberGetsReplayThenLiveEventsBetweenReplies() throws Exception {
        publish("before");
        try (var client = new PipeClient(server, "admin")) {
            assertTrue(client.hello.contains(":notification:1.0") && client.hello.contains(":interleave:1.0"));
            final var reply = client.rpc("<create-subscription xmlns=\"urn:ietf:params:xml:ns:netconf:notification:1.0\">"
                + "<startTime>" + Instant.now().minusSeconds(60) + "</startTime></create-subscription>");
            assertTrue(reply.contains("<ok/>"), "the reply comes before any notification: " + reply);
            final var replayed = client.read();
            assertTrue(replayed.contains("<notification") && replayed.contains("<name>before</name>"), replayed);
            assertTrue(client.read().contains("replayComplete"));
            publish("live");
            final var live = client.read();
            assertTrue(live.contains("<name>live</name>") && live.contains("<eventTime>"), live);
            // interleave: RPCs still work on the subscribed session
            assertTrue(client.rpc("<get><filter type=\"subtree\"><netconf "
                + "xmlns=\"urn:ietf:params:xml:ns:netmod:notification\"/></filter></get>").contains("NETCONF"));
            // three notifications went out (replayed, replayComplete, live): netconf-state counts them
            final var state = client.rpc("<get/>");
            assertTrue(state.contains("<out-notifications>3</out-notifications></session>"), state);
            final var again = client.rpc("<create-subscription "
                + "xmlns=\"urn:ietf:params:xml:ns:netconf:notification:1.0\"/>");
            assertTrue(again.contains("<rpc-error>") || again.contains("operation-failed"), again);
        }
        assertTrue(DS.startsWith("urn"));
    }
}

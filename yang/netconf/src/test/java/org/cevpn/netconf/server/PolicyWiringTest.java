package org.cevpn.netconf.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.filter.WithDefaults;
import org.cevpn.netconf.nacm.Nacm;
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

/**
 * The policy libraries wired into the server: NACM (RFC 8341) on operations, reads and writes, subtree and
 * XPath filters, with-defaults — through the protocol, as a client sees them.
 */
class PolicyWiringTest {
    private static final String DS = "urn:cevpn:test:ds-test";
    private static YangSchema schema;

    @TempDir
    Path dir;
    private ScheduledExecutorService scheduler;
    private NetconfServer server;

    @BeforeAll
    static void load() throws Exception {
        schema = new SchemaContextLoader(PolicyWiringTest.class.getClassLoader()).load(
            name -> name.startsWith("ietf-netconf-acm") || name.startsWith("ietf-netconf@"),
            List.of(Path.of("src/test/resources/org/cevpn/netconf/datastore")));
    }

    @BeforeEach
    void start() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        final var nacm = new NacmAccessControl(new Nacm(schema, Set.of("admin")), schema);
        final var parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        final var datastores = new Datastores(schema, parser, new DatastoreValidator(schema), dir, scheduler, nacm);
        nacm.follow(datastores);
        server = new NetconfServer(schema, datastores, nacm, new PolicyReadFilter(schema), new WithDefaults(schema),
            new RpcRegistry(), 1 << 20);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static String edit(final String target, final String body) {
        return "<edit-config><target><" + target + "/></target><config><top xmlns=\"" + DS + "\">" + body
            + "</top></config></edit-config>";
    }

    @Test
    void nacmDeniesWritesAndProtectedOperationsToOrdinaryUsers() throws Exception {
        try (var admin = new PipeClient(server, "admin"); var guest = new PipeClient(server, "guest")) {
            assertTrue(admin.rpc(edit("running", "<name>ce1</name>")).contains("<ok/>"));
            // RFC 8341 defaults: write-default deny, read-default permit; kill-session is default-deny-all
            final var denied = guest.rpc(edit("running", "<name>guest-was-here</name>"));
            assertTrue(denied.contains("<error-tag>access-denied</error-tag>"), denied);
            assertTrue(guest.rpc("<get-config><source><running/></source></get-config>").contains("ce1"));
            final var kill = guest.rpc("<kill-session><session-id>" + admin.sessionId() + "</session-id></kill-session>");
            assertTrue(kill.contains("<error-tag>access-denied</error-tag>"), kill);
            // the candidate path is checked at commit
            assertTrue(guest.rpc(edit("candidate", "<name>via-candidate</name>")).contains("access-denied"));
            final var running = admin.rpc("<get-config><source><running/></source></get-config>");
            assertFalse(running.contains("guest-was-here") || running.contains("via-candidate"), running);
        }
    }

    @Test
    void subtreeAndXPathFiltersSelectAndHelloSaysSo() throws Exception {
        try (var admin = new PipeClient(server, "admin")) {
            assertTrue(admin.hello.contains(":xpath:1.0") && admin.hello.contains("with-defaults:1.0"), admin.hello);
            assertTrue(admin.rpc(edit("running", "<name>ce1</name><mtu>1400</mtu>"
                + "<peer><name>a</name><address>10.0.0.1</address></peer>")).contains("<ok/>"));
            final var subtree = admin.rpc("<get-config><source><running/></source><filter type=\"subtree\">"
                + "<top xmlns=\"" + DS + "\"><mtu/></top></filter></get-config>");
            assertTrue(subtree.contains("<mtu>1400</mtu>") && !subtree.contains("ce1"), subtree);
            final var xpath = admin.rpc("<get-config><source><running/></source><filter type=\"xpath\" "
                + "xmlns:ds=\"" + DS + "\" select=\"/ds:top/ds:peer[ds:name='a']/ds:address\"/></get-config>");
            assertTrue(xpath.contains("10.0.0.1") && !xpath.contains("1400"), xpath);
            final var badWd = admin.rpc("<get-config><source><running/></source><with-defaults "
                + "xmlns=\"urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults\">sometimes</with-defaults>"
                + "</get-config>");
            assertTrue(badWd.contains("invalid-value"), badWd);
            final var wd = "<get-config><source><running/></source><with-defaults "
                + "xmlns=\"urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults\">%s</with-defaults></get-config>";
            assertFalse(admin.rpc(String.format(wd, "explicit")).contains("keepalive"));
            assertTrue(admin.rpc(String.format(wd, "report-all")).contains("<keepalive>30</keepalive>"));
            final var tagged = admin.rpc(String.format(wd, "report-all-tagged"));
            assertTrue(tagged.contains("wd:default=\"true\">30</keepalive>"), tagged);
        }
    }
}

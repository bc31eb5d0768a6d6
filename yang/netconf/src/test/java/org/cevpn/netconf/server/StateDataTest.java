package org.cevpn.netconf.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.nacm.Nacm;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.cevpn.netconf.validation.YangSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/** The application's state data in get (not in get-config), under filters, through the server. */
class StateDataTest {
    private static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    private static YangSchema schema;

    @TempDir
    Path dir;
    private ScheduledExecutorService scheduler;

    @BeforeAll
    static void load() throws Exception {
        schema = new SchemaContextLoader(StateDataTest.class.getClassLoader()).load(name -> name.startsWith("ietf-netconf-acm")
                || name.startsWith("ietf-netconf@") || SchemaContextLoader.CEVPN_MODULES.test(name), List.of());
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Adds /ce-device/sync-state/applied-version beside the configuration. */
    static ContainerNode withSyncState(final ContainerNode running) {
        final var ce = schema.moduleByNamespace(CE).orElseThrow().getQNameModule();
        final var id = new NodeIdentifier(QName.create(ce, "ce-device"));
        if (!(running.childByArg(id) instanceof ContainerNode device)) {
            return running;
        }
        final var sync = ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(QName.create(ce, "sync-state")))
                .withChild(ImmutableNodes.leafNode(QName.create(ce, "applied-version"), Uint64.valueOf(42))).build();
        final var newDevice = ImmutableNodes.newContainerBuilder().withNodeIdentifier(id).withValue(device.body()).withChild(sync).build();
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(running.name()).withValue(running.body())
                .withChild(newDevice).build();
    }

    @Test
    void stateDataIsInGetUnderFiltersAndNeverInGetConfig() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        final var nacm = new Nacm(schema, Set.of("admin"));
        final var access = new NacmAccessControl(nacm, schema);
        final var datastores = new Datastores(schema, new InstanceDocumentParser(schema, Limits.DEFAULT),
                new DatastoreValidator(schema), dir, scheduler, access);
        access.follow(datastores);
        final var server = new NetconfServer(schema, datastores, access, new PolicyReadFilter(schema), null, new RpcRegistry(),
                1 << 22).withStateData(StateDataTest::withSyncState);
        final var example = Files.readString(Path.of("../models/examples/valid/ce-vpn-configuration.xml"))
                .replaceAll("<\\?xml[^>]*\\?>", "").replaceAll("(?s)<!--.*?-->", "");
        try (var client = new PipeClient(server, "admin")) {
            assertTrue(client.rpc("<edit-config><target><candidate/></target><config>" + example + "</config></edit-config>")
                    .contains("<ok/>"));
            assertTrue(client.rpc("<commit/>").contains("<ok/>"));
            final var get = client.rpc("<get/>");
            assertTrue(get.contains("<sync-state><applied-version>42</applied-version></sync-state>"), get);
            assertTrue(get.contains("<ce-id>ce1</ce-id>"), get);
            final var filtered = client.rpc("<get><filter type=\"subtree\"><ce-device xmlns=\"" + CE + "\"><sync-state/>"
                    + "</ce-device></filter></get>");
            assertTrue(filtered.contains("<applied-version>42</applied-version>") && !filtered.contains("<ce-id>"), filtered);
            assertFalse(client.rpc("<get-config><source><running/></source></get-config>").contains("sync-state"));
        }
    }
}

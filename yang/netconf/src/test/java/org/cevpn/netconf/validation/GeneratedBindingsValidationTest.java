package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.CeId;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.SshPublicKey;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.VpnId;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.VpnTopology;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.VpnDatabase;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.VpnDatabaseBuilder;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.vpn.database.CeDevice;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.vpn.database.CeDeviceBuilder;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.vpn.database.VpnBuilder;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.vpn.database.ce.device.ManagementBuilder;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.vpn.database.ce.device.VpnMembershipBuilder;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.IpAddress;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.Ipv4Address;
import org.opendaylight.yangtools.binding.DataObjectReference;
import org.opendaylight.yangtools.binding.util.BindingMap;
import org.opendaylight.yangtools.binding.data.codec.impl.BindingCodecContext;
import org.opendaylight.yangtools.binding.runtime.spi.BindingRuntimeHelpers;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.SchemaContext;

/**
 * The controller will hold its VPN database as generated-binding objects: build one with the builders,
 * turn it into a NormalizedNode with yangtools' binding codec, and validate it with the cevpn models loaded
 * from the classpath. Then break a must through the builders and see the refusal.
 */
class GeneratedBindingsValidationTest {
    private static BindingCodecContext codec;
    private static DatastoreValidator validator;

    @BeforeAll
    @SuppressWarnings("removal")
    static void setUp() throws Exception {
        // Explicit parser and generator: no ServiceLoader lookup behind the test's back.
        codec = new BindingCodecContext(BindingRuntimeHelpers.createRuntimeContext(
            new org.opendaylight.yangtools.yang.parser.impl.DefaultYangParserFactory(),
            new org.opendaylight.yangtools.binding.generator.impl.DefaultBindingRuntimeGenerator(),
            VpnDatabase.class));
        validator = new DatastoreValidator(new SchemaContextLoader(
            GeneratedBindingsValidationTest.class.getClassLoader()).loadCevpnModels());
    }

    private static CeDevice ce(final String id, final String address) {
        return new CeDeviceBuilder()
            .setId(new CeId(id))
            .setSpAddress(new IpAddress(new Ipv4Address(address)))
            .setManagement(new ManagementBuilder()
                .setClientKey(new SshPublicKey(("client key of " + id).getBytes(StandardCharsets.UTF_8)))
                .build())
            .setVpnMembership(BindingMap.of(new VpnMembershipBuilder().setVpnId(new VpnId("globex")).build()))
            .build();
    }

    private static VpnDatabaseBuilder hubAndSpoke() {
        return new VpnDatabaseBuilder()
            .setVpn(BindingMap.of(new VpnBuilder()
                .setId(new VpnId("globex"))
                .setTopology(VpnTopology.HubAndSpoke)
                .setHub(Set.of(new CeId("ce4")))
                .build()))
            .setCeDevice(BindingMap.of(ce("ce4", "192.0.2.4"), ce("ce5", "192.0.2.5")));
    }

    private static List<RpcError> validate(final VpnDatabase database) {
        final var result = codec.toNormalizedDataObject(DataObjectReference.builder(VpnDatabase.class).build(),
            database);
        final ContainerNode root = ImmutableNodes.newContainerBuilder()
            .withNodeIdentifier(NodeIdentifier.create(SchemaContext.NAME))
            .withChild((DataContainerChild) result.node())
            .build();
        return validator.validatePresentModules(root, DatastoreValidator.Scope.CONFIG).errors();
    }

    @Test
    void databaseBuiltWithBindingsIsValid() {
        assertEquals(List.of(), validate(hubAndSpoke().build()));
    }

    @Test
    void hubAndSpokeWithoutHubBreaksItsMust() {
        final var base = hubAndSpoke().build();
        final var vpn = base.nonnullVpn().values().iterator().next();
        final var broken = new VpnDatabaseBuilder(base)
            .setVpn(BindingMap.of(new VpnBuilder(vpn).setHub(null).build()))
            .build();
        final var errors = validate(broken);
        assertEquals(1, errors.size(), errors::toString);
        assertEquals(ErrorTag.OPERATION_FAILED, errors.getFirst().tag());
        assertEquals("hub-missing", errors.getFirst().appTag());
        assertEquals("/vdb:vpn-database/vdb:vpn[vdb:id='globex']", errors.getFirst().path().xpath());
    }

    @Test
    void twoCeDevicesOnOneAddressBreakUnique() {
        final var broken = hubAndSpoke().setCeDevice(BindingMap.of(ce("ce4", "192.0.2.4"), ce("ce5", "192.0.2.4")))
            .build();
        final var errors = validate(broken);
        assertEquals(2, errors.size(), errors::toString);
        errors.forEach(e -> assertEquals("data-not-unique", e.appTag()));
        assertEquals(Map.of("vdb", "urn:cevpn:params:xml:ns:yang:cevpn-vpn-database"),
            errors.getFirst().path().namespaces());
    }
}

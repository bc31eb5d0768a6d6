package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.cevpn.netconf.ErrorTag;
import org.junit.jupiter.api.Test;

/**
 * A server that implements only some modules of its schema (the VPN server imports cevpn-ce-device for its
 * groupings): the top-level mandatory nodes of the imported-only modules are not required of its datastores,
 * while its own modules are validated in full.
 */
class ImplementedModulesTest {
    private static final String VDB = "urn:cevpn:params:xml:ns:yang:cevpn-vpn-database";

    @Test
    void importedOnlyModulesAddNoMandatoryNodes() throws Exception {
        var schema = new SchemaContextLoader(getClass().getClassLoader()).loadCevpnModels();
        var parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        var db = parser.parse(new ByteArrayInputStream(("<vpn-database xmlns=\"" + VDB + "\"><vpn><id>acme</id></vpn>"
            + "</vpn-database>").getBytes(StandardCharsets.UTF_8)), InstanceDocumentParser.Format.XML);
        // Implementing every module: /ce-device's mandatory choice is missing.
        var all = new DatastoreValidator(schema).validate(db, DatastoreValidator.Scope.CONFIG);
        assertFalse(all.isValid());
        assertTrue(all.errors().get(0).path().xpath().startsWith("/ce:ce-device"), all.errors().toString());
        // Implementing the VPN database (and the types) only: valid.
        var implemented = Set.of(VDB, "urn:cevpn:params:xml:ns:yang:cevpn-types");
        assertTrue(new DatastoreValidator(schema, implemented).validate(db, DatastoreValidator.Scope.CONFIG).isValid());
        // ... and its own rules still apply (a hub-and-spoke VPN without a hub).
        var bad = parser.parse(new ByteArrayInputStream(("<vpn-database xmlns=\"" + VDB + "\"><vpn><id>acme</id>"
            + "<topology>hub-and-spoke</topology></vpn></vpn-database>").getBytes(StandardCharsets.UTF_8)),
            InstanceDocumentParser.Format.XML);
        var errors = new DatastoreValidator(schema, implemented).validate(bad, DatastoreValidator.Scope.CONFIG).errors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("hub-missing", errors.get(0).appTag());
        assertEquals(ErrorTag.OPERATION_FAILED, errors.get(0).tag());
    }
}

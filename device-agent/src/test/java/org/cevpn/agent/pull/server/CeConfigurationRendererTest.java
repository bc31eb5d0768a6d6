package org.cevpn.agent.pull.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.HardenedXml;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.cevpn.netconf.validation.YangSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The renderer on the models' example VPN database (yang/models/examples/valid/vpn-database.xml): who peers with
 * whom per topology, keys, credentials — and every rendering is a valid CE configuration for the CE model.
 */
class CeConfigurationRendererTest {
    static final Path EXAMPLE = Path.of("../yang/models/examples/valid/vpn-database.xml");
    static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    static Element db;
    static YangSchema schema;

    @BeforeAll
    static void load() throws Exception {
        db = HardenedXml.parse(Files.readAllBytes(EXAMPLE), Limits.DEFAULT).getDocumentElement();
        schema = new SchemaContextLoader(CeConfigurationRendererTest.class.getClassLoader()).loadCevpnModels();
    }

    static String render(String ceId) {
        return CeConfigurationRenderer.render(db, ceId).orElseThrow();
    }

    /** The rendering stored on the CE as it would be after a pull, through the CE model's validator. */
    static List<org.cevpn.netconf.RpcError> validateOnTheCe(String ceId, String rendering) throws Exception {
        String doc = "<ce-device xmlns=\"" + CE + "\"><ce-id>" + ceId + "</ce-id><pre-configuration><sp-address>192.0.2.1"
                + "</sp-address><vpn-server><address>203.0.113.10</address><ssh-host-key>AAAA</ssh-host-key></vpn-server>"
                + "<client-identity><private-key>AAAA</private-key></client-identity></pre-configuration>"
                + "<vpn-configuration><configuration-version>7</configuration-version>" + rendering + "</vpn-configuration></ce-device>";
        var root = new InstanceDocumentParser(schema, Limits.DEFAULT).parse(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)),
                InstanceDocumentParser.Format.XML);
        return new DatastoreValidator(schema, Set.of(CE, "urn:cevpn:params:xml:ns:yang:cevpn-types"))
                .validate(root, DatastoreValidator.Scope.CONFIG).errors();
    }

    @Test
    void aFullMeshCeGetsThePeersItHasAKeyWith() throws Exception {
        String ce1 = render("ce1");
        assertTrue(ce1.contains("<peer><sp-address>192.0.2.2</sp-address><ce-id>ce2</ce-id><vpn-id>acme</vpn-id>"
                + "<authentication-method>pre-shared</authentication-method><pre-shared-key>XBsOP5p9Lktvihw9Xn+bCixOb4obPV9+nAsqTW+OHDs="
                + "</pre-shared-key>"), ce1);
        assertFalse(ce1.contains("<ce-id>ce3</ce-id>"), "no key authority here: the pair ce1-ce3 has no key, so no peer");
        assertTrue(ce1.contains("<vpn><vpn-id>acme</vpn-id><site-role>spoke</site-role><local-prefix>10.1.0.0/16</local-prefix></vpn>"), ce1);
        assertTrue(ce1.contains("<tunnel-information><establishment>permanent</establishment><ipsec-mode>transport-ip-in-ip"), ce1);
        assertFalse(ce1.contains("local-credentials"), "a PSK-only CE gets no signature credentials");
        assertEquals(List.of(), validateOnTheCe("ce1", ce1));
    }

    @Test
    void inAHubAndSpokeVpnSpokesSeeTheHubAndTheHubSeesEveryone() throws Exception {
        String hub = render("ce4");
        String spoke = render("ce5");
        assertTrue(hub.contains("<site-role>hub</site-role>") && hub.contains("<ce-id>ce5</ce-id>") && hub.contains("<ce-id>ce6</ce-id>"),
                hub);
        assertTrue(spoke.contains("<site-role>spoke</site-role>") && spoke.contains("<ce-id>ce4</ce-id>"), spoke);
        assertFalse(spoke.contains("<ce-id>ce6</ce-id>"), "spokes have tunnels to the hubs only");
        assertTrue(spoke.contains("<remote-prefix>172.16.4.0/24</remote-prefix>"), spoke);
        // digital signatures: the CE's own key and certificate and the CA, the sa-profile as sa-defaults
        assertTrue(hub.startsWith("<local-credentials><private-key>MIGHAgEAMBMG") && hub.contains("<ca-certificate>MIIBtjCC"), hub);
        assertTrue(hub.contains("<sa-defaults><ike><encryption-algorithm>encr-aes-gcm-16</encryption-algorithm>"), hub);
        assertEquals(List.of(), validateOnTheCe("ce4", hub));
        assertEquals(List.of(), validateOnTheCe("ce5", spoke));
    }

    @Test
    void libyangAcceptsTheRenderedPullReplies(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        var yanglint = org.cevpn.testing.ExternalTools.program("yanglint", "libyang2-tools");
        Path yang = Path.of("../yang/models/src/main/yang");
        Path deps = Path.of("../yang/models/target/dependency-yang");
        assertTrue(Files.isDirectory(deps), deps + " missing: build yang/models first");
        for (String ce : List.of("ce1", "ce4", "ce5")) {
            Path reply = dir.resolve(ce + ".reply.xml");
            Files.writeString(reply, "<pull-configuration xmlns=\"" + CeConfigurationRenderer.VDB + "\"><vpn-configuration>"
                    + "<configuration-version>7</configuration-version>" + render(ce) + "</vpn-configuration></pull-configuration>");
            var run = yanglint.run(List.of("-t", "reply", "-p", yang.toString(), "-p", deps.toString(),
                    yang.resolve("cevpn-types.yang").toString(), yang.resolve("cevpn-vpn-database.yang").toString(), reply.toString()));
            assertEquals(0, run.exitCode(), ce + ": " + run.output());
            assertEquals("", run.output().strip(), ce + ": " + run.output());
        }
    }

    @Test
    void anUnknownCeHasNoRendering() {
        assertTrue(CeConfigurationRenderer.render(db, "ce99").isEmpty());
    }
}

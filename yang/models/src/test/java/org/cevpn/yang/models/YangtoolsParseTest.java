package org.cevpn.yang.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.Revision;
import org.opendaylight.yangtools.yang.model.api.ContainerSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.api.meta.DeclaredStatement;
import org.opendaylight.yangtools.yang.model.api.stmt.DescriptionEffectiveStatement;
import org.opendaylight.yangtools.yang.model.api.stmt.ReferenceEffectiveStatement;
import org.opendaylight.yangtools.yang.model.api.stmt.RevisionEffectiveStatement;

/**
 * Our modules parse with yangtools, the parser our NETCONF side runs on, and keep to the RFC 8407
 * conventions the project chose. Any parse problem throws, which fails the test.
 */
class YangtoolsParseTest {

    private static final Revision REVISION = Revision.of("2026-11-22");

    /** Statements RFC 8407 section 4.14 wants described. */
    private static final Set<String> MUST_BE_DESCRIBED = Set.of(
        "module", "container", "leaf", "leaf-list", "list", "choice", "case", "grouping", "typedef",
        "identity", "rpc", "action", "notification", "augment", "enum");

    @Test
    void everyModuleBuildsIntoOneEffectiveModel() throws Exception {
        EffectiveModelContext context = ModelFiles.effectiveModel();

        for (String name : ModelFiles.OUR_MODULES) {
            Module module = context.findModule(name, REVISION)
                .orElseThrow(() -> new AssertionError(name + "@" + REVISION + " missing from the model"));
            assertEquals("urn:cevpn:params:xml:ns:yang:" + name, module.getNamespace().toString());
            assertTrue(module.getOrganization().isPresent(), name + ": organization");
            assertTrue(module.getContact().isPresent(), name + ": contact");
            var revisions = module.asEffectiveStatement()
                .streamEffectiveSubstatements(RevisionEffectiveStatement.class).toList();
            assertEquals(1, revisions.size(), name + ": one revision");
            assertTrue(revisions.stream().allMatch(r ->
                    r.findFirstEffectiveSubstatement(DescriptionEffectiveStatement.class).isPresent()
                    && r.findFirstEffectiveSubstatement(ReferenceEffectiveStatement.class).isPresent()),
                name + ": every revision has a description and a reference");
        }
    }

    @Test
    void peerTupleIsKeyedBySpAddressAndUniqueByCeId() throws Exception {
        EffectiveModelContext context = ModelFiles.effectiveModel();
        Module ce = context.findModule("cevpn-ce-device", REVISION).orElseThrow();
        var ceDevice = (ContainerSchemaNode) ce.getDataChildByName(QName.create(ce.getQNameModule(), "ce-device"));
        var vpnConfiguration = (ContainerSchemaNode) ceDevice.getDataChildByName(
            QName.create(ce.getQNameModule(), "vpn-configuration"));
        var peer = (ListSchemaNode) vpnConfiguration.getDataChildByName(QName.create(ce.getQNameModule(), "peer"));

        assertEquals(List.of(QName.create(ce.getQNameModule(), "sp-address")), peer.getKeyDefinition());
        assertEquals(1, peer.getUniqueConstraints().size(), "unique \"ce-id\"");
        assertEquals(3, peer.getMustConstraints().size(), "psk, local credentials, remote prefixes");
        assertTrue(vpnConfiguration.isPresenceContainer(), "a CE without a VPN configuration is valid");
    }

    @Test
    void everyDefinitionIsDescribed() throws Exception {
        List<DeclaredStatement<?>> modules = ModelFiles.parserWithAllSources().buildDeclaredModel();
        List<String> undescribed = new ArrayList<>();
        for (DeclaredStatement<?> module : modules) {
            if (ModelFiles.OUR_MODULES.contains(module.rawArgument())) {
                collectUndescribed(module, module.rawArgument(), undescribed);
            }
        }
        assertEquals(List.of(), undescribed, "RFC 8407: every definition has a description");
    }

    private static void collectUndescribed(DeclaredStatement<?> statement, String path, List<String> out) {
        String keyword = statement.statementDefinition().getStatementName().getLocalName();
        if (MUST_BE_DESCRIBED.contains(keyword) && statement.declaredSubstatements().stream()
                .noneMatch(s -> s.statementDefinition().getStatementName().getLocalName().equals("description"))) {
            out.add(path);
        }
        for (DeclaredStatement<?> child : statement.declaredSubstatements()) {
            String childKeyword = child.statementDefinition().getStatementName().getLocalName();
            collectUndescribed(child, path + "/" + childKeyword + " " + child.rawArgument(), out);
        }
    }
}

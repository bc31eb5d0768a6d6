package org.cevpn.netconf.nacm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNodes;
import org.junit.jupiter.api.Test;

class NacmTest {
    static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    static final String BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
    private static final NacmUser ALICE = NacmUser.of("alice");   // admin
    private static final NacmUser OLIVIA = NacmUser.of("olivia"); // operator
    private static final NacmUser GUS = NacmUser.of("gus");       // guest
    private static final NacmUser ROOT = NacmUser.of("root");     // recovery session

    /** Groups and rule-lists shared by the scenarios; {@code extra} goes first among the rule-lists. */
    static String nacm(final String readDefault, final String writeDefault, final String operatorRules) {
        return """
            <nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm">
              <read-default>%s</read-default>
              <write-default>%s</write-default>
              <groups>
                <group><name>admin</name><user-name>alice</user-name></group>
                <group><name>operators</name><user-name>olivia</user-name></group>
                <group><name>guests</name><user-name>gus</user-name></group>
              </groups>
              <rule-list>
                <name>admin-acl</name>
                <group>admin</group>
                <rule><name>permit-all</name><module-name>*</module-name><access-operations>*</access-operations>
                  <action>permit</action></rule>
              </rule-list>
              <rule-list>
                <name>operator-acl</name>
                <group>operators</group>
                %s
              </rule-list>
              <rule-list>
                <name>guest-acl</name>
                <group>guests</group>
                <rule><name>ce-id-only</name><module-name>cevpn-ce-device</module-name>
                  <path>/ce:ce-device/ce:ce-id</path><access-operations>read</access-operations>
                  <action>permit</action></rule>
              </rule-list>
            </nacm>
            """.formatted(readDefault, writeDefault, operatorRules);
    }

    private static final String OPERATOR_RULES = """
        <rule><name>hide-peer-3</name><module-name>cevpn-ce-device</module-name>
          <path>/ce:ce-device/ce:vpn-configuration/ce:peer[ce:sp-address='192.0.2.3']</path>
          <access-operations>*</access-operations><action>deny</action></rule>
        <rule><name>edit-peer-2</name><module-name>cevpn-ce-device</module-name>
          <path>/cevpn-ce-device:ce-device/vpn-configuration/peer[sp-address='192.0.2.2']/tunnel-information</path>
          <access-operations>update create delete</access-operations><action>permit</action></rule>
        <rule><name>no-kill</name><module-name>ietf-netconf</module-name><rpc-name>kill-session</rpc-name>
          <access-operations>exec</access-operations><action>deny</action></rule>
        <rule><name>no-tunnel-down</name><module-name>cevpn-ce-device</module-name>
          <notification-name>tunnel-down</notification-name><access-operations>read</access-operations>
          <action>deny</action></rule>
        """;

    private static Nacm nacm(final String nacmXml) {
        final var nacm = new Nacm(PolicyTestData.schema(), Set.of("root"));
        final var cfg = nacm.configure(PolicyTestData.parse(nacmXml));
        assertEquals(java.util.List.of(), cfg.problems());
        return nacm;
    }

    private static ContainerNode ceConfig() {
        return PolicyTestData.parse(PolicyTestData.example("valid/ce-vpn-configuration.xml"));
    }

    private static QName ce(final String name) {
        return QName.create(PolicyTestData.schema().moduleByNamespace(CE).orElseThrow().getQNameModule(), name);
    }

    private static QName base(final String name) {
        return QName.create(PolicyTestData.schema().moduleByNamespace(BASE).orElseThrow().getQNameModule(), name);
    }

    private static NormalizedNode at(final ContainerNode root, final Object... steps) {
        var path = YangInstanceIdentifier.builder();
        for (var step : steps) {
            if (step instanceof String s) {
                path.node(new NodeIdentifier(ce(s)));
            } else if (step instanceof String[] entry) {
                path.node(NodeIdentifierWithPredicates.of(ce(entry[0]), ce(entry[1]), entry[2]));
            }
        }
        return NormalizedNodes.findNode(root, path.build()).orElse(null);
    }

    private static String[] peer(final String address) {
        return new String[] { "peer", "sp-address", address };
    }

    private static NormalizedNode peerNode(final ContainerNode root, final String address) {
        // peer entries are keyed by an inet:ip-address union: look them up by their key's string form.
        final var peers = (org.opendaylight.yangtools.yang.data.api.schema.MapNode) at(root, "ce-device",
            "vpn-configuration", "peer");
        if (peers == null) {
            return null;
        }
        return peers.body().stream().filter(e -> e.name().values().iterator().next().toString().equals(address))
            .findFirst().orElse(null);
    }

    @Test
    void operatorReadsEverythingButSecretsAndNacm() {
        final var nacm = nacm(PolicyTestData.body(nacm("permit", "deny", ""))
            + PolicyTestData.body(PolicyTestData.example("valid/ce-vpn-configuration.xml")));
        final var all = PolicyTestData.parse(PolicyTestData.body(nacm("permit", "deny", ""))
            + PolicyTestData.body(PolicyTestData.example("valid/ce-vpn-configuration.xml")));
        final var seen = nacm.filterRead(OLIVIA, all);
        assertNotNull(at(seen, "ce-device", "ce-id"));
        assertNotNull(at(seen, "ce-device", "pre-configuration", "timers", "pull-interval"));
        // nacm:default-deny-all in our models: private keys and pre-shared keys are invisible without a rule.
        assertNull(at(seen, "ce-device", "pre-configuration", "client-identity", "private-key"));
        assertNull(at(seen, "ce-device", "vpn-configuration", "local-credentials", "private-key"));
        assertNotNull(at(seen, "ce-device", "vpn-configuration", "local-credentials", "certificate"));
        final var peer2 = (org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode) peerNode(seen, "192.0.2.2");
        assertNotNull(peer2);
        assertTrue(peer2.childByArg(new NodeIdentifier(ce("pre-shared-key"))) == null);
        assertNotNull(peer2.childByArg(new NodeIdentifier(ce("ce-id"))));
        // /nacm itself is default-deny-all in ietf-netconf-acm.
        assertTrue(seen.body().stream().noneMatch(c -> c.name().getNodeType().getLocalName().equals("nacm")));
    }

    @Test
    void adminWithExplicitRuleSeesSecrets() {
        final var nacm = nacm(nacm("permit", "deny", ""));
        final var seen = nacm.filterRead(ALICE, ceConfig());
        assertNotNull(at(seen, "ce-device", "pre-configuration", "client-identity", "private-key"));
        final var peer2 = (org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode) peerNode(seen, "192.0.2.2");
        assertNotNull(peer2.childByArg(new NodeIdentifier(ce("pre-shared-key"))));
        assertEquals(ceConfig().toString(), seen.toString());
    }

    @Test
    void guestWithReadDefaultDenySeesOnlyItsPath() {
        final var nacm = nacm(nacm("deny", "deny", ""));
        final var seen = nacm.filterRead(GUS, ceConfig());
        assertNotNull(at(seen, "ce-device", "ce-id"));
        assertNull(at(seen, "ce-device", "pre-configuration"));
        assertNull(at(seen, "ce-device", "vpn-configuration"));
        // A user in no group at all gets nothing under read-default deny.
        assertTrue(nacm.filterRead(NacmUser.of("mallory"), ceConfig()).body().isEmpty());
    }

    @Test
    void firstMatchingRuleWinsAndKeysSelectEntries() {
        final var nacm = nacm(nacm("permit", "deny", OPERATOR_RULES));
        final var seen = nacm.filterRead(OLIVIA, ceConfig());
        assertNotNull(peerNode(seen, "192.0.2.2"));
        assertNull(peerNode(seen, "192.0.2.3"), "hide-peer-3 comes first and denies read");
        assertNotNull(peerNode(nacm.filterRead(ALICE, ceConfig()), "192.0.2.3"));
    }

    @Test
    void writesAreCheckedPerNodeWithPathRules() {
        final var nacm = nacm(nacm("permit", "deny", OPERATOR_RULES));
        final var before = ceConfig();
        final var xml = PolicyTestData.example("valid/ce-vpn-configuration.xml");
        // Operator may change peer 192.0.2.2's tunnel-information (update) ...
        final var peer2Edit = PolicyTestData.parse(xml.replaceFirst("<dynamic-routing>true</dynamic-routing>", "<dynamic-routing>false</dynamic-routing>"));
        assertTrue(nacm.checkWrite(OLIVIA, before, peer2Edit).isEmpty());
        // ... but not the configuration-version (write-default deny) ...
        final var versionEdit = PolicyTestData.parse(xml.replace("<configuration-version>42<",
            "<configuration-version>43<"));
        final var denied = nacm.checkWrite(OLIVIA, before, versionEdit).orElseThrow();
        assertEquals(ErrorTag.ACCESS_DENIED, denied.tag());
        assertEquals(ErrorType.APPLICATION, denied.type());
        assertEquals("/ce:ce-device/ce:vpn-configuration/ce:configuration-version", denied.path().xpath());
        assertTrue(denied.message().contains("update"));
        // ... nor delete peer 192.0.2.3 (hide-peer-3 denies every operation on it).
        final var deletePeer3 = PolicyTestData.parse(xml.replaceFirst("(?s)<peer>\\s*<sp-address>192\\.0\\.2\\.3<.*?</peer>", ""));
        final var denied3 = nacm.checkWrite(OLIVIA, before, deletePeer3).orElseThrow();
        assertTrue(denied3.path().xpath().startsWith("/ce:ce-device/ce:vpn-configuration/ce:peer[ce:sp-address='192.0.2.3']"),
            denied3.path().xpath());
        assertTrue(denied3.message().contains("delete"));
        // The admin may do all of it; a guest none of it; a recovery session bypasses NACM.
        assertTrue(nacm.checkWrite(ALICE, before, deletePeer3).isEmpty());
        assertTrue(nacm.checkWrite(GUS, before, peer2Edit).isPresent());
        assertTrue(nacm.checkWrite(ROOT, before, versionEdit).isEmpty());
        assertEquals(3, nacm.counters().deniedDataWrites());
    }

    @Test
    void defaultDenyAllProtectsSecretsFromWriteDefaultPermit() {
        final var nacm = nacm(nacm("permit", "permit", ""));
        final var xml = PolicyTestData.example("valid/ce-vpn-configuration.xml");
        final var before = ceConfig();
        final var pskChange = PolicyTestData.parse(xml.replace("XBsOP5p9Lktvihw9Xn+bCixOb4obPV9+nAsqTW+OHDs=",
            "AAAAP5p9Lktvihw9Xn+bCixOb4obPV9+nAsqTW+OHDs="));
        final var denied = nacm.checkWrite(OLIVIA, before, pskChange).orElseThrow();
        assertTrue(denied.path().xpath().endsWith("/ce:pre-shared-key"), denied.path().xpath());
        assertFalse(denied.toXml().contains("AAAAP5p9"), "the secret never appears in the error");
        // An ordinary leaf is writable under write-default permit.
        final var timerChange = PolicyTestData.parse(xml.replace("<pull-interval>900<", "<pull-interval>600<"));
        assertTrue(nacm.checkWrite(OLIVIA, before, timerChange).isEmpty());
    }

    @Test
    void protocolOperations() {
        final var nacm = nacm(nacm("permit", "deny", OPERATOR_RULES));
        assertTrue(nacm.permitsRpc(GUS, base("close-session")), "close-session is always permitted");
        assertTrue(nacm.permitsRpc(GUS, base("get-config")), "exec-default permit");
        // kill-session and delete-config carry nacm:default-deny-all in ietf-netconf.
        assertFalse(nacm.permitsRpc(GUS, base("delete-config")));
        assertFalse(nacm.permitsRpc(GUS, base("kill-session")));
        assertFalse(nacm.permitsRpc(OLIVIA, base("kill-session")), "explicit deny rule");
        assertTrue(nacm.permitsRpc(ALICE, base("kill-session")), "explicit permit-all rule");
        assertTrue(nacm.permitsRpc(ROOT, base("delete-config")), "recovery session");
        assertTrue(nacm.permitsRpc(OLIVIA, ce("resync")));
        assertEquals(3, nacm.counters().deniedOperations());
        final var error = Nacm.operationDenied(base("kill-session"));
        assertEquals(ErrorTag.ACCESS_DENIED, error.tag());
        assertEquals(ErrorType.PROTOCOL, error.type());
    }

    @Test
    void execDefaultDenyAndDisabledNacm() {
        final var deny = nacm(nacm("permit", "deny", "").replace("<groups>", "<exec-default>deny</exec-default><groups>"));
        assertFalse(deny.permitsRpc(GUS, ce("resync")));
        assertTrue(deny.permitsRpc(ALICE, ce("resync")));
        final var off = nacm(nacm("deny", "deny", "").replace("<groups>", "<enable-nacm>false</enable-nacm><groups>"));
        assertTrue(off.permitsRpc(GUS, base("kill-session")));
        assertEquals(ceConfig().toString(), off.filterRead(GUS, ceConfig()).toString());
    }

    @Test
    void notifications() {
        final var nacm = nacm(nacm("permit", "deny", OPERATOR_RULES));
        assertFalse(nacm.permitsNotification(OLIVIA, ce("tunnel-down")));
        assertTrue(nacm.permitsNotification(OLIVIA, ce("tunnel-up")));
        assertTrue(nacm.permitsNotification(ALICE, ce("tunnel-down")));
        final var replayComplete = QName.create("urn:ietf:params:xml:ns:netmod:notification", "2008-07-14",
            "replayComplete");
        final var guestDenied = nacm(nacm("deny", "deny", ""));
        assertFalse(guestDenied.permitsNotification(GUS, ce("tunnel-up")));
        assertTrue(guestDenied.permitsNotification(GUS, replayComplete), "never filtered (RFC 8341 §3.4.6)");
        assertEquals(1, nacm.counters().deniedNotifications());
        final var state = nacm.stateData();
        assertEquals(3, state.body().size());
        assertEquals("1", state.body().stream()
            .filter(c -> c.name().getNodeType().getLocalName().equals("denied-notifications")).findFirst()
            .orElseThrow().body().toString());
        final var root = org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes.newContainerBuilder()
            .withNodeIdentifier(new NodeIdentifier(QName.create(BASE, "data"))).withChild(state).build();
        assertEquals(java.util.List.of(), new org.cevpn.netconf.validation.DatastoreValidator(PolicyTestData.schema())
            .validatePresentModules(root, org.cevpn.netconf.validation.DatastoreValidator.Scope.CONFIG_AND_STATE)
            .errors());
    }

    @Test
    void externalGroupsAndBrokenPaths() {
        final var nacm = new Nacm(PolicyTestData.schema(), Set.of());
        final var cfg = nacm.configure(PolicyTestData.parse(nacm("deny", "deny", """
            <rule><name>broken</name><module-name>cevpn-ce-device</module-name>
              <path>/nope:ce-device</path><access-operations>read</access-operations><action>permit</action></rule>
            """)));
        assertEquals(1, cfg.problems().size());
        assertTrue(cfg.problems().getFirst().contains("unknown prefix"), cfg.problems().toString());
        // "bob" is in no configured group but SSH reported "guests": the guest rules apply to him.
        final var bob = new NacmUser("bob", Set.of("guests"));
        assertNotNull(at(nacm.filterRead(bob, ceConfig()), "ce-device", "ce-id"));
        // The broken rule (operators' only rule) matches nothing: it is not widened to all data.
        assertTrue(nacm.filterRead(OLIVIA, ceConfig()).body().isEmpty());
    }

    @Test
    void actionsOnDataNodes() {
        final var nacm = nacm(nacm("permit", "deny", OPERATOR_RULES));
        final var schema = PolicyTestData.schema();
        final var peer = new NodeIdentifier(ce("peer"));
        final java.util.function.Function<String, java.util.List<org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument>> target =
            address -> {
                // The key value as the parser holds it (inet:ip-address), taken from the example data.
                final var entry = peerNode(ceConfig(), address);
                return java.util.List.of(new NodeIdentifier(ce("ce-device")), new NodeIdentifier(ce("vpn-configuration")),
                    peer, (NodeIdentifierWithPredicates) entry.name());
            };
        assertNotNull(schema);
        assertTrue(nacm.permitsAction(OLIVIA, target.apply("192.0.2.2"), ce("reset")), "exec-default permit");
        assertFalse(nacm.permitsAction(OLIVIA, target.apply("192.0.2.3"), ce("reset")), "hide-peer-3 denies all");
        assertTrue(nacm.permitsAction(ALICE, target.apply("192.0.2.3"), ce("reset")));
        // Without the MapNode wrapper argument the same entry is found.
        final var direct = new java.util.ArrayList<>(target.apply("192.0.2.3"));
        direct.remove(2);
        assertFalse(nacm.permitsAction(OLIVIA, direct, ce("reset")));
        assertEquals(2, nacm.counters().deniedOperations());
    }

    @Test
    void nacmItselfIsDefaultDenyAllForWrites() {
        final var nacmXml = nacm("permit", "permit", "");
        final var nacm = nacm(nacmXml);
        final var before = PolicyTestData.parse(nacmXml);
        final var after = PolicyTestData.parse(nacmXml.replace("<user-name>gus</user-name>",
            "<user-name>gus</user-name><user-name>olivia</user-name>"));
        final var denied = nacm.checkWrite(OLIVIA, before, after).orElseThrow();
        assertTrue(denied.path().xpath().startsWith("/nacm:nacm/nacm:groups/nacm:group[nacm:name='guests']"),
            denied.path().xpath());
        assertTrue(nacm.checkWrite(ALICE, before, after).isEmpty(), "the admin's permit-all rule allows it");
        assertTrue(nacm.checkWrite(OLIVIA, before, before).isEmpty(), "no change, nothing to check");
    }

    @Test
    void schemaWithoutIetfNetconfIsRefused() throws Exception {
        final var bare = new org.cevpn.netconf.validation.SchemaContextLoader(getClass().getClassLoader())
            .loadCevpnModels();
        assertThrows(IllegalArgumentException.class, () -> new Nacm(bare, Set.of()));
    }
}

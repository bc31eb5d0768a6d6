package org.cevpn.netconf.filter;

import static org.cevpn.netconf.filter.FilterTestSupport.ceConfig;
import static org.cevpn.netconf.filter.FilterTestSupport.childNames;
import static org.cevpn.netconf.filter.FilterTestSupport.element;
import static org.cevpn.netconf.filter.FilterTestSupport.entry;
import static org.cevpn.netconf.filter.FilterTestSupport.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cevpn.netconf.nacm.PolicyTestData;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.junit.jupiter.api.Test;

/** RFC 6241 §6.4's examples, translated from its users/interfaces model onto ce-device's peers. */
class SubtreeFilterTest {
    private static ContainerNode filter(final String filterBody) {
        final var f = element("<filter xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" type=\"subtree\">"
            + filterBody + "</filter>");
        return new SubtreeFilter(PolicyTestData.schema(), f).apply(ceConfig());
    }

    private static final String CE = "xmlns=\"urn:cevpn:params:xml:ns:yang:cevpn-ce-device\"";

    @Test
    void emptyFilterSelectsNothing() {                       // §6.4.2
        assertTrue(filter("").body().isEmpty());
    }

    @Test
    void selectionNodeReturnsWholeSubtree() {                // §6.4.3
        final var out = filter("<ce-device " + CE + "><vpn-configuration/></ce-device>");
        assertEquals(List.of("vpn-configuration"), childNames(path(out, "ce-device")));
        assertEquals(path(ceConfig(), "ce-device", "vpn-configuration").toString(),
            path(out, "ce-device", "vpn-configuration").toString());
    }

    @Test
    void selectOneLeafOfEveryEntry() {                       // §6.4.4 (all <name> within <users>)
        final var out = filter("<ce-device " + CE + "><vpn-configuration><peer><ce-id/></peer></vpn-configuration></ce-device>");
        final var peers = (MapNode) path(out, "ce-device", "vpn-configuration", "peer");
        assertEquals(2, peers.body().size());
        // Each entry: the selected leaf plus its key.
        assertEquals(List.of("ce-id", "sp-address"), childNames(entry(peers, "192.0.2.2")));
        assertEquals(List.of("ce-id", "sp-address"), childNames(entry(peers, "192.0.2.3")));
        assertEquals(List.of("vpn-configuration"), childNames(path(out, "ce-device")));
    }

    @Test
    void contentMatchAloneSelectsTheWholeEntry() {           // §6.4.5 (one specific <user> entry)
        final var out = filter("<ce-device " + CE + "><vpn-configuration><peer><sp-address>192.0.2.3</sp-address>"
            + "</peer></vpn-configuration></ce-device>");
        final var peers = (MapNode) path(out, "ce-device", "vpn-configuration", "peer");
        assertEquals(1, peers.body().size());
        assertEquals(entry(path(ceConfig(), "ce-device", "vpn-configuration", "peer"), "192.0.2.3").toString(),
            entry(peers, "192.0.2.3").toString());
    }

    @Test
    void specificElementsOfASpecificEntry() {                // §6.4.6
        final var out = filter("<ce-device " + CE + "><vpn-configuration><peer><sp-address>192.0.2.3</sp-address>"
            + "<ce-id/><tunnel-information><idle-timeout/></tunnel-information></peer></vpn-configuration></ce-device>");
        final var peer = entry(path(out, "ce-device", "vpn-configuration", "peer"), "192.0.2.3");
        assertEquals(List.of("ce-id", "sp-address", "tunnel-information"), childNames(peer));
        assertEquals(List.of("idle-timeout"), childNames(FilterTestSupport.child(peer, "tunnel-information")));
        assertNull(entry(path(out, "ce-device", "vpn-configuration", "peer"), "192.0.2.2"));
    }

    @Test
    void multipleSubtreesAreUnited() {                       // §6.4.7
        final var out = filter("<ce-device " + CE + "><vpn-configuration>"
            + "<peer><sp-address>192.0.2.2</sp-address><vpn-id/></peer>"
            + "<peer><sp-address>192.0.2.3</sp-address><authentication-method/></peer>"
            + "<peer><sp-address>192.0.2.2</sp-address><ce-id/></peer>"
            + "</vpn-configuration><ce-id/></ce-device>");
        final var peers = path(out, "ce-device", "vpn-configuration", "peer");
        assertEquals(List.of("ce-id", "sp-address", "vpn-id"), childNames(entry(peers, "192.0.2.2")));
        assertEquals(List.of("authentication-method", "sp-address"), childNames(entry(peers, "192.0.2.3")));
        assertEquals("ce1", path(out, "ce-device", "ce-id").body());
    }

    @Test
    void attributeMatchNeverMatchesOurAttributeFreeData() {  // §6.4.8 / §6.2.2
        final var out = filter("<ce-device " + CE + "><vpn-configuration><peer xmlns:t=\"urn:example\" "
            + "t:name=\"x\"/></vpn-configuration><ce-id/></ce-device>");
        assertNull(path(out, "ce-device", "vpn-configuration"));
        assertNotNull(path(out, "ce-device", "ce-id"));
    }

    @Test
    void namespaceSelection() {                              // §6.2.1
        assertTrue(filter("<ce-device xmlns=\"urn:example:other\"/>").body().isEmpty());
        // No namespace: the name matches in any module.
        final var out = filter("<ce-device xmlns=\"\"><ce-id/></ce-device>");
        assertEquals("ce1", path(out, "ce-device", "ce-id").body());
    }

    @Test
    void failedContentMatchSuppressesTheParent() {
        assertTrue(filter("<ce-device " + CE + "><ce-id>ce9</ce-id><vpn-configuration/></ce-device>").body().isEmpty());
        final var out = filter("<ce-device " + CE + "><ce-id>ce1</ce-id><pre-configuration><timers/></pre-configuration></ce-device>");
        assertEquals(List.of("ce-id", "pre-configuration"), childNames(path(out, "ce-device")));
    }

    @Test
    void leafListContentMatchAndChoices() {
        final var out = filter("<ce-device " + CE + "><vpn-configuration><peer><remote-prefix>10.3.0.0/16</remote-prefix>"
            + "</peer></vpn-configuration><pre-configuration><vpn-server><port/></vpn-server></pre-configuration></ce-device>");
        final var peers = path(out, "ce-device", "vpn-configuration", "peer");
        assertEquals(1, ((MapNode) peers).body().size(), "only peer 192.0.2.3 has that remote prefix");
        assertNotNull(entry(peers, "192.0.2.3"));
        // port sits in the 'address' case of the 'location' choice: found through it, returned inside it.
        assertEquals(List.of("port"), childNames(path(out, "ce-device", "pre-configuration", "vpn-server")));
    }

    @Test
    void contentMatchCannotProbeDataNacmHides() {
        // NACM first, filter second: a content match on a hidden pre-shared key selects nothing,
        // so a user cannot guess a secret by filtering on it.
        final var nacm = new org.cevpn.netconf.nacm.Nacm(PolicyTestData.schema(), java.util.Set.of());
        final var visible = nacm.filterRead(org.cevpn.netconf.nacm.NacmUser.of("olivia"), ceConfig());
        final var f = element("<filter xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><ce-device " + CE
            + "><vpn-configuration><peer><pre-shared-key>XBsOP5p9Lktvihw9Xn+bCixOb4obPV9+nAsqTW+OHDs=</pre-shared-key>"
            + "<ce-id/></peer></vpn-configuration></ce-device></filter>");
        assertTrue(new SubtreeFilter(PolicyTestData.schema(), f).apply(visible).body().isEmpty());
        assertNotNull(path(new SubtreeFilter(PolicyTestData.schema(), f).apply(ceConfig()), "ce-device"));
    }

    @Test
    void binaryAndEnumerationContentMatch() {
        final var out = filter("<ce-device " + CE + "><vpn-configuration><peer>"
            + "<pre-shared-key>XBsOP5p9Lktvihw9Xn+bCixOb4obPV9+nAsqTW+OHDs=</pre-shared-key><ce-id/></peer>"
            + "<peer><authentication-method>digital-signature</authentication-method><ce-id/></peer>"
            + "</vpn-configuration></ce-device>");
        final var peers = path(out, "ce-device", "vpn-configuration", "peer");
        assertEquals("ce2", FilterTestSupport.child(entry(peers, "192.0.2.2"), "ce-id").body());
        assertEquals("ce3", FilterTestSupport.child(entry(peers, "192.0.2.3"), "ce-id").body());
    }
}

package org.cevpn.netconf.filter;

import static org.cevpn.netconf.filter.FilterTestSupport.ceConfig;
import static org.cevpn.netconf.filter.FilterTestSupport.child;
import static org.cevpn.netconf.filter.FilterTestSupport.entry;
import static org.cevpn.netconf.filter.FilterTestSupport.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.nacm.PolicyTestData;
import org.cevpn.netconf.validation.ValidationException;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.junit.jupiter.api.Test;

class WithDefaultsTest {
    private final WithDefaults withDefaults = new WithDefaults(PolicyTestData.schema());

    private static org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode vpn(
            final org.opendaylight.yangtools.yang.data.api.schema.ContainerNode root) {
        return entry(path(root, "ce-device", "vpn-configuration", "vpn"), "acme");
    }

    @Test
    void explicitIsWhatWasWritten() {
        assertEquals(ceConfig().toString(), withDefaults.apply(ceConfig(), WithDefaults.Mode.EXPLICIT, true).toString());
    }

    @Test
    void reportAllAddsDefaultsOfExistingNodes() {
        final var all = withDefaults.apply(ceConfig(), WithDefaults.Mode.REPORT_ALL, true);
        // sa-defaults/child-sa exists without lifetime-octets (default 0).
        assertNull(path(vpn(ceConfig()), "sa-defaults", "child-sa", "lifetime-octets"));
        assertEquals(Uint64.ZERO, path(vpn(all), "sa-defaults", "child-sa", "lifetime-octets").body());
        // Peer 192.0.2.3's presence container ike has no lifetime: the default 86400 appears.
        final var peer3 = entry(path(all, "ce-device", "vpn-configuration", "peer"), "192.0.2.3");
        assertEquals(Uint32.valueOf(86400), path(peer3, "sa-information", "ike", "lifetime").body());
        // Peer 192.0.2.2 has no presence containers ike/child-sa: report-all does not create them, and its
        // idle-timeout sits under a when (traffic-driven only): not invented either.
        final var peer2 = entry(path(all, "ce-device", "vpn-configuration", "peer"), "192.0.2.2");
        assertNull(child(peer2, "sa-information"));
        assertNull(path(peer2, "tunnel-information", "idle-timeout"));
        // Written values are untouched.
        assertEquals(Uint32.valueOf(600), path(peer3, "tunnel-information", "idle-timeout").body());
    }

    @Test
    void trimRemovesLeavesEqualToTheirDefault() {
        final var trimmed = withDefaults.apply(ceConfig(), WithDefaults.Mode.TRIM, true);
        // encr-aes-gcm-16 is the default of sa-defaults/ike/encryption-algorithm; 256 of the key length.
        assertNotNull(path(vpn(ceConfig()), "sa-defaults", "ike", "encryption-algorithm"));
        assertNull(path(vpn(trimmed), "sa-defaults", "ike", "encryption-algorithm"));
        assertNull(path(vpn(trimmed), "sa-defaults", "ike", "encryption-key-length"));
        // 'permanent' is establishment's default; peer 3's traffic-driven stays.
        final var peers = path(trimmed, "ce-device", "vpn-configuration", "peer");
        assertNull(path(entry(peers, "192.0.2.2"), "tunnel-information", "establishment"));
        assertEquals("traffic-driven", path(entry(peers, "192.0.2.3"), "tunnel-information", "establishment").body());
        // Keys are never trimmed, non-default values stay.
        assertNotNull(child(entry(peers, "192.0.2.2"), "sp-address"));
        assertEquals("ce1", path(trimmed, "ce-device", "ce-id").body());
    }

    @Test
    void reportAllTaggedMarksDefaultValuedLeaves() {
        final var all = withDefaults.apply(ceConfig(), WithDefaults.Mode.REPORT_ALL_TAGGED, true);
        final var xml = FilterTestSupport.toXml(all);
        final int tagged = withDefaults.tagDefaults(xml);
        assertTrue(tagged > 5, "tagged " + tagged);
        final var lifetimeOctets = xml.getElementsByTagNameNS(FilterTestSupport.CE, "lifetime-octets").item(0);
        assertEquals("true", ((org.w3c.dom.Element) lifetimeOctets).getAttributeNS(WithDefaults.WD_NAMESPACE, "default"));
        // A non-default value carries no tag.
        final var ceId = (org.w3c.dom.Element) xml.getElementsByTagNameNS(FilterTestSupport.CE, "ce-id").item(0);
        assertEquals("", ceId.getAttributeNS(WithDefaults.WD_NAMESPACE, "default"));
        // Tagged count equals what trim would remove plus what report-all added.
        final var trimmedXml = FilterTestSupport.toXml(withDefaults.apply(ceConfig(), WithDefaults.Mode.TRIM, true));
        assertEquals(0, withDefaults.tagDefaults(trimmedXml));
    }

    @Test
    void reportAllReportsNonPresenceContainersDefaultsWhichNacmThenHides() {
        final var all = withDefaults.apply(ceConfig(), WithDefaults.Mode.REPORT_ALL, true);
        // /nacm is a non-presence container: it exists, so its defaults are reported (RFC 6243 §3.1) ...
        final var nacm = all.body().stream().filter(c -> c.name().getNodeType().getLocalName().equals("nacm"))
            .findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, child(nacm, "enable-nacm").body());
        assertEquals("deny", child(nacm, "write-default").body());
        // ... and, applied before NACM as the package documents, they stay hidden (nacm is default-deny-all).
        final var acl = new org.cevpn.netconf.nacm.Nacm(PolicyTestData.schema(), java.util.Set.of());
        assertTrue(acl.filterRead(org.cevpn.netconf.nacm.NacmUser.of("olivia"), all).body().stream()
            .noneMatch(c -> c.name().getNodeType().getLocalName().equals("nacm")));
    }

    @Test
    void unknownModeIsInvalidValue() {
        final var error = assertThrows(ValidationException.class, () -> WithDefaults.Mode.of("all")).errors().getFirst();
        assertEquals(ErrorTag.INVALID_VALUE, error.tag());
        assertTrue(WithDefaults.CAPABILITY.contains("basic-mode=explicit"));
    }
}

package org.cevpn.netconf.filter;

import static org.cevpn.netconf.filter.FilterTestSupport.ceConfig;
import static org.cevpn.netconf.filter.FilterTestSupport.childNames;
import static org.cevpn.netconf.filter.FilterTestSupport.element;
import static org.cevpn.netconf.filter.FilterTestSupport.entry;
import static org.cevpn.netconf.filter.FilterTestSupport.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.nacm.PolicyTestData;
import org.cevpn.netconf.validation.ValidationException;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.junit.jupiter.api.Test;

class XPathFilterTest {
    private static final String NC = "urn:ietf:params:xml:ns:netconf:base:1.0";

    private static Filter parse(final String filterXml) throws ValidationException {
        return Filter.parse(PolicyTestData.schema(), element(filterXml), true);
    }

    private static ContainerNode select(final String select) throws ValidationException {
        return parse("<filter xmlns=\"" + NC + "\" xmlns:c=\"" + FilterTestSupport.CE + "\" type=\"xpath\" select=\""
            + select + "\"/>").apply(ceConfig());
    }

    @Test
    void selectsNodesWithAncestorsAndKeys() throws Exception {
        final var out = select("/c:ce-device/c:vpn-configuration/c:peer[c:sp-address='192.0.2.3']/c:ce-id");
        final var peers = (MapNode) path(out, "ce-device", "vpn-configuration", "peer");
        assertEquals(1, peers.body().size());
        assertEquals(List.of("ce-id", "sp-address"), childNames(entry(peers, "192.0.2.3")));
        assertEquals(List.of("vpn-configuration"), childNames(path(out, "ce-device")));
    }

    @Test
    void predicatesOnValuesAndWholeSubtrees() throws Exception {
        final var out = select("//c:peer[c:tunnel-information/c:establishment='traffic-driven']");
        final var peers = path(out, "ce-device", "vpn-configuration", "peer");
        assertNull(entry(peers, "192.0.2.2"));
        assertEquals(entry(path(ceConfig(), "ce-device", "vpn-configuration", "peer"), "192.0.2.3").toString(),
            entry(peers, "192.0.2.3").toString());
        // Text nodes select their element; a union selects both.
        final var two = select("/c:ce-device/c:ce-id/text() | //c:timers/c:pull-interval");
        assertEquals(List.of("ce-id", "pre-configuration"), childNames(path(two, "ce-device")));
        assertTrue(select("/c:ce-device/c:nothing-here").body().isEmpty());
        assertEquals(ceConfig().toString(), select("/").toString());
    }

    @Test
    void prefixesComeFromTheFilterElementScope() throws Exception {
        final var f = Filter.parse(PolicyTestData.schema(), (org.w3c.dom.Element) element(
            "<rpc xmlns=\"" + NC + "\" xmlns:dev=\"" + FilterTestSupport.CE + "\"><get><filter type=\"xpath\" "
            + "select=\"/dev:ce-device/dev:ce-id\"/></get></rpc>").getElementsByTagNameNS(NC, "filter").item(0), true);
        assertInstanceOf(Filter.XPath.class, f);
        assertEquals("ce1", path(f.apply(ceConfig()), "ce-device", "ce-id").body());
    }

    @Test
    void badFiltersGetRpcErrors() {
        final var badSyntax = assertThrows(ValidationException.class, () -> select("/c:ce-device[")).errors().getFirst();
        assertEquals(ErrorTag.INVALID_VALUE, badSyntax.tag());
        final var unbound = assertThrows(ValidationException.class, () -> select("/x:ce-device")).errors().getFirst();
        assertEquals(ErrorTag.INVALID_VALUE, unbound.tag());
        final var noSelect = assertThrows(ValidationException.class,
            () -> parse("<filter xmlns=\"" + NC + "\" type=\"xpath\"/>")).errors().getFirst();
        assertEquals(ErrorTag.MISSING_ATTRIBUTE, noSelect.tag());
        assertTrue(noSelect.toXml().contains("<bad-attribute>select</bad-attribute>"), noSelect.toXml());
        final var badType = assertThrows(ValidationException.class,
            () -> parse("<filter xmlns=\"" + NC + "\" type=\"regex\"/>")).errors().getFirst();
        assertEquals(ErrorTag.BAD_ATTRIBUTE, badType.tag());
        final var noCapability = assertThrows(ValidationException.class, () -> Filter.parse(PolicyTestData.schema(),
            element("<filter xmlns=\"" + NC + "\" type=\"xpath\" select=\"/\"/>"), false)).errors().getFirst();
        assertEquals(ErrorTag.BAD_ATTRIBUTE, noCapability.tag());
    }

    @Test
    void defaultTypeIsSubtreeAndAbsentFilterIsAll() throws Exception {
        assertInstanceOf(Filter.Subtree.class, parse("<filter xmlns=\"" + NC + "\"/>"));
        assertInstanceOf(Filter.All.class, Filter.parse(PolicyTestData.schema(), null, true));
    }
}

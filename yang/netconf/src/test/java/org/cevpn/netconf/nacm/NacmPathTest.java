package org.cevpn.netconf.nacm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.opendaylight.yangtools.yang.common.QName;
import org.junit.jupiter.api.Test;

class NacmPathTest {
    private static QName ce(final String name) {
        return QName.create(PolicyTestData.schema().moduleByNamespace(NacmTest.CE).orElseThrow().getQNameModule(), name);
    }

    private static NacmPath parse(final String text) {
        return NacmPath.parse(text, "cevpn-ce-device", PolicyTestData.schema());
    }

    private static final List<DataStep> PEER2_PSK = List.of(DataStep.of(ce("ce-device")),
        DataStep.of(ce("vpn-configuration")), new DataStep(ce("peer"), Map.of(ce("sp-address"), "192.0.2.2"), null),
        DataStep.of(ce("pre-shared-key")));

    @Test
    void prefixesAreModulePrefixesOrModuleNamesAndUnprefixedStepsInherit() {
        final var byPrefix = parse("/ce:ce-device/ce:vpn-configuration/ce:peer[ce:sp-address='192.0.2.2']");
        final var byName = parse("/cevpn-ce-device:ce-device/vpn-configuration/peer[sp-address=\"192.0.2.2\"]");
        assertEquals(byPrefix, byName);
        final var unprefixed = parse("/ce-device/vpn-configuration");
        assertEquals(ce("vpn-configuration"), unprefixed.steps().get(1).name());
    }

    @Test
    void matchesTheNodeAndItsDescendantsWithKeys() {
        assertTrue(parse("/ce:ce-device/ce:vpn-configuration/ce:peer[ce:sp-address='192.0.2.2']").matches(PEER2_PSK));
        assertTrue(parse("/ce:ce-device/ce:vpn-configuration/ce:peer").matches(PEER2_PSK), "no predicate: every entry");
        assertFalse(parse("/ce:ce-device/ce:vpn-configuration/ce:peer[ce:sp-address='192.0.2.3']").matches(PEER2_PSK));
        assertFalse(parse("/ce:ce-device/ce:pre-configuration").matches(PEER2_PSK));
        assertFalse(parse("/ce:ce-device/ce:vpn-configuration/ce:peer/ce:pre-shared-key/ce:deeper").matches(PEER2_PSK));
        assertTrue(parse("/").matches(PEER2_PSK), "'/' is all data");
    }

    @Test
    void malformedPathsAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("ce:ce-device")).getMessage()
            .contains("absolute"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("/x:ce-device")).getMessage()
            .contains("unknown prefix"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("/ce:peer[ce:sp-address=1]")).getMessage()
            .contains("not quoted"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("/ce:peer[ce:sp-address='1'")).getMessage()
            .contains("unterminated"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("/ce:peer[sp-address]")).getMessage()
            .contains("without '='"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("/ce:ce-device//ce:peer")).getMessage()
            .contains("empty step"));
        // The secret-looking predicate value never appears in the reason.
        assertFalse(assertThrows(IllegalArgumentException.class, () -> parse("/ce:peer[ce:k='s3cret'"))
            .getMessage().contains("s3cret"));
    }
}

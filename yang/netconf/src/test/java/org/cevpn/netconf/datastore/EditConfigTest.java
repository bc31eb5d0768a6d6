package org.cevpn.netconf.datastore;

import static org.cevpn.netconf.datastore.DsTestSchema.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cevpn.netconf.ErrorTag;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/** RFC 6241 §7.2 edit-config semantics on the ds-test model. */
class EditConfigTest {
    private final EditConfig edit = new EditConfig(DsTestSchema.schema(), DsTestSchema.parser());
    private final DataXml xml = new DataXml(DsTestSchema.schema());

    private ContainerNode apply(final ContainerNode root, final String body, final EditOperation def)
            throws RpcException {
        final var result = edit.apply(root, config(body), def, ErrorOption.ROLLBACK_ON_ERROR);
        assertTrue(result.errors().isEmpty(), result.errors().toString());
        return result.root();
    }

    private String text(final ContainerNode root) {
        return xml.toXmlString(root, "data");
    }

    private ContainerNode base() throws RpcException {
        return apply(EditConfig.emptyRoot(), "<name>ce1</name><mtu>1400</mtu>"
            + "<peer><name>a</name><address>10.0.0.1</address><tag>x</tag><udp/></peer>"
            + "<peer><name>b</name><address>10.0.0.2</address></peer>", EditOperation.MERGE);
    }

    @Test
    void mergeAddsAndChangesLeavesKeepingTheRest() throws RpcException {
        final var root = apply(base(), "<mtu>1500</mtu><peer><name>a</name><tag>y</tag></peer>", EditOperation.MERGE);
        final var out = text(root);
        assertTrue(out.contains("<mtu>1500</mtu>"), out);
        assertTrue(out.contains("<name>ce1</name>"), out);
        assertTrue(out.contains("<tag>x</tag>") && out.contains("<tag>y</tag>"), out);
        assertTrue(out.contains("<address>10.0.0.1</address>"), out);
    }

    @Test
    void replaceOfAListEntryDropsWhatTheEditDoesNotName() throws RpcException {
        final var root = apply(base(), "<peer nc:operation=\"replace\"><name>a</name><address>10.9.9.9</address></peer>",
            EditOperation.MERGE);
        final var out = text(root);
        assertTrue(out.contains("10.9.9.9"), out);
        assertFalse(out.contains("<tag>x</tag>"), out);
        assertFalse(out.contains("<udp/>") || out.contains("<udp></udp>"), out);
        assertTrue(out.contains("10.0.0.2"), "the other entry stays: " + out);
    }

    @Test
    void defaultOperationReplaceReplacesTheWholeTop() throws RpcException {
        final var root = apply(base(), "<name>ce2</name>", EditOperation.REPLACE);
        final var out = text(root);
        assertTrue(out.contains("ce2"), out);
        assertFalse(out.contains("peer"), out);
    }

    @Test
    void createOfAnExistingEntryIsDataExistsAndChangesNothing() throws RpcException {
        final var before = base();
        final var e = assertThrows(RpcException.class, () -> edit.apply(before,
            config("<peer nc:operation=\"create\"><name>a</name><address>1.1.1.1</address></peer>"),
            EditOperation.MERGE, ErrorOption.ROLLBACK_ON_ERROR));
        assertEquals(ErrorTag.DATA_EXISTS, e.errors().get(0).tag());
        assertEquals("/ds:top/ds:peer[ds:name='a']", e.errors().get(0).path().xpath());
    }

    @Test
    void deleteOfAMissingNodeIsDataMissingWhileRemoveIsQuiet() throws RpcException {
        final var before = base();
        final var e = assertThrows(RpcException.class, () -> edit.apply(before,
            config("<peer nc:operation=\"delete\"><name>zz</name></peer>"), EditOperation.MERGE,
            ErrorOption.ROLLBACK_ON_ERROR));
        assertEquals(ErrorTag.DATA_MISSING, e.errors().get(0).tag());
        assertEquals("/ds:top/ds:peer[ds:name='zz']", e.errors().get(0).path().xpath());
        assertEquals(text(before), text(apply(before, "<peer nc:operation=\"remove\"><name>zz</name></peer>",
            EditOperation.MERGE)));
    }

    @Test
    void deleteRemovesEntriesLeavesAndLeafListValues() throws RpcException {
        final var root = apply(base(), "<mtu nc:operation=\"delete\"/><peer nc:operation=\"delete\"><name>b</name></peer>"
            + "<peer><name>a</name><tag nc:operation=\"delete\">x</tag></peer>", EditOperation.NONE);
        final var out = text(root);
        assertFalse(out.contains("mtu"), out);
        assertFalse(out.contains("10.0.0.2"), out);
        assertFalse(out.contains("<tag>"), out);
        assertTrue(out.contains("10.0.0.1"), out);
    }

    @Test
    void noneLeavesUnmarkedDataAlone() throws RpcException {
        final var root = apply(base(), "<mtu>9000</mtu><name nc:operation=\"merge\">ce9</name>", EditOperation.NONE);
        final var out = text(root);
        assertTrue(out.contains("<mtu>1400</mtu>"), out);
        assertTrue(out.contains("ce9"), out);
    }

    @Test
    void noneCreatesTheLevelsAboveAnExplicitCreate() throws RpcException {
        final var root = apply(EditConfig.emptyRoot(),
            "<peer><name>n</name><address nc:operation=\"create\">1.2.3.4</address></peer>", EditOperation.NONE);
        assertTrue(text(root).contains("<peer><name>n</name><address>1.2.3.4</address></peer>"), text(root));
    }

    @Test
    void choiceCasesAreReachedThroughTheChoiceNode() throws RpcException {
        final var root = apply(base(), "<peer><name>b</name><tcp-port>443</tcp-port></peer>", EditOperation.MERGE);
        assertTrue(text(root).contains("<tcp-port>443</tcp-port>"), text(root));
        final var removed = apply(root, "<peer><name>b</name><tcp-port nc:operation=\"delete\"/></peer>",
            EditOperation.MERGE);
        assertFalse(text(removed).contains("tcp-port"), text(removed));
    }

    @Test
    void presenceContainerMergedEmptyIsCreated() throws RpcException {
        final var root = apply(base(), "<debug/>", EditOperation.MERGE);
        assertTrue(text(root).contains("<debug"), text(root));
    }

    @Test
    void errorOptionsDecideWhatStays() throws RpcException {
        final var before = base();
        final var body = "<name>changed</name><peer nc:operation=\"delete\"><name>zz</name></peer>"
            + "<mtu>2000</mtu><peer nc:operation=\"create\"><name>a</name><address>1.1.1.1</address></peer>";
        // stop-on-error: the step before the error stays, nothing after it runs
        final var stop = edit.apply(before, config(body), EditOperation.MERGE, ErrorOption.STOP_ON_ERROR);
        assertEquals(1, stop.errors().size());
        assertTrue(text(stop.root()).contains("changed"));
        assertTrue(text(stop.root()).contains("<mtu>1400</mtu>"));
        // continue-on-error: every good step applied, every error reported
        final var cont = edit.apply(before, config(body), EditOperation.MERGE, ErrorOption.CONTINUE_ON_ERROR);
        assertEquals(2, cont.errors().size());
        assertEquals(ErrorTag.DATA_MISSING, cont.errors().get(0).tag());
        assertEquals(ErrorTag.DATA_EXISTS, cont.errors().get(1).tag());
        assertTrue(text(cont.root()).contains("changed") && text(cont.root()).contains("<mtu>2000</mtu>"));
        // rollback-on-error: nothing
        assertThrows(RpcException.class, () -> edit.apply(before, config(body), EditOperation.MERGE,
            ErrorOption.ROLLBACK_ON_ERROR));
    }

    @Test
    void badOperationValueIsBadAttribute() throws RpcException {
        final var result = edit.apply(EditConfig.emptyRoot(),
            config("<name nc:operation=\"frobnicate\">x</name>"), EditOperation.MERGE, ErrorOption.STOP_ON_ERROR);
        assertEquals(ErrorTag.BAD_ATTRIBUTE, result.errors().get(0).tag());
        assertEquals("/ds:top/ds:name", result.errors().get(0).path().xpath());
        assertFalse(text(result.root()).contains("<name>"), text(result.root()));
    }

    @Test
    void invalidValuesAndUnknownElementsAreRefusedByTheSharedParser() {
        final var range = assertThrows(RpcException.class, () -> edit.apply(EditConfig.emptyRoot(),
            config("<mtu>10</mtu>"), EditOperation.MERGE, ErrorOption.STOP_ON_ERROR));
        assertEquals(ErrorTag.INVALID_VALUE, range.errors().get(0).tag());
        final var unknown = assertThrows(RpcException.class, () -> edit.apply(EditConfig.emptyRoot(),
            config("<nosuch>1</nosuch>"), EditOperation.MERGE, ErrorOption.STOP_ON_ERROR));
        assertEquals(ErrorTag.UNKNOWN_ELEMENT, unknown.errors().get(0).tag());
    }
}

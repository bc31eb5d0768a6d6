package org.cevpn.netconf.validation;

import org.cevpn.testing.ExternalTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.junit.jupiter.api.Test;

/**
 * Each rule kind against the small test modules vt-types/vt-test: one valid document, then one change at a
 * time that breaks exactly one rule, checking error-tag, error-app-tag and error-path.
 */
class ValidationRulesTest {
    private static final String VALID;

    static {
        try {
            VALID = Files.readString(Path.of("src/test/resources/data/valid.xml"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Every document the tests validated, with our verdict, for the libyang cross-check below. */
    private static final java.util.Map<String, Boolean> VERDICTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<RpcError> errorsOf(final String xml) {
        final var errors = TestSchemas.validateXml(TestSchemas.vtTest(), xml);
        VERDICTS.put(xml, errors.isEmpty());
        return errors;
    }

    /**
     * libyang must reach the same verdict (accept/refuse) on every document these tests validated: an
     * independent check of our must/when/deref/default/unique semantics. yanglint reads the data elements
     * without the NETCONF {@code <config>} wrapper.
     */
    @org.junit.jupiter.api.AfterAll
    static void yanglintReachesTheSameVerdicts(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception {
        final var yanglint = ExternalTools.program("yanglint", "libyang2-tools");
        final var disagreements = new java.util.ArrayList<String>();
        int n = 0;
        for (var entry : VERDICTS.entrySet()) {
            final var file = dir.resolve("doc" + n++ + ".xml");
            Files.writeString(file, entry.getKey().replaceFirst("(?s)^\\s*<config[^>]*>", "")
                .replaceFirst("(?s)</config>\\s*$", ""));
            final var run = yanglint.run(List.of("-t", "config", "src/test/resources/yang/vt-types.yang",
                "src/test/resources/yang/vt-test.yang", file.toString()));
            if ((run.exitCode() == 0) != entry.getValue()) {
                disagreements.add((entry.getValue() ? "we accept" : "we refuse") + ", yanglint "
                    + (run.exitCode() == 0 ? "accepts" : "refuses: " + run.output().strip()) + "\n" + entry.getKey());
            }
        }
        assertTrue(n > 30, "too few documents recorded: " + n);
        assertTrue(disagreements.isEmpty(), () -> String.join("\n----\n", disagreements));
    }

    /** The document with one literal replacement, which must apply. */
    private static String with(final String from, final String to) {
        assertTrue(VALID.contains(from), "test bug: fragment not in valid.xml: " + from);
        return VALID.replace(from, to);
    }

    private static RpcError single(final List<RpcError> errors) {
        assertEquals(1, errors.size(), () -> "expected one rpc-error, got: " + describe(errors));
        return errors.getFirst();
    }

    private static void assertError(final List<RpcError> errors, final ErrorTag tag, final String appTag,
            final String path) {
        final var e = single(errors);
        assertEquals(tag, e.tag(), () -> describe(errors));
        assertEquals(appTag, e.appTag(), () -> describe(errors));
        assertEquals(path, e.path().xpath(), () -> describe(errors));
    }

    private static String describe(final List<RpcError> errors) {
        return errors.stream().map(RpcError::toString).collect(Collectors.joining("\n"));
    }

    private static final String PEER_A = "/vt:device/vt:peer[vt:name='branch-a']";
    private static final String PEER_B = "/vt:device/vt:peer[vt:name='branch-b']";

    @Test
    void validDocumentIsAccepted() {
        assertEquals(List.of(), errorsOf(VALID));
    }

    // ---- types (yangtools' codecs, mapped to rpc-errors with a path) ----

    @Test
    void outOfRangeIsInvalidValue() {
        assertError(errorsOf(with("<name>hub-1</name>", "<name>hub-1</name><mtu>100</mtu>")),
            ErrorTag.INVALID_VALUE, null, "/vt:device/vt:mtu");
    }

    @Test
    void patternViolationCarriesTheModelsAppTagAndMessage() {
        final var e = single(errorsOf(with("<name>branch-b</name>\n      <address>", "<name>Branch_B</name>\n      <address>")));
        assertEquals(ErrorTag.INVALID_VALUE, e.tag());
        assertEquals("bad-peer-name", e.appTag());
        assertEquals("a peer name is lowercase letters, digits and '-'", e.message());
    }

    @Test
    void badLengthNeverEchoesTheSecret() {
        final var errors = errorsOf(with("<psk>0123456789abcdef</psk>", "<psk>s3cr3t-psk</psk>"));
        assertError(errors, ErrorTag.INVALID_VALUE, null, PEER_A + "/vt:psk");
        assertFalse(errors.getFirst().toXml().contains("s3cr3t-psk"), errors.getFirst().toXml());
    }

    @Test
    void wrongLexicalTypeIsInvalidValue() {
        assertError(errorsOf(with("<rekey>3600</rekey>", "<rekey>hourly</rekey>")),
            ErrorTag.INVALID_VALUE, null, "/vt:device/vt:limits/vt:rekey");
    }

    // ---- strictness ----

    @Test
    void unknownElementIsRefusedWithItsPath() {
        final var errors = errorsOf(with("<udp/>", "<udp/><colour>blue</colour>"));
        assertError(errors, ErrorTag.UNKNOWN_ELEMENT, null, PEER_A + "/vt:colour");
        assertEquals("colour", errors.getFirst().info().getFirst().text());
    }

    @Test
    void unknownNamespaceIsRefusedAtItsParent() {
        assertError(errorsOf(with("<ntp>", "<x xmlns=\"urn:example:nowhere\">1</x><ntp>")),
            ErrorTag.UNKNOWN_NAMESPACE, null, "/vt:device");
    }

    @Test
    void listEntryWithoutKeyIsMissingElement() {
        assertError(errorsOf(with("<name>branch-b</name>", "")), ErrorTag.MISSING_ELEMENT, null, "/vt:device/vt:peer");
    }

    // ---- duplicates (yangtools would merge them silently) ----

    @Test
    void duplicateListKeyIsRefused() {
        assertError(errorsOf(with("<name>branch-b</name>", "<name>branch-a</name>")),
            ErrorTag.OPERATION_FAILED, "data-not-unique", PEER_A);
    }

    @Test
    void duplicateLeafListValueIsRefused() {
        assertError(errorsOf(with("<ntp>192.0.2.123</ntp>", "<ntp>192.0.2.123</ntp><ntp>192.0.2.123</ntp>")),
            ErrorTag.OPERATION_FAILED, "data-not-unique", "/vt:device/vt:ntp[.='192.0.2.123']");
    }

    // ---- mandatory, choice, cardinality ----

    @Test
    void mandatoryLeafInListEntryIsDataMissing() {
        // (branch-a's backup must compares with branch-b's address: drop the backup to isolate the rule)
        assertError(errorsOf(with("<address>192.0.2.3</address>", "").replace("<backup>branch-b</backup>", "")),
            ErrorTag.DATA_MISSING, null, PEER_B + "/vt:address");
    }

    @Test
    void mandatoryLeafDirectlyUnderTopLevelContainer() {
        // settings is a top-level non-presence container: absent, it still must hold site-id.
        final var doc = VALID.replaceAll("(?s)<settings .*</settings>", "");
        assertError(errorsOf(doc), ErrorTag.DATA_MISSING, null, "/vt:settings/vt:site-id");
        assertError(errorsOf(with("<site-id>7</site-id>", "")), ErrorTag.DATA_MISSING, null, "/vt:settings/vt:site-id");
        assertError(errorsOf(with("<name>hub-1</name>", "")), ErrorTag.DATA_MISSING, null, "/vt:device/vt:name");
    }

    @Test
    void mandatoryLeafInNestedNonPresenceContainer() {
        assertError(errorsOf(with("<limits><rekey>3600</rekey></limits>", "")), ErrorTag.DATA_MISSING, null,
            "/vt:device/vt:limits/vt:rekey");
    }

    @Test
    void presenceContainerOnlyRequiresItsMandatoryLeafWhenPresent() {
        assertError(errorsOf(with("<ntp>", "<debug/><ntp>")), ErrorTag.DATA_MISSING, null,
            "/vt:device/vt:debug/vt:level");
        assertEquals(List.of(), errorsOf(with("<ntp>", "<debug><level>2</level></debug><ntp>")));
    }

    @Test
    void mandatoryChoiceWithoutCaseIsMissingChoice() {
        final var e = single(errorsOf(with("<tcp-port>4500</tcp-port>", "")));
        assertEquals(ErrorTag.DATA_MISSING, e.tag());
        assertEquals("missing-choice", e.appTag());
        assertEquals(PEER_B, e.path().xpath());
        assertEquals("transport", e.info().getFirst().text());
    }

    @Test
    void twoCasesOfOneChoiceIsBadElement() {
        final var e = single(errorsOf(with("<tcp-port>4500</tcp-port>", "<tcp-port>4500</tcp-port><udp/>")));
        assertEquals(ErrorTag.BAD_ELEMENT, e.tag());
    }

    @Test
    void minElements() {
        assertError(errorsOf(with("<ntp>192.0.2.123</ntp>", "")), ErrorTag.OPERATION_FAILED, "too-few-elements",
            "/vt:device/vt:ntp");
    }

    @Test
    void maxElementsOfLeafListAndList() {
        assertError(errorsOf(with("<ntp>", "<dns>a</dns><dns>b</dns><dns>c</dns><ntp>")),
            ErrorTag.OPERATION_FAILED, "too-many-elements", "/vt:device/vt:dns");
        final var peers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            peers.append("<peer><name>p").append(i).append("</name><address>10.0.0.").append(i)
                .append("</address><udp/></peer>");
        }
        final var errors = errorsOf(with("<ntp>", peers + "<ntp>").replace("<flags>dpd</flags>",
            "<flags>dpd</flags><max-peers>10</max-peers>"));
        assertError(errors, ErrorTag.OPERATION_FAILED, "too-many-elements", "/vt:device/vt:peer");
    }

    // ---- unique ----

    @Test
    void uniqueViolationNamesTheClashingEntriesAndLeaves() {
        final var errors = errorsOf(with("<address>192.0.2.3</address>", "<address>192.0.2.2</address>")
            .replace("<tcp-port>4500</tcp-port>", "<udp/>").replace("<backup>branch-b</backup>", ""));
        assertEquals(2, errors.size(), () -> describe(errors));
        for (var e : errors) {
            assertEquals(ErrorTag.OPERATION_FAILED, e.tag());
            assertEquals("data-not-unique", e.appTag());
            assertEquals(2, e.info().size());
            assertEquals("non-unique", e.info().getFirst().localName());
        }
        assertEquals(List.of(PEER_A, PEER_B), errors.stream().map(e -> e.path().xpath()).sorted().toList());
        // port is a default (500) on both: defaults count for unique (RFC 7950 §7.8.3)
        assertTrue(errors.getFirst().info().get(1).text().endsWith("/vt:port"));
    }

    // ---- references ----

    @Test
    void danglingLeafrefIsInstanceRequired() {
        final var errors = errorsOf(with("<backup>branch-b</backup>", "<backup>branch-z</backup>"));
        // The backup's must (deref(.)/../address != ...) is false too: deref() of a dangling leafref is empty.
        assertEquals(2, errors.size(), () -> describe(errors));
        final var e = errors.stream().filter(x -> x.tag() == ErrorTag.DATA_MISSING).findFirst().orElseThrow();
        assertEquals("instance-required", e.appTag());
        assertEquals(PEER_A + "/vt:backup", e.path().xpath());
    }

    @Test
    void danglingInstanceIdentifierIsInstanceRequired() {
        assertError(errorsOf(with("[v:name='branch-a']/v:address", "[v:name='branch-q']/v:address")),
            ErrorTag.DATA_MISSING, "instance-required", "/vt:settings/vt:device-ref");
    }

    // ---- must, with each XPath function ----

    @Test
    void mustWithDerefAndCurrent() {
        final var e = single(errorsOf(with("<address>192.0.2.3</address>", "<address>192.0.2.2</address><port>4500</port>")));
        assertEquals("backup-same-address", e.appTag());
        assertEquals("a backup peer must have another address", e.message());
        assertEquals(PEER_A + "/vt:backup", e.path().xpath());
    }

    @Test
    void mustWithDerivedFrom() {
        // cert-name needs an auth derived from certificate; branch-a uses the default, pre-shared
        assertError(errorsOf(with("<udp/>", "<cert-name>a.example</cert-name><udp/>")),
            ErrorTag.OPERATION_FAILED, "cert-needs-certificate-auth", PEER_A + "/vt:cert-name");
    }

    @Test
    void mustWithReMatch() {
        assertError(errorsOf(with("<label>AB-12</label>", "<label>ab-12</label>")), ErrorTag.OPERATION_FAILED,
            "bad-label", PEER_A + "/vt:label");
    }

    @Test
    void mustWithEnumValue() {
        assertError(errorsOf(with("<needs-dpd/>", "<needs-dpd/><only-when-traffic-driven>true</only-when-traffic-driven>")),
            ErrorTag.OPERATION_FAILED, "enum-check", PEER_A + "/vt:only-when-traffic-driven");
        assertEquals(List.of(), errorsOf(with("<needs-dpd/>",
            "<needs-dpd/><only-when-traffic-driven>true</only-when-traffic-driven>")
            .replace("<flags>dpd</flags>", "<flags>dpd</flags><mode>traffic-driven</mode>")
            .replace("<extra><rx>5</rx></extra>", "")));
    }

    @Test
    void mustWithBitIsSet() {
        assertError(errorsOf(with("<flags>dpd</flags>", "<flags>nat-t</flags>")), ErrorTag.OPERATION_FAILED,
            "bit-check", PEER_A + "/vt:needs-dpd");
    }

    @Test
    void mustSeesDefaultValues() {
        // max-peers defaults to 3: a fourth peer breaks its must although max-peers is not in the document
        final var errors = errorsOf(with("<ntp>", "<peer><name>c</name><address>10.9.9.9</address><udp/></peer>"
            + "<peer><name>d</name><address>10.9.9.8</address><udp/></peer><ntp>"));
        assertError(errors, ErrorTag.OPERATION_FAILED, "peer-limit", "/vt:device/vt:max-peers");
        assertEquals("more peers than max-peers", errors.getFirst().message());
    }

    @Test
    void mustWithoutAppTagUsesMustViolation() throws Exception {
        // vt-test has no such must; the CE model's ones carry app-tags. Check the default through the code path
        // with an identity must of vt-types' derived-from-or-self in a when instead (see whenWithDerivedFromOrSelf).
        assertEquals("must-violation", defaultMustAppTag());
    }

    private static String defaultMustAppTag() {
        final var errors = TestSchemas.validateXml(TestSchemas.vtMust(), """
            <top xmlns="urn:cevpn:test:vt-must"><low>5</low><high>3</high></top>""");
        return single(errors).appTag();
    }

    // ---- when ----

    @Test
    void whenOnLeafFalseIsUnknownElement() {
        assertError(errorsOf(with("<ntp>", "<idle-timeout>60</idle-timeout><ntp>")), ErrorTag.UNKNOWN_ELEMENT,
            null, "/vt:device/vt:idle-timeout");
    }

    @Test
    void whenWithDerivedFromOrSelf() {
        // psk is only for pre-shared auth: branch-b authenticates with an RSA certificate
        assertError(errorsOf(with("<cert-name>b.example</cert-name>", "<cert-name>b.example</cert-name><psk>0123456789abcdef</psk>")),
            ErrorTag.UNKNOWN_ELEMENT, null, PEER_B + "/vt:psk");
    }

    @Test
    void whenOnAugment() {
        assertError(errorsOf(with("<ntp>", "<trigger>dns</trigger><ntp>")), ErrorTag.UNKNOWN_ELEMENT, null,
            "/vt:device/vt:trigger");
    }

    @Test
    void whenOnUses() {
        assertError(errorsOf(with("<flags>dpd</flags>", "<flags>dpd</flags><mode>traffic-driven</mode>")),
            ErrorTag.UNKNOWN_ELEMENT, null, "/vt:device/vt:extra/vt:rx");
    }

    // ---- config false ----

    @Test
    void stateDataIsRefusedInConfigurationButAcceptedWithState() throws Exception {
        final var doc = with("<ntp>", "<stats><up>true</up></stats><ntp>");
        assertError(errorsOf(doc), ErrorTag.INVALID_VALUE, null, "/vt:device/vt:stats");
        final var schema = TestSchemas.vtTest();
        final var root = new InstanceDocumentParser(schema, Limits.DEFAULT).parse(
            new java.io.ByteArrayInputStream(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            InstanceDocumentParser.Format.XML);
        assertEquals(List.of(), new DatastoreValidator(schema).validate(root,
            DatastoreValidator.Scope.CONFIG_AND_STATE).errors());
    }

    @Test
    void stateLeafListMayRepeatAValueConfigurationMayNot() throws Exception {
        final var doc = with("<ntp>", "<stats><event>flap</event><event>flap</event></stats><ntp>");
        final var schema = TestSchemas.vtTest();
        final var root = new InstanceDocumentParser(schema, Limits.DEFAULT).parse(
            new java.io.ByteArrayInputStream(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            InstanceDocumentParser.Format.XML);
        assertEquals(List.of(), new DatastoreValidator(schema).validate(root,
            DatastoreValidator.Scope.CONFIG_AND_STATE).errors());
    }

    @Test
    void errorsAreCollectedNotJustTheFirst() {
        final var errors = errorsOf(with("<label>AB-12</label>", "<label>x</label>")
            .replace("<address>192.0.2.3</address>", "").replace("<backup>branch-b</backup>", ""));
        assertEquals(2, errors.size(), () -> describe(errors));
    }
}

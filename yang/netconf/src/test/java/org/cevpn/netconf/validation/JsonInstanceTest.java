package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.junit.jupiter.api.Test;

/** RFC 7951 JSON goes through the same rules as XML, and errors carry the same data paths. */
class JsonInstanceTest {
    private static String valid() throws Exception {
        return Files.readString(Path.of("src/test/resources/data/valid.json"));
    }

    private static List<RpcError> errorsOf(final String json) {
        return TestSchemas.validate(TestSchemas.vtTest(), json, InstanceDocumentParser.Format.JSON);
    }

    private static void assertSingle(final List<RpcError> errors, final ErrorTag tag, final String appTag,
            final String path) {
        assertEquals(1, errors.size(), errors::toString);
        assertEquals(tag, errors.getFirst().tag(), errors::toString);
        assertEquals(appTag, errors.getFirst().appTag(), errors::toString);
        assertEquals(path, errors.getFirst().path().xpath(), errors::toString);
    }

    @Test
    void validJsonIsAcceptedAndEqualsTheXmlDocument() throws Exception {
        assertEquals(List.of(), errorsOf(valid()));
        final var schema = TestSchemas.vtTest();
        final var parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        final var fromJson = parser.parse(new ByteArrayInputStream(valid().getBytes(StandardCharsets.UTF_8)),
            InstanceDocumentParser.Format.JSON);
        final var fromXml = parser.parse(Files.newInputStream(Path.of("src/test/resources/data/valid.xml")),
            InstanceDocumentParser.Format.XML);
        assertEquals(fromXml, fromJson);
    }

    @Test
    void typeErrorInListEntryHasKeyedPath() throws Exception {
        assertSingle(errorsOf(valid().replace("\"tcp-port\": 4500", "\"tcp-port\": 70000")), ErrorTag.INVALID_VALUE,
            null, "/vt:device/vt:peer[vt:name='branch-b']/vt:tcp-port");
    }

    @Test
    void unknownMemberIsUnknownElement() throws Exception {
        final var errors = errorsOf(valid().replace("\"cert-name\"", "\"colour\": \"red\", \"cert-name\""));
        assertEquals(ErrorTag.UNKNOWN_ELEMENT, errors.getFirst().tag(), errors::toString);
    }

    @Test
    void unknownModuleIsUnknownNamespace() throws Exception {
        final var errors = errorsOf(valid().replace("\"vt-test:settings\"", "\"nowhere:settings\""));
        assertEquals(ErrorTag.UNKNOWN_NAMESPACE, errors.getFirst().tag(), errors::toString);
    }

    @Test
    void duplicateKeyInJson() throws Exception {
        assertSingle(errorsOf(valid().replace("\"name\": \"branch-b\"", "\"name\": \"branch-a\"")),
            ErrorTag.OPERATION_FAILED, "data-not-unique", "/vt:device/vt:peer[vt:name='branch-a']");
    }

    @Test
    void missingKeyInJson() throws Exception {
        assertSingle(errorsOf(valid().replace("\"name\": \"branch-b\",", "")), ErrorTag.MISSING_ELEMENT, null,
            "/vt:device/vt:peer");
    }

    @Test
    void mustAndWhenApplyToJsonToo() throws Exception {
        assertSingle(errorsOf(valid().replace("\"label\": \"AB-12\"", "\"label\": \"nope\"")),
            ErrorTag.OPERATION_FAILED, "bad-label", "/vt:device/vt:peer[vt:name='branch-a']/vt:label");
    }
}

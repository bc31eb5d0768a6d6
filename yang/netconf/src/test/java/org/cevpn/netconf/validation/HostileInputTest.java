package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile documents are refused quickly, with a clear rpc-error, and without touching anything outside. */
class HostileInputTest {
    private static final Duration QUICK = Duration.ofSeconds(5);

    private static ValidationException refuse(final String doc, final InstanceDocumentParser.Format format,
            final Limits limits) {
        final var parser = new InstanceDocumentParser(TestSchemas.vtTest(), limits);
        return assertTimeoutPreemptively(QUICK, () -> assertThrows(ValidationException.class,
            () -> parser.parse(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), format)));
    }

    private static void assertProtocolError(final ValidationException e, final ErrorTag tag, final String words) {
        assertEquals(1, e.errors().size(), e::getMessage);
        final var error = e.errors().getFirst();
        // RFC 6241 Appendix A: malformed-message is an rpc-layer error; too-big here is the protocol layer's.
        assertEquals(tag == ErrorTag.MALFORMED_MESSAGE ? ErrorType.RPC : ErrorType.PROTOCOL, error.type());
        assertEquals(tag, error.tag(), e::getMessage);
        assertTrue(error.message().contains(words), error.message());
    }

    @Test
    void billionLaughsIsRefusedBeforeAnyExpansion() {
        final var doc = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        doc.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            doc.append("<!ENTITY lol").append(i).append(" \"");
            doc.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        doc.append("]>\n<device xmlns=\"urn:cevpn:test:vt-test\"><name>&lol9;</name></device>");
        assertProtocolError(refuse(doc.toString(), InstanceDocumentParser.Format.XML, Limits.DEFAULT),
            ErrorTag.MALFORMED_MESSAGE, "DOCTYPE");
    }

    @Test
    void externalEntityIsNeverRead(@TempDir final java.nio.file.Path dir) throws Exception {
        final var secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        final var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
            + "<device xmlns=\"urn:cevpn:test:vt-test\"><name>&xxe;</name></device>";
        final var e = refuse(doc, InstanceDocumentParser.Format.XML, Limits.DEFAULT);
        assertProtocolError(e, ErrorTag.MALFORMED_MESSAGE, "DOCTYPE");
        assertFalse(e.errors().getFirst().toXml().contains("TOP-SECRET"));
    }

    @Test
    void undeclaredEntityReferenceIsMalformed() {
        assertProtocolError(refuse("<device xmlns=\"urn:cevpn:test:vt-test\"><name>&boom;</name></device>",
            InstanceDocumentParser.Format.XML, Limits.DEFAULT), ErrorTag.MALFORMED_MESSAGE, "");
    }

    @Test
    void deepNestingIsRefused() {
        final int depth = 100_000;
        final var doc = "<a>".repeat(depth) + "</a>".repeat(depth);
        assertProtocolError(refuse(doc, InstanceDocumentParser.Format.XML, Limits.DEFAULT), ErrorTag.TOO_BIG,
            "nesting");
    }

    @Test
    void deepJsonNestingIsRefused() {
        final int depth = 100_000;
        final var doc = "{\"vt-test:device\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertProtocolError(refuse(doc, InstanceDocumentParser.Format.JSON, Limits.DEFAULT), ErrorTag.TOO_BIG,
            "nesting");
    }

    @Test
    void hugeDocumentIsRefusedWhileStreaming() {
        // An endless stream: the limit must stop reading, not wait for the end or buffer it all.
        final var endless = new InputStream() {
            private final byte[] chunk = "<name>x</name>".getBytes(StandardCharsets.UTF_8);
            private long served;

            @Override
            public int read() {
                return chunk[(int) (served++ % chunk.length)];
            }
        };
        final var parser = new InstanceDocumentParser(TestSchemas.vtTest(), new Limits(1 << 20, 64));
        final var e = assertTimeoutPreemptively(QUICK, () -> assertThrows(ValidationException.class,
            () -> parser.parse(endless, InstanceDocumentParser.Format.XML)));
        assertProtocolError(e, ErrorTag.TOO_BIG, "size limit");
    }

    @Test
    void predefinedEntitiesCharacterReferencesAndCdataAreOrdinaryData() throws Exception {
        final var doc = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/data/valid.xml"))
            .replace("<cert-name>b.example</cert-name>",
                "<cert-name>b&amp;c &lt;&#233;&gt; <![CDATA[x<y]]></cert-name>");
        final var schema = TestSchemas.vtTest();
        final var root = new InstanceDocumentParser(schema, Limits.DEFAULT).parse(
            new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), InstanceDocumentParser.Format.XML);
        assertTrue(root.toString().contains("b&c <\u00e9> x<y"), root::toString);
    }

    @Test
    void malformedXmlIsMalformedMessage() {
        assertProtocolError(refuse("<device xmlns=\"urn:cevpn:test:vt-test\"><name>x</nam></device>",
            InstanceDocumentParser.Format.XML, Limits.DEFAULT), ErrorTag.MALFORMED_MESSAGE, "not well-formed");
    }

    @Test
    void malformedJsonIsMalformedMessage() {
        assertProtocolError(refuse("{\"vt-test:device\": {\"name\": }", InstanceDocumentParser.Format.JSON,
            Limits.DEFAULT), ErrorTag.MALFORMED_MESSAGE, "JSON");
        assertProtocolError(refuse("[1, 2]", InstanceDocumentParser.Format.JSON, Limits.DEFAULT),
            ErrorTag.MALFORMED_MESSAGE, "object");
    }
}

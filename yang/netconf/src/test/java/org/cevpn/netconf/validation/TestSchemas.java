package org.cevpn.netconf.validation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.cevpn.netconf.RpcError;

/** The small test modules under src/test/resources/yang, loaded once. */
final class TestSchemas {
    private static YangSchema vtTest;
    private static YangSchema vtMust;

    private TestSchemas() {
    }

    static synchronized YangSchema vtTest() {
        if (vtTest == null) {
            try {
                vtTest = new SchemaContextLoader(TestSchemas.class.getClassLoader())
                    .load(name -> false, List.of(Path.of("src/test/resources/yang")));
            } catch (SchemaLoadException e) {
                throw new AssertionError(e);
            }
        }
        return vtTest;
    }

    /** A module whose must has neither error-app-tag nor error-message. */
    static synchronized YangSchema vtMust() {
        if (vtMust == null) {
            try {
                vtMust = new SchemaContextLoader(TestSchemas.class.getClassLoader())
                    .load(name -> false, List.of(Path.of("src/test/resources/yang-must")));
            } catch (SchemaLoadException e) {
                throw new AssertionError(e);
            }
        }
        return vtMust;
    }

    /** Parses and validates an XML config document; the errors (empty when valid). */
    static List<RpcError> validateXml(final YangSchema schema, final String xml) {
        return validate(schema, xml, InstanceDocumentParser.Format.XML);
    }

    static List<RpcError> validate(final YangSchema schema, final String text,
            final InstanceDocumentParser.Format format) {
        final var parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        try {
            final var root = parser.parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                format);
            return new DatastoreValidator(schema).validate(root, DatastoreValidator.Scope.CONFIG).errors();
        } catch (ValidationException e) {
            return e.errors();
        }
    }
}

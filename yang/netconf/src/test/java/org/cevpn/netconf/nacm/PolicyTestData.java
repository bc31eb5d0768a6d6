package org.cevpn.netconf.nacm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.cevpn.netconf.validation.SchemaLoadException;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/**
 * The schema a NETCONF server on our models runs with (cevpn modules plus ietf-netconf, ietf-netconf-acm and
 * RFC 5277's modules), and the realistic documents of yang/models/examples, shared by the policy tests.
 */
public final class PolicyTestData {
    private static YangSchema schema;

    private PolicyTestData() {
    }

    public static synchronized YangSchema schema() {
        if (schema == null) {
            try {
                schema = new SchemaContextLoader(PolicyTestData.class.getClassLoader()).load(
                    name -> name.startsWith("cevpn-") || name.startsWith("ietf-netconf@")
                        || name.startsWith("ietf-netconf-acm") || name.startsWith("nc-notifications")
                        || name.startsWith("notifications@"), List.of());
            } catch (SchemaLoadException e) {
                throw new AssertionError(e);
            }
        }
        return schema;
    }

    /** An example document of yang/models/examples (relative path below it). */
    public static String example(final String relative) {
        try {
            return Files.readString(Path.of("../models/examples").resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses XML data (one or several top-level elements) into a datastore root. */
    public static ContainerNode parse(final String xml) {
        try {
            return new InstanceDocumentParser(schema(), Limits.DEFAULT).parseXml(xml.getBytes(StandardCharsets.UTF_8));
        } catch (ValidationException e) {
            throw new AssertionError(e.errors().toString(), e);
        }
    }

    /** Strips the XML declaration and comments of an example so documents can be concatenated. */
    public static String body(final String xml) {
        return xml.replaceAll("(?s)<\\?xml.*?\\?>", "").replaceAll("(?s)<!--.*?-->", "");
    }
}

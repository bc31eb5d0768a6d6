package org.cevpn.netconf.datastore;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.cevpn.netconf.validation.SchemaLoadException;
import org.cevpn.netconf.validation.YangSchema;
import org.w3c.dom.Element;

/** The small ds-test module (src/test/resources/org/cevpn/netconf/datastore), loaded once. */
public final class DsTestSchema {
    public static final String NS = "urn:cevpn:test:ds-test";
    private static YangSchema schema;

    private DsTestSchema() {
    }

    public static synchronized YangSchema schema() {
        if (schema == null) {
            try {
                schema = new SchemaContextLoader(DsTestSchema.class.getClassLoader())
                    .load(name -> false, List.of(Path.of("src/test/resources/org/cevpn/netconf/datastore")));
            } catch (SchemaLoadException e) {
                throw new AssertionError(e);
            }
        }
        return schema;
    }

    public static InstanceDocumentParser parser() {
        return new InstanceDocumentParser(schema(), Limits.DEFAULT);
    }

    public static DatastoreValidator validator() {
        return new DatastoreValidator(schema());
    }

    /** {@code <config>} holding {@code <top xmlns=ds-test>body</top>} (the nc prefix is bound). */
    public static Element config(final String topBody) {
        return element("<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" "
            + "xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><top xmlns=\"" + NS + "\">" + topBody
            + "</top></config>");
    }

    public static Element element(final String xml) {
        try {
            return DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

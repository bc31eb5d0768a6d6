package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.netconf.ErrorInfo;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/** The document shapes the parser takes: a NETCONF <config> element, one data element, or sibling elements. */
class InstanceDocumentParserTest {
    private static final Path VALID = Path.of("src/test/resources/data/valid.xml");

    private static ContainerNode parseFile() throws Exception {
        return new InstanceDocumentParser(TestSchemas.vtTest(), Limits.DEFAULT)
            .parse(Files.newInputStream(VALID), InstanceDocumentParser.Format.XML);
    }

    @Test
    void configElementOfAnEditConfigRequest() throws Exception {
        final var rpc = "<rpc xmlns=\"" + ErrorInfo.NETCONF_BASE + "\" message-id=\"1\"><edit-config>"
            + "<target><candidate/></target>" + Files.readString(VALID) + "</edit-config></rpc>";
        final var doc = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(rpc.getBytes(StandardCharsets.UTF_8)));
        final var config = (org.w3c.dom.Element) doc.getElementsByTagNameNS(ErrorInfo.NETCONF_BASE, "config").item(0);
        final var parsed = new InstanceDocumentParser(TestSchemas.vtTest(), Limits.DEFAULT).parseXml(config);
        assertEquals(parseFile(), parsed);
    }

    @Test
    void singleDataElementIsParsedWithoutTouchingTheCallersDocument() throws Exception {
        final var doc = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(VALID.toFile());
        final var device = (org.w3c.dom.Element) doc.getDocumentElement().getElementsByTagNameNS(
            "urn:cevpn:test:vt-test", "device").item(0);
        final var parent = device.getParentNode();
        final var parsed = new InstanceDocumentParser(TestSchemas.vtTest(), Limits.DEFAULT).parseXml(device);
        assertSame(parent, device.getParentNode());
        assertEquals(1, parsed.body().size());
    }

    @Test
    void siblingTopLevelElementsWithoutWrapperAsYanglintReadsThem() throws Exception {
        final var text = Files.readString(VALID);
        final var fragment = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + text.substring(text.indexOf('\n') + 1, text.lastIndexOf("</config>"));
        final var parsed = new InstanceDocumentParser(TestSchemas.vtTest(), Limits.DEFAULT).parse(
            new ByteArrayInputStream(fragment.getBytes(StandardCharsets.UTF_8)), InstanceDocumentParser.Format.XML);
        assertEquals(parseFile(), parsed);
    }
}

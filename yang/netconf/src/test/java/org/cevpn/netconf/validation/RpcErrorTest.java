package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorPath;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The rpc-error element (RFC 6241 §4.3) is well-formed and namespace-correct. */
class RpcErrorTest {
    private static Element parse(final String xml) throws Exception {
        final var dbf = DocumentBuilderFactory.newDefaultNSInstance();
        return dbf.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
            .getDocumentElement();
    }

    private static String text(final Element parent, final String name) {
        return parent.getElementsByTagNameNS(ErrorInfo.NETCONF_BASE, name).item(0).getTextContent();
    }

    @Test
    void allFieldsRoundTripThroughXml() throws Exception {
        final var path = new ErrorPath("/ce:ce-device/ce:peer[ce:name='a<b&\"c']", Map.of("ce", "urn:x:ce"));
        final var error = new RpcError(ErrorType.APPLICATION, ErrorTag.OPERATION_FAILED, ErrorSeverity.ERROR,
            "data-not-unique", path, "two <entries> & more",
            List.of(ErrorInfo.nonUnique(new ErrorPath("/ce:a/ce:b", Map.of("ce", "urn:x:ce"))),
                ErrorInfo.badElement("peer")));
        final var root = parse(error.toXml());
        assertEquals("rpc-error", root.getLocalName());
        assertEquals(ErrorInfo.NETCONF_BASE, root.getNamespaceURI());
        assertEquals("application", text(root, "error-type"));
        assertEquals("operation-failed", text(root, "error-tag"));
        assertEquals("error", text(root, "error-severity"));
        assertEquals("data-not-unique", text(root, "error-app-tag"));
        assertEquals(path.xpath(), text(root, "error-path"));
        assertEquals("two <entries> & more", text(root, "error-message"));
        final var pathElement = (Element) root.getElementsByTagNameNS(ErrorInfo.NETCONF_BASE, "error-path").item(0);
        assertEquals("urn:x:ce", pathElement.lookupNamespaceURI("ce"));
        final var nonUnique = (Element) root.getElementsByTagNameNS(ErrorInfo.YANG, "non-unique").item(0);
        assertEquals("/ce:a/ce:b", nonUnique.getTextContent());
        assertEquals("urn:x:ce", nonUnique.lookupNamespaceURI("ce"));
        assertEquals("peer", text(root, "bad-element"));
    }

    @Test
    void optionalFieldsAreLeftOut() throws Exception {
        final var root = parse(RpcError.protocol(ErrorTag.MALFORMED_MESSAGE, "bad").toXml());
        assertEquals(0, root.getElementsByTagNameNS(ErrorInfo.NETCONF_BASE, "error-app-tag").getLength());
        assertEquals(0, root.getElementsByTagNameNS(ErrorInfo.NETCONF_BASE, "error-path").getLength());
        assertEquals(0, root.getElementsByTagNameNS(ErrorInfo.NETCONF_BASE, "error-info").getLength());
        assertEquals("protocol", text(root, "error-type"));
    }

    @Test
    void controlCharactersCannotBreakTheDocument() throws Exception {
        final var root = parse(RpcError.protocol(ErrorTag.MALFORMED_MESSAGE, "bad\u0001byte").toXml());
        assertEquals("bad?byte", text(root, "error-message"));
    }

    @Test
    void prefixesAreStrippedForComparison() {
        assertEquals("/ce-device/peer[sp-address='192.0.2.2:1']/ce-id",
            ErrorPath.stripPrefixes("/ce:ce-device/ce:peer[ce:sp-address='192.0.2.2:1']/ce:ce-id"));
    }
}

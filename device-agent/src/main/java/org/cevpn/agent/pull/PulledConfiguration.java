package org.cevpn.agent.pull;

import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The pull-configuration reply's {@code vpn-configuration} (cevpn-vpn-database namespace, same grouping as the
 * CE's) as the edit that stores it at {@code /ce:ce-device/ce:vpn-configuration}: the same tree, renamed into the
 * CE model's namespace, replacing what the CE held.
 */
final class PulledConfiguration {
    static final String VDB = "urn:cevpn:params:xml:ns:yang:cevpn-vpn-database";
    private static final String NC = "urn:ietf:params:xml:ns:netconf:base:1.0";

    private PulledConfiguration() {
    }

    /** {@code <config><ce-device><vpn-configuration nc:operation="replace">…</vpn-configuration></ce-device></config>}. */
    static Element replacing(Element vpnConfiguration, String ceNamespace) {
        Document doc = newDocument();
        Element target = edit(doc, ceNamespace, "replace");
        // Prefixes the values may use (declared on the reply envelope or above).
        for (Node n = vpnConfiguration; n instanceof Element e; n = n.getParentNode()) {
            copyPrefixDeclarations(e, target);
        }
        for (Node c = vpnConfiguration.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node copy = copy(doc, c, ceNamespace);
            if (copy != null) {
                target.appendChild(copy);
            }
        }
        return doc.getDocumentElement();
    }

    /** The edit that deletes the CE's VPN configuration (the server does not know this CE any more, draft §3.6). */
    static Element removing(String ceNamespace) {
        Document doc = newDocument();
        edit(doc, ceNamespace, "remove");
        return doc.getDocumentElement();
    }

    /** The configuration-version the reply carries. */
    static Optional<Long> version(Element vpnConfiguration) {
        for (Node c = vpnConfiguration.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && "configuration-version".equals(e.getLocalName())) {
                try {
                    return Optional.of(Long.parseUnsignedLong(e.getTextContent().strip()));
                } catch (NumberFormatException ex) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Element edit(Document doc, String ceNamespace, String operation) {
        Element config = doc.createElementNS(NC, "config");
        doc.appendChild(config);
        Element device = doc.createElementNS(ceNamespace, "ce-device");
        config.appendChild(device);
        Element vc = doc.createElementNS(ceNamespace, "vpn-configuration");
        vc.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:nc", NC);
        vc.setAttributeNS(NC, "nc:operation", operation);
        device.appendChild(vc);
        return vc;
    }

    private static Node copy(Document doc, Node source, String ceNamespace) {
        if (source instanceof Element e) {
            String ns = VDB.equals(e.getNamespaceURI()) ? ceNamespace : e.getNamespaceURI();
            Element copy = doc.createElementNS(ns, e.getLocalName());
            copyPrefixDeclarations(e, copy);
            for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                Node child = copy(doc, c, ceNamespace);
                if (child != null) {
                    copy.appendChild(child);
                }
            }
            return copy;
        }
        if (source.getNodeType() == Node.TEXT_NODE || source.getNodeType() == Node.CDATA_SECTION_NODE) {
            return doc.createTextNode(source.getNodeValue());
        }
        return null;
    }

    private static void copyPrefixDeclarations(Element from, Element to) {
        var attrs = from.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI()) && a.getName().startsWith("xmlns:")
                    && !to.hasAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, a.getLocalName())) {
                to.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, a.getName(), a.getValue());
            }
        }
    }

    private static Document newDocument() {
        try {
            return DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("JDK DOM unavailable", e);
        }
    }
}

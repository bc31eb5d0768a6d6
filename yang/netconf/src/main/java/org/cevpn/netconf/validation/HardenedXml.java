package org.cevpn.netconf.validation;

import java.io.ByteArrayInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads untrusted XML into a DOM with StAX, refusing what could do harm: any DOCTYPE (so no entity
 * expansion and no external entities at all), entity references, nesting deeper than the limit and documents
 * larger than the limit. We build the DOM ourselves so that each refusal is decided here, by a clear rule,
 * and not by whichever JAXP implementation is on the classpath.
 */
public final class HardenedXml {
    private static final XMLInputFactory STAX;
    private static final DocumentBuilderFactory DOM;

    static {
        // The JDK's own implementations, never a provider found on the classpath.
        STAX = XMLInputFactory.newDefaultFactory();
        STAX.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        STAX.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        STAX.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        STAX.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        STAX.setProperty(XMLInputFactory.IS_COALESCING, true);
        STAX.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        DOM = DocumentBuilderFactory.newDefaultInstance();
        DOM.setNamespaceAware(true);
        try {
            DOM.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private HardenedXml() {
    }

    /** Parses a complete document; throws the rpc-error that explains a refusal. */
    public static Document parse(final byte[] bytes, final Limits limits) throws ValidationException {
        if (bytes.length > limits.maxBytes()) {
            throw tooBig("document is " + bytes.length + " bytes, above the limit of " + limits.maxBytes());
        }
        final Document doc;
        try {
            doc = DOM.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("JDK DOM unavailable", e);
        }
        XMLStreamReader in = null;
        try {
            in = STAX.createXMLStreamReader(new ByteArrayInputStream(bytes));
            Node current = doc;
            int depth = 0;
            while (in.hasNext()) {
                switch (in.next()) {
                    case XMLStreamConstants.DTD -> throw malformed("DOCTYPE declarations are not allowed");
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                        throw malformed("entity reference &" + in.getLocalName() + "; is not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++depth > limits.maxDepth()) {
                            throw tooBig("element nesting deeper than the limit of " + limits.maxDepth());
                        }
                        final Element element = startElement(doc, in);
                        current.appendChild(element);
                        current = element;
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        depth--;
                        current = current.getParentNode();
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (current != doc) {
                            current.appendChild(doc.createTextNode(in.getText()));
                        }
                    }
                    default -> {
                        // comments, processing instructions, start/end document: no data
                    }
                }
            }
        } catch (XMLStreamException e) {
            final var loc = e.getLocation();
            final var where = loc == null ? "" : " (line " + loc.getLineNumber() + ", column "
                + loc.getColumnNumber() + ")";
            throw malformed("XML is not well-formed" + where + ": " + rootMessage(e));
        } finally {
            if (in != null) {
                try {
                    in.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the byte array
                }
            }
        }
        if (doc.getDocumentElement() == null) {
            throw malformed("document has no root element");
        }
        return doc;
    }

    private static Element startElement(final Document doc, final XMLStreamReader in) {
        final var ns = in.getNamespaceURI();
        final var prefix = in.getPrefix();
        final var qualified = prefix == null || prefix.isEmpty() ? in.getLocalName() : prefix + ":" + in.getLocalName();
        final Element element = doc.createElementNS(ns == null || ns.isEmpty() ? null : ns, qualified);
        for (int i = 0; i < in.getNamespaceCount(); i++) {
            final var p = in.getNamespacePrefix(i);
            final var uri = in.getNamespaceURI(i);
            if (p == null || p.isEmpty()) {
                element.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", uri == null ? "" : uri);
            } else {
                element.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + p, uri);
            }
        }
        for (int i = 0; i < in.getAttributeCount(); i++) {
            final var ans = in.getAttributeNamespace(i);
            final var ap = in.getAttributePrefix(i);
            final var name = ap == null || ap.isEmpty() ? in.getAttributeLocalName(i)
                : ap + ":" + in.getAttributeLocalName(i);
            element.setAttributeNS(ans == null || ans.isEmpty() ? null : ans, name, in.getAttributeValue(i));
        }
        return element;
    }

    private static String rootMessage(final XMLStreamException e) {
        var msg = e.getMessage();
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        // The JDK prefixes "ParseError at [row,col]:[..]\nMessage: "; keep the message.
        final int at = msg.lastIndexOf("Message: ");
        return at >= 0 ? msg.substring(at + 9) : msg;
    }

    public static ValidationException malformed(final String message) {
        return new ValidationException(RpcError.malformedMessage(message));
    }

    public static ValidationException tooBig(final String message) {
        return new ValidationException(RpcError.protocol(ErrorTag.TOO_BIG, message));
    }
}

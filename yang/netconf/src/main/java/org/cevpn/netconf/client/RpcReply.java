package org.cevpn.netconf.client;

import static org.cevpn.netconf.DomElements.child;
import static org.cevpn.netconf.DomElements.children;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorPath;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.datastore.RpcException;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One {@code <rpc-reply>} (RFC 6241 §4.2): the element as received and its {@code <rpc-error>}s parsed into our
 * {@link RpcError} values (warnings included; {@link #orThrow} fails on errors of severity error only).
 */
public record RpcReply(Element element, List<RpcError> errors) {
    public RpcReply {
        errors = List.copyOf(errors);
    }

    static RpcReply parse(final Element reply) {
        final var errors = new ArrayList<RpcError>();
        for (Element child : children(reply)) {
            if ("rpc-error".equals(child.getLocalName()) && ErrorInfo.NETCONF_BASE.equals(child.getNamespaceURI())) {
                errors.add(error(child));
            }
        }
        return new RpcReply(reply, errors);
    }

    /** True when the reply is {@code <ok/>}. */
    public boolean ok() {
        return child(element, "ok") != null;
    }

    /** The reply element when it carries no error of severity error; else the errors as an RpcException. */
    public Element orThrow() throws RpcException {
        final var fatal = errors.stream().filter(e -> e.severity() == ErrorSeverity.ERROR).toList();
        if (!fatal.isEmpty()) {
            throw new RpcException(fatal);
        }
        return element;
    }

    private static RpcError error(final Element e) {
        final String typeText = text(e, "error-type");
        ErrorType type = ErrorType.APPLICATION;
        for (var t : ErrorType.values()) {
            if (t.xmlValue().equals(typeText)) {
                type = t;
            }
        }
        final String tagText = text(e, "error-tag");
        ErrorTag tag;
        String message = text(e, "error-message");
        try {
            tag = ErrorTag.ofXmlValue(tagText);
        } catch (IllegalArgumentException ex) {
            // A server that invents tags still failed: keep what it said.
            tag = ErrorTag.OPERATION_FAILED;
            message = "(error-tag " + tagText + ") " + message;
        }
        final var severity = "warning".equals(text(e, "error-severity")) ? ErrorSeverity.WARNING : ErrorSeverity.ERROR;
        final var pathElement = child(e, "error-path");
        final ErrorPath path = pathElement == null ? null
            : new ErrorPath(pathElement.getTextContent().strip(), namespacesInScope(pathElement));
        final var info = new ArrayList<ErrorInfo>();
        final var infoElement = child(e, "error-info");
        if (infoElement != null) {
            for (Element item : children(infoElement)) {
                info.add(new ErrorInfo(item.getNamespaceURI() == null ? "" : item.getNamespaceURI(), item.getLocalName(),
                    item.getTextContent().strip(), Map.of()));
            }
        }
        final String appTag = child(e, "error-app-tag") == null ? null : text(e, "error-app-tag");
        return new RpcError(type, tag, severity, appTag, path, message == null || message.isEmpty() ? tagText : message,
            info);
    }

    /** Prefix bindings visible at an element (the error-path's prefixes are declared on it or above it). */
    private static Map<String, String> namespacesInScope(final Element element) {
        final var map = new HashMap<String, String>();
        for (Node n = element; n instanceof Element el; n = n.getParentNode()) {
            final var attrs = el.getAttributes();
            for (int i = 0; i < attrs.getLength(); i++) {
                final var a = (Attr) attrs.item(i);
                if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI()) && a.getName().startsWith("xmlns:")) {
                    map.putIfAbsent(a.getLocalName(), a.getValue());
                }
            }
        }
        return map;
    }

    private static String text(final Element parent, final String name) {
        final var c = child(parent, name);
        return c == null ? "" : c.getTextContent().strip();
    }

}

package org.cevpn.netconf;

import java.util.List;
import java.util.Objects;

/**
 * One NETCONF {@code <rpc-error>} (RFC 6241 §4.3).
 *
 * @param type     error-type
 * @param tag      error-tag
 * @param severity error-severity
 * @param appTag   error-app-tag, or null
 * @param path     error-path, or null when the error is not about one data node
 * @param message  error-message: names the rule that failed; never carries secret values
 * @param info     error-info children, possibly empty
 */
public record RpcError(ErrorType type, ErrorTag tag, ErrorSeverity severity, String appTag, ErrorPath path,
        String message, List<ErrorInfo> info) {

    public RpcError {
        Objects.requireNonNull(type);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(severity);
        Objects.requireNonNull(message);
        info = List.copyOf(info);
    }

    /** An application-layer error, the common case for invalid data. */
    public static RpcError application(final ErrorTag tag, final String appTag, final ErrorPath path,
            final String message, final ErrorInfo... info) {
        return new RpcError(ErrorType.APPLICATION, tag, ErrorSeverity.ERROR, appTag, path, message, List.of(info));
    }

    /**
     * malformed-message: the message could not be parsed (not well-formed XML, a DOCTYPE, not an {@code <rpc>}).
     * RFC 6241 Appendix A gives it error-type {@code rpc}, the one tag whose only type is that; a client that
     * checks the pair (yangcli, ncclient's RPCError.type) sees the layer the RFC names.
     */
    public static RpcError malformedMessage(final String message) {
        return new RpcError(ErrorType.RPC, ErrorTag.MALFORMED_MESSAGE, ErrorSeverity.ERROR, null, null, message, List.of());
    }

    /** A protocol-layer error, for messages that exceed limits or break the protocol's rules. */
    public static RpcError protocol(final ErrorTag tag, final String message) {
        return new RpcError(ErrorType.PROTOCOL, tag, ErrorSeverity.ERROR, null, null, message, List.of());
    }

    /** The {@code <rpc-error>} element, in the NETCONF base namespace, with the prefixes error-path needs. */
    public String toXml() {
        final var xml = new StringBuilder(256);
        xml.append("<rpc-error xmlns=\"").append(ErrorInfo.NETCONF_BASE).append("\">\n");
        element(xml, "error-type", type.xmlValue());
        element(xml, "error-tag", tag.xmlValue());
        element(xml, "error-severity", severity.xmlValue());
        if (appTag != null) {
            element(xml, "error-app-tag", appTag);
        }
        if (path != null) {
            xml.append("  <error-path");
            path.sortedNamespaces().forEach((prefix, ns) -> xml.append(" xmlns:").append(prefix).append("=\"")
                .append(escape(ns)).append('"'));
            xml.append('>').append(escape(path.xpath())).append("</error-path>\n");
        }
        xml.append("  <error-message xml:lang=\"en\">").append(escape(message)).append("</error-message>\n");
        if (!info.isEmpty()) {
            xml.append("  <error-info>\n");
            for (var item : info) {
                xml.append("    <").append(item.localName());
                if (!item.namespace().equals(ErrorInfo.NETCONF_BASE)) {
                    xml.append(" xmlns=\"").append(escape(item.namespace())).append('"');
                }
                item.namespaces().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> xml.append(" xmlns:").append(e.getKey()).append("=\"")
                        .append(escape(e.getValue())).append('"'));
                xml.append('>').append(escape(item.text())).append("</").append(item.localName()).append(">\n");
            }
            xml.append("  </error-info>\n");
        }
        xml.append("</rpc-error>");
        return xml.toString();
    }

    private static void element(final StringBuilder xml, final String name, final String value) {
        xml.append("  <").append(name).append('>').append(escape(value)).append("</").append(name).append(">\n");
    }

    static String escape(final String text) {
        final var out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    // Control characters other than TAB/LF/CR are not legal in XML 1.0: replace, don't emit.
                    out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c);
                }
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return tag.xmlValue() + (appTag != null ? "/" + appTag : "") + (path != null ? " at " + path.xpath() : "")
            + ": " + message;
    }
}

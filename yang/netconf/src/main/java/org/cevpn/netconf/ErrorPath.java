package org.cevpn.netconf;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An absolute XPath naming a data node, as carried in {@code error-path}, together with the namespace
 * bindings of the prefixes it uses (an XML reader of the rpc-error needs them to resolve the path).
 *
 * @param xpath      e.g. {@code /ce:ce-device/ce:peer[ce:name='branch-2']/ce:address}
 * @param namespaces prefix to namespace URI, for every prefix in {@code xpath}
 */
public record ErrorPath(String xpath, Map<String, String> namespaces) {
    public ErrorPath {
        Objects.requireNonNull(xpath);
        namespaces = Map.copyOf(namespaces);
    }

    /** The path of the datastore root itself. */
    public static final ErrorPath ROOT = new ErrorPath("/", Map.of());

    /** The path with every prefix removed: a stable form for comparing paths written by different tools. */
    public String withoutPrefixes() {
        return stripPrefixes(xpath);
    }

    /** Removes {@code prefix:} from each name of an XPath (not inside quoted literals). */
    public static String stripPrefixes(final String xpath) {
        final var out = new StringBuilder(xpath.length());
        char quote = 0;
        int nameStart = -1;
        for (int i = 0; i < xpath.length(); i++) {
            final char c = xpath.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                nameStart = -1;
                out.append(c);
            } else if (c == ':' && nameStart >= 0) {
                out.setLength(nameStart);
                nameStart = out.length();
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.') {
                if (nameStart < 0) {
                    nameStart = out.length();
                }
                out.append(c);
            } else {
                nameStart = -1;
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return xpath;
    }

    /** Sorted prefix bindings, for stable output. */
    Map<String, String> sortedNamespaces() {
        return new TreeMap<>(namespaces);
    }
}

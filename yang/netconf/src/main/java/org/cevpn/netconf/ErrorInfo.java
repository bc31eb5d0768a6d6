package org.cevpn.netconf;

import java.util.Map;
import java.util.Objects;

/**
 * One child of {@code <error-info>}: e.g. {@code <bad-element>} (NETCONF base namespace) or
 * {@code <non-unique>} / {@code <missing-choice>} (YANG namespace, RFC 7950 §15).
 *
 * @param namespace  namespace URI of the element
 * @param localName  element name
 * @param text       element content
 * @param namespaces prefix bindings the content needs (an instance-identifier in {@code non-unique})
 */
public record ErrorInfo(String namespace, String localName, String text, Map<String, String> namespaces) {
    public static final String NETCONF_BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
    public static final String YANG = "urn:ietf:params:xml:ns:yang:1";

    public ErrorInfo {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(localName);
        Objects.requireNonNull(text);
        namespaces = Map.copyOf(namespaces);
    }

    /** {@code <bad-element>}: the name of the element at fault (RFC 6241 Appendix A). */
    public static ErrorInfo badElement(final String name) {
        return new ErrorInfo(NETCONF_BASE, "bad-element", name, Map.of());
    }

    /** {@code <non-unique>}: one leaf of an entry violating {@code unique} (RFC 7950 §15.1). */
    public static ErrorInfo nonUnique(final ErrorPath leaf) {
        return new ErrorInfo(YANG, "non-unique", leaf.xpath(), leaf.namespaces());
    }

    /** {@code <missing-choice>}: the name of a mandatory choice without a case (RFC 7950 §15.6). */
    public static ErrorInfo missingChoice(final String choiceName) {
        return new ErrorInfo(YANG, "missing-choice", choiceName, Map.of());
    }
}

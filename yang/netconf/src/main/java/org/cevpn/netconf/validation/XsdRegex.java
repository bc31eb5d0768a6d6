package org.cevpn.netconf.validation;

/**
 * XML Schema regular expressions (YANG {@code pattern}, {@code re-match()}) in java.util.regex terms: XSD
 * patterns are implicitly anchored, name Unicode blocks {@code \p{IsX}} where Java says {@code \p{InX}}, and
 * subtract classes with {@code [a-z-[aeiou]]} where Java intersects with a negation.
 */
final class XsdRegex {
    private XsdRegex() {
    }

    static String toJava(final String xsd) {
        final var out = new StringBuilder(xsd.length() + 8).append('^');
        int classDepth = 0;
        for (int i = 0; i < xsd.length(); i++) {
            final char c = xsd.charAt(i);
            if (c == '\\' && i + 1 < xsd.length()) {
                if (xsd.startsWith("p{Is", i + 1) || xsd.startsWith("P{Is", i + 1)) {
                    out.append('\\').append(xsd.charAt(i + 1)).append("{In");
                    i += 4;
                    continue;
                }
                out.append(c).append(xsd.charAt(++i));
            } else if (c == '[') {
                classDepth++;
                out.append(c);
                if (i + 1 < xsd.length() && xsd.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
            } else if (c == ']') {
                classDepth = Math.max(0, classDepth - 1);
                out.append(c);
            } else if (classDepth > 0 && c == '-' && i + 1 < xsd.length() && xsd.charAt(i + 1) == '[') {
                // class subtraction [a-z-[aeiou]] is intersection with the complement in Java
                out.append("&&[^");
                classDepth++;
                i++;
                if (i + 1 < xsd.length() && xsd.charAt(i + 1) == '^') {
                    throw new IllegalArgumentException("negated subtrahend class is not supported: " + xsd);
                }
            } else if (classDepth == 0 && (c == '^' || c == '$')) {
                // not anchors in XSD: literal characters
                out.append('\\').append(c);
            } else if (classDepth > 0 && (c == '&' || c == '[')) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.append('$').toString();
    }
}

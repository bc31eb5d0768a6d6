package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** YANG XPath to JAXP-ready XPath: prefixes, default namespace, functions, absolute paths. */
class XPathRewriterTest {
    private static final Map<String, String> PREFIXES = Map.of("ce", "c", "t", "ty");

    private static String rewrite(final String expression) {
        return XPathRewriter.rewrite(expression, p -> {
            final var mapped = PREFIXES.get(p);
            if (mapped == null) {
                throw new IllegalArgumentException("unknown prefix " + p);
            }
            return mapped;
        }, "c");
    }

    @Test
    void unprefixedNamesGetTheCurrentModule() {
        assertEquals("../c:peer/c:name = 'x'", rewrite("../peer/name = 'x'"));
    }

    @Test
    void prefixesAreMappedAndLiteralsKept() {
        assertEquals("c:a[t:b = 'ce:x and y']", rewrite("ce:a[t:b = 'ce:x and y']").replace("ty:", "t:"));
    }

    @Test
    void absolutePathsStartAtTheDataWrapper() {
        assertEquals("/ncroot:data/c:top/c:leaf", rewrite("/top/leaf"));
        assertEquals("/ncroot:data//c:leaf", rewrite("//leaf"));
        assertEquals("count(/ncroot:data/c:a) > 1", rewrite("count(/a) > 1"));
    }

    @Test
    void operatorNamesAndMultiplyAreNotNameTests() {
        assertEquals("c:a and c:b or c:div div 2 mod 3", rewrite("a and b or div div 2 mod 3"));
        assertEquals("c:a * 2", rewrite("a * 2"));
        assertEquals("c:a/*", rewrite("a/*"));
    }

    @Test
    void yangFunctionsGetThePrefixAndCoreFunctionsDoNot() {
        assertEquals("yfn:deref(.)/../c:address != yfn:current()/../c:address",
            rewrite("deref(.)/../address != current()/../address"));
        assertEquals("not(c:a) and string-length(c:b) > 0 and c:x/text()", rewrite("not(a) and string-length(b) > 0 and x/text()"));
    }

    @Test
    void identityLiteralOfDerivedFromIsQualified() {
        assertEquals("yfn:derived-from(../c:auth, 'ty:certificate')", rewrite("derived-from(../auth, 't:certificate')"));
        assertEquals("yfn:derived-from-or-self(c:auth, 'c:psk')", rewrite("derived-from-or-self(auth, 'psk')"));
        // other literals stay as written
        assertEquals("yfn:re-match(., 't:x')", rewrite("re-match(., 't:x')"));
    }

    @Test
    void axesAreKept() {
        assertEquals("ancestor::c:peer/child::c:name", rewrite("ancestor::peer/child::name"));
        assertEquals("following-sibling::*", rewrite("following-sibling::*"));
    }
}

package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** XSD regular expressions (RFC 7950 §9.4.5 patterns, re-match()) in java.util.regex. */
class XsdRegexTest {
    private static boolean matches(final String xsd, final String subject) {
        return Pattern.compile(XsdRegex.toJava(xsd)).matcher(subject).matches();
    }

    @Test
    void patternsAreAnchored() {
        assertTrue(matches("[a-z]+", "abc"));
        assertFalse(matches("[a-z]+", "abc1"));
    }

    @Test
    void rfc7950ReMatchExamples() {
        // RFC 7950 §10.2.1: re-match("1.22.333", "\d{1,3}\.\d{1,3}\.\d{1,3}") is true
        assertTrue(matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}", "1.22.333"));
        assertFalse(matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}", "1.22.333.4444"));
    }

    @Test
    void caretAndDollarAreLiteralOutsideClasses() {
        assertTrue(matches("a^b$", "a^b$"));
        assertTrue(matches("[^a]", "b"));
        assertFalse(matches("[^a]", "a"));
    }

    @Test
    void classSubtractionAndBlocks() {
        assertTrue(matches("[a-z-[aeiou]]+", "bcd"));
        assertFalse(matches("[a-z-[aeiou]]+", "bad"));
        assertTrue(matches("\\p{IsBasicLatin}+", "abc"));
        assertFalse(matches("\\p{IsBasicLatin}+", "\u00e9"));
    }
}

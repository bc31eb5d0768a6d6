package org.cevpn.netconf.datastore;

import java.util.Optional;

/** {@code <test-option>} of edit-config (RFC 6241 §8.6, :validate:1.1). */
public enum TestOption {
    /** Validate the resulting datastore; apply it only if valid (the default). */
    TEST_THEN_SET("test-then-set"),
    /** Apply without validating (the candidate only: running is always validated, see Datastores). */
    SET("set"),
    /** Validate the result and report; change nothing. */
    TEST_ONLY("test-only");

    private final String xmlValue;

    TestOption(final String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }

    public static Optional<TestOption> ofXmlValue(final String value) {
        for (var option : values()) {
            if (option.xmlValue.equals(value)) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }
}

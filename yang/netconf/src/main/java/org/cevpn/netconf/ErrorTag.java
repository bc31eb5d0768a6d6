package org.cevpn.netconf;

/** The NETCONF {@code error-tag} values of RFC 6241 Appendix A. */
public enum ErrorTag {
    IN_USE("in-use"),
    INVALID_VALUE("invalid-value"),
    TOO_BIG("too-big"),
    MISSING_ATTRIBUTE("missing-attribute"),
    BAD_ATTRIBUTE("bad-attribute"),
    UNKNOWN_ATTRIBUTE("unknown-attribute"),
    MISSING_ELEMENT("missing-element"),
    BAD_ELEMENT("bad-element"),
    UNKNOWN_ELEMENT("unknown-element"),
    UNKNOWN_NAMESPACE("unknown-namespace"),
    ACCESS_DENIED("access-denied"),
    LOCK_DENIED("lock-denied"),
    RESOURCE_DENIED("resource-denied"),
    ROLLBACK_FAILED("rollback-failed"),
    DATA_EXISTS("data-exists"),
    DATA_MISSING("data-missing"),
    OPERATION_NOT_SUPPORTED("operation-not-supported"),
    OPERATION_FAILED("operation-failed"),
    MALFORMED_MESSAGE("malformed-message");

    private final String xmlValue;

    ErrorTag(final String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }

    public static ErrorTag ofXmlValue(final String value) {
        for (var tag : values()) {
            if (tag.xmlValue.equals(value)) {
                return tag;
            }
        }
        throw new IllegalArgumentException("not a NETCONF error-tag: " + value);
    }
}

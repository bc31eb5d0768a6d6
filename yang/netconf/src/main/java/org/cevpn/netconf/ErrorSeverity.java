package org.cevpn.netconf;

/** The NETCONF {@code error-severity} (RFC 6241 §4.3). */
public enum ErrorSeverity {
    ERROR("error"),
    WARNING("warning");

    private final String xmlValue;

    ErrorSeverity(final String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }
}

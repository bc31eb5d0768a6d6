package org.cevpn.netconf;

/** The NETCONF {@code error-type} (RFC 6241 §4.3): the conceptual layer an error occurred in. */
public enum ErrorType {
    TRANSPORT("transport"),
    RPC("rpc"),
    PROTOCOL("protocol"),
    APPLICATION("application");

    private final String xmlValue;

    ErrorType(final String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }
}

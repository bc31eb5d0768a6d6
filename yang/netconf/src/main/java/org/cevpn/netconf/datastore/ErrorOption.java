package org.cevpn.netconf.datastore;

import java.util.Optional;

/** {@code <error-option>} of edit-config (RFC 6241 §7.2; rollback-on-error is §8.5). */
public enum ErrorOption {
    /** Abort at the first error; what was applied before it stays. */
    STOP_ON_ERROR("stop-on-error"),
    /** Apply everything that can be applied; report every error. */
    CONTINUE_ON_ERROR("continue-on-error"),
    /** All or nothing. */
    ROLLBACK_ON_ERROR("rollback-on-error");

    private final String xmlValue;

    ErrorOption(final String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }

    public static Optional<ErrorOption> ofXmlValue(final String value) {
        for (var option : values()) {
            if (option.xmlValue.equals(value)) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }
}

package org.cevpn.netconf.validation;

/** The YANG modules could not be found or do not form a valid schema. */
public final class SchemaLoadException extends Exception {
    public SchemaLoadException(final String message) {
        super(message);
    }

    public SchemaLoadException(final String message, final Throwable cause) {
        super(message, cause);
    }
}

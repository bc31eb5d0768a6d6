package org.cevpn.netconf.datastore;

import java.util.Optional;

/**
 * The {@code operation} attribute values of RFC 6241 §7.2, plus {@code none}, which is only a
 * default-operation: it leaves the target alone until a descendant names an operation.
 */
public enum EditOperation {
    MERGE("merge"),
    REPLACE("replace"),
    CREATE("create"),
    DELETE("delete"),
    REMOVE("remove"),
    NONE("none");

    private final String xmlValue;

    EditOperation(final String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }

    /** The value of an {@code operation} attribute ({@code none} is not one). */
    public static Optional<EditOperation> ofAttribute(final String value) {
        for (var op : values()) {
            if (op != NONE && op.xmlValue.equals(value)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /** The value of {@code <default-operation>}: merge, replace or none. */
    public static Optional<EditOperation> ofDefaultOperation(final String value) {
        return switch (value) {
            case "merge" -> Optional.of(MERGE);
            case "replace" -> Optional.of(REPLACE);
            case "none" -> Optional.of(NONE);
            default -> Optional.empty();
        };
    }
}

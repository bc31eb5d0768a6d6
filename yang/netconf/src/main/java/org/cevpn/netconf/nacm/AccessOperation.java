package org.cevpn.netconf.nacm;

import java.util.EnumSet;
import java.util.Set;

/** The access operations of RFC 8341 §2.3 (the bits of {@code access-operations-type}). */
public enum AccessOperation {
    CREATE("create"),
    READ("read"),
    UPDATE("update"),
    DELETE("delete"),
    EXEC("exec");

    private final String bitName;

    AccessOperation(final String bitName) {
        this.bitName = bitName;
    }

    public String bitName() {
        return bitName;
    }

    /**
     * The operations named by an {@code access-operations} value as yangtools holds it: the string "*"
     * (all operations), a set of bit names, or a space-separated string of bit names.
     */
    static Set<AccessOperation> parse(final Object value) {
        if (value == null || "*".equals(value)) {
            return EnumSet.allOf(AccessOperation.class);
        }
        final Iterable<?> names = value instanceof Set<?> set ? set
            : java.util.Arrays.asList(value.toString().trim().split("\\s+"));
        final var ops = EnumSet.noneOf(AccessOperation.class);
        for (var name : names) {
            for (var op : values()) {
                if (op.bitName.equals(name.toString())) {
                    ops.add(op);
                }
            }
        }
        return ops;
    }
}

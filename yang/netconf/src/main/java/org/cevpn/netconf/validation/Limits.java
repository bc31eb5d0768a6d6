package org.cevpn.netconf.validation;

/**
 * Bounds on an instance document, so hostile input is refused before it costs memory or time.
 *
 * @param maxBytes maximum encoded size of one document
 * @param maxDepth maximum element (or JSON object/array) nesting depth
 */
public record Limits(long maxBytes, int maxDepth) {
    /** 16 MiB holds a hub CE with thousands of peers many times over; 64 levels is far beyond our models. */
    public static final Limits DEFAULT = new Limits(16L << 20, 64);

    public Limits {
        if (maxBytes <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxBytes + ", " + maxDepth);
        }
    }
}

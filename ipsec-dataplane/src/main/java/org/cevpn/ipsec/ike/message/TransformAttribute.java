package org.cevpn.ipsec.ike.message;

/**
 * A transform attribute (RFC 7296 §3.3.5). {@code shortForm} is the AF bit: the TV format with a
 * two-octet value in place of the length; otherwise TLV with a variable value.
 */
public record TransformAttribute(int type, boolean shortForm, Octets value) {
    /** The only attribute RFC 7296 defines. */
    public static final int KEY_LENGTH = 14;

    public TransformAttribute {
        if (type < 0 || type > 0x7fff) {
            throw new IllegalArgumentException("attribute type out of range: " + type);
        }
        if (shortForm && value.length() != 2) {
            throw new IllegalArgumentException("a TV attribute has a two-octet value");
        }
        if (!shortForm && value.length() > 0xffff) {
            throw new IllegalArgumentException("TLV attribute value too long");
        }
    }

    public static TransformAttribute keyLength(int bits) {
        if (bits < 0 || bits > 0xffff) {
            throw new IllegalArgumentException("key length out of range: " + bits);
        }
        return new TransformAttribute(KEY_LENGTH, true, Octets.copyOf(new byte[] {(byte) (bits >>> 8), (byte) bits}));
    }

    /** The value of a TV attribute as an unsigned number. */
    public int shortValue() {
        if (!shortForm) {
            throw new IllegalStateException("not a TV attribute");
        }
        return (value.get(0) & 0xff) << 8 | value.get(1) & 0xff;
    }
}

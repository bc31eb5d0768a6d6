package org.cevpn.ipsec.ike.message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable octet string as carried in an IKE payload (a nonce, a KE public value, an SPI, a
 * notification's data). Records use it instead of {@code byte[]} so that payloads compare by
 * content and cannot be changed after decoding.
 *
 * <p>Never used for secrets: {@link #toString()} prints the (leading) octets, which is what one
 * wants for public protocol fields and what one must not have for keys.
 */
public final class Octets {
    public static final Octets EMPTY = new Octets(new byte[0]);
    private static final int TO_STRING_LIMIT = 32;

    private final byte[] bytes;

    private Octets(byte[] owned) {
        this.bytes = owned;
    }

    public static Octets copyOf(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes.clone());
    }

    public static Octets copyOf(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new Octets(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    public static Octets fromHex(String hex) {
        return copyOf(HexFormat.of().parseHex(hex));
    }

    /** Takes ownership of {@code owned}: the caller must not touch the array afterwards. */
    static Octets adopt(byte[] owned) {
        return owned.length == 0 ? EMPTY : new Octets(owned);
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public byte get(int index) {
        return bytes[index];
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    public void writeTo(ByteBuffer out) {
        out.put(bytes);
    }

    /** Copies the octets into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Octets other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        if (bytes.length <= TO_STRING_LIMIT) {
            return toHex();
        }
        return HexFormat.of().formatHex(bytes, 0, TO_STRING_LIMIT) + "…(" + bytes.length + " octets)";
    }
}

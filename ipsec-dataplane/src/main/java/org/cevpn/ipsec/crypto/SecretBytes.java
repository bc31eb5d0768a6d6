package org.cevpn.ipsec.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Key material. It never prints itself: {@link #toString()} shows the length only, so a key cannot
 * reach a log through string concatenation or a record's generated toString.
 */
public final class SecretBytes {
    private final byte[] bytes;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}; the caller may wipe its array afterwards. */
    public static SecretBytes copyOf(byte[] bytes) {
        return new SecretBytes(bytes.clone());
    }

    /** Parses hex (an optional {@code 0x} prefix and {@code :} separators are accepted). */
    public static SecretBytes fromHex(String hex) {
        String h = hex.strip();
        if (h.startsWith("0x") || h.startsWith("0X")) {
            h = h.substring(2);
        }
        h = h.replace(":", "");
        if (h.isEmpty() || (h.length() & 1) != 0) {
            throw new IllegalArgumentException("key must be a non-empty even number of hex digits");
        }
        try {
            return new SecretBytes(HexFormat.of().parseHex(h));
        } catch (IllegalArgumentException e) {
            // Do not echo the input: it is a key.
            throw new IllegalArgumentException("key is not valid hex");
        }
    }

    public int length() { return bytes.length; }

    /** A copy of the bytes in {@code [from, from+len)}. */
    public byte[] slice(int from, int len) {
        return Arrays.copyOfRange(bytes, from, from + len);
    }

    /** A copy of all bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Hex of the key, for the few places that must hand it to another program (tshark's SA table). */
    public String toHexForExport() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Overwrites the key with zeros; later use sees zeros. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes, redacted]";
    }
}

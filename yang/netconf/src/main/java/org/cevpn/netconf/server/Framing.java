package org.cevpn.netconf.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * RFC 6242 message framing, one of two kinds: base:1.0's end-of-message marker {@code ]]>]]>} (§4.3) and
 * base:1.1's chunked framing (§4.2). Reading enforces a maximum message size; chunked reading is strict: any
 * deviation from the §4.2 grammar is a {@link FramingException}, since after it no boundary can be trusted.
 */
public sealed interface Framing {
    /** The next message, or null at a clean end of stream between messages. */
    byte[] read(InputStream in) throws IOException;

    void write(OutputStream out, byte[] message) throws IOException;

    /** base:1.0: the message, then {@code ]]>]]>}. */
    record EndOfMessage(int maxMessageSize) implements Framing {
        private static final byte[] MARKER = {']', ']', '>', ']', ']', '>'};

        @Override
        public byte[] read(final InputStream in) throws IOException {
            final var buf = new ByteArrayOutputStream(1024);
            // The last six bytes seen, to spot the marker without rescanning the message.
            final var window = new byte[MARKER.length];
            long seen = 0;
            while (true) {
                final int b = in.read();
                if (b < 0) {
                    if (buf.size() == 0) {
                        return null;
                    }
                    throw new FramingException("stream ended inside a message (no ]]>]]>)");
                }
                buf.write(b);
                window[(int) (seen++ % MARKER.length)] = (byte) b;
                if (seen >= MARKER.length && endsWithMarker(window, seen)) {
                    final var all = buf.toByteArray();
                    return java.util.Arrays.copyOf(all, all.length - MARKER.length);
                }
                if (buf.size() > maxMessageSize + MARKER.length) {
                    throw new FramingException("message exceeds the maximum size of " + maxMessageSize + " bytes");
                }
            }
        }

        private static boolean endsWithMarker(final byte[] window, final long seen) {
            for (int i = 0; i < MARKER.length; i++) {
                if (window[(int) ((seen + i) % MARKER.length)] != MARKER[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void write(final OutputStream out, final byte[] message) throws IOException {
            out.write(message);
            out.write(MARKER);
            out.flush();
        }
    }

    /**
     * base:1.1: {@code \n#<size>\n<data>} chunks ending with {@code \n##\n}. Sizes are 1..4294967295 with no
     * leading zero (§4.2); we refuse any chunk that would take the message over the maximum size.
     */
    record Chunked(int maxMessageSize, int maxChunkWrite) implements Framing {
        @Override
        public byte[] read(final InputStream in) throws IOException {
            final var buf = new ByteArrayOutputStream(1024);
            int first = in.read();
            if (first < 0) {
                return null;
            }
            boolean any = false;
            while (true) {
                expect(first, '\n', "a chunk header must start with LF");
                expect(in.read(), '#', "a chunk header must start with LF #");
                int c = in.read();
                if (c == '#') {
                    expect(in.read(), '\n', "end-of-chunks must be LF # # LF");
                    if (!any) {
                        throw new FramingException("end-of-chunks before any chunk");
                    }
                    return buf.toByteArray();
                }
                if (c < '1' || c > '9') {
                    throw new FramingException("chunk size must start with a digit 1-9");
                }
                long size = c - '0';
                int digits = 1;
                while ((c = in.read()) != '\n') {
                    if (c < '0' || c > '9' || ++digits > 10) {
                        throw new FramingException("chunk size must be 1 to 10 decimal digits ended by LF");
                    }
                    size = size * 10 + (c - '0');
                }
                if (size > 4294967295L) {
                    throw new FramingException("chunk size above 4294967295");
                }
                if (buf.size() + size > maxMessageSize) {
                    throw new FramingException("message exceeds the maximum size of " + maxMessageSize + " bytes");
                }
                final var data = in.readNBytes((int) size);
                if (data.length != size) {
                    throw new FramingException("stream ended inside a chunk");
                }
                buf.write(data);
                any = true;
                first = in.read();
            }
        }

        private static void expect(final int actual, final char wanted, final String message)
                throws FramingException {
            if (actual < 0) {
                throw new FramingException("stream ended inside a chunk header");
            }
            if (actual != wanted) {
                throw new FramingException(message);
            }
        }

        @Override
        public void write(final OutputStream out, final byte[] message) throws IOException {
            for (int off = 0; off < message.length; off += maxChunkWrite) {
                final int len = Math.min(maxChunkWrite, message.length - off);
                out.write(("\n#" + len + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(message, off, len);
            }
            out.write("\n##\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}

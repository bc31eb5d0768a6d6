package org.cevpn.netconf.validation;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails a read once more than {@code maxBytes} came through: a huge document is refused while streaming. */
final class BoundedInputStream extends FilterInputStream {
    /** Thrown when the size limit is crossed; the parser turns it into a too-big rpc-error. */
    static final class TooBigException extends IOException {
        TooBigException(final long max) {
            super("document exceeds the size limit of " + max + " bytes");
        }
    }

    private final long maxBytes;
    private long count;

    BoundedInputStream(final InputStream in, final long maxBytes) {
        super(in);
        this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
        final int b = super.read();
        if (b >= 0) {
            account(1);
        }
        return b;
    }

    @Override
    public int read(final byte[] buf, final int off, final int len) throws IOException {
        final int n = super.read(buf, off, len);
        if (n > 0) {
            account(n);
        }
        return n;
    }

    @Override
    public long skip(final long n) throws IOException {
        final long skipped = super.skip(n);
        account(skipped);
        return skipped;
    }

    private void account(final long n) throws TooBigException {
        count += n;
        if (count > maxBytes) {
            throw new TooBigException(maxBytes);
        }
    }

    /** Reads everything (within the limit). */
    static byte[] readAll(final InputStream in, final long maxBytes) throws IOException {
        try (var bounded = new BoundedInputStream(in, maxBytes)) {
            return bounded.readAllBytes();
        }
    }
}

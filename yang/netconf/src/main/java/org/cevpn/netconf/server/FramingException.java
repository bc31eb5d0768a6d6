package org.cevpn.netconf.server;

import java.io.IOException;

/**
 * The byte stream broke the RFC 6242 framing (a malformed chunk header, an oversized message, a stream that
 * ends inside a message): the session cannot find the next message boundary and must end.
 */
public final class FramingException extends IOException {
    private static final long serialVersionUID = 1L;

    public FramingException(final String message) {
        super(message);
    }
}

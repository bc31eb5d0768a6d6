package org.cevpn.netconf.client;

import java.io.IOException;

/** The server could not be authenticated (a host key other than the pinned one, an unsupported method). */
public final class ServerAuthenticationException extends IOException {
    private static final long serialVersionUID = 1L;

    public ServerAuthenticationException(final String message) {
        super(message);
    }
}

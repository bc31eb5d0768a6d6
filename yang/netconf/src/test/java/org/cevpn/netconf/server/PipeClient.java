package org.cevpn.netconf.server;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

/** A base:1.1 client session to a NetconfServer over in-memory pipes, for tests. */
final class PipeClient implements AutoCloseable {
    static final String BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
    private static final String HELLO = "<hello xmlns=\"" + BASE + "\"><capabilities><capability>"
        + "urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>";

    private final PipedOutputStream toServer = new PipedOutputStream();
    private final PipedInputStream fromServer;
    private final Thread serving;
    private final Framing chunked = new Framing.Chunked(1 << 22, 1 << 16);
    private int messageId;
    final String hello;

    PipeClient(final NetconfServer server, final String user) throws IOException {
        final var serverIn = new PipedInputStream(toServer, 1 << 16);
        final var serverOut = new PipedOutputStream();
        fromServer = new PipedInputStream(serverOut, 1 << 16);
        serving = Thread.ofPlatform().start(() -> server.serve(user, "pipe", serverIn, serverOut, () -> {
            try {
                serverOut.close();
            } catch (IOException e) {
                // closed
            }
        }));
        final var eom = new Framing.EndOfMessage(1 << 22);
        hello = new String(eom.read(fromServer), StandardCharsets.UTF_8);
        eom.write(toServer, HELLO.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code <rpc message-id=n>operation</rpc>} and returns the reply. */
    String rpc(final String operation) throws IOException {
        final var rpc = "<rpc message-id=\"" + ++messageId + "\" xmlns=\"" + BASE + "\">" + operation + "</rpc>";
        chunked.write(toServer, rpc.getBytes(StandardCharsets.UTF_8));
        return new String(chunked.read(fromServer), StandardCharsets.UTF_8);
    }

    /** The next message from the server (a reply or a notification). */
    String read() throws IOException {
        return new String(chunked.read(fromServer), StandardCharsets.UTF_8);
    }

    long sessionId() {
        final int start = hello.indexOf("<session-id>") + "<session-id>".length();
        return Long.parseLong(hello.substring(start, hello.indexOf('<', start)));
    }

    @Override
    public void close() throws Exception {
        toServer.close();
        serving.join(5000);
    }
}

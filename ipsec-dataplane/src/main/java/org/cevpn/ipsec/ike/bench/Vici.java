package org.cevpn.ipsec.ike.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The smallest client of strongSwan's vici protocol (its documented wire format: a 32-bit length,
 * a packet type, a name, then key/value elements) that the IKE benchmark needs: many
 * {@code initiate} commands on one connection without a swanctl process per handshake.
 */
final class Vici implements AutoCloseable {
    private static final int CMD_REQUEST = 0;
    private static final int CMD_RESPONSE = 1;
    private static final int KEY_VALUE = 3;

    private final SocketChannel channel;

    Vici(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
    }

    /** Sends a command with flat key/value arguments; does not wait for the answer. */
    void send(String command, Map<String, String> args) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(CMD_REQUEST);
        byte[] name = command.getBytes(StandardCharsets.US_ASCII);
        p.write(name.length);
        p.write(name);
        for (Map.Entry<String, String> e : args.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.US_ASCII);
            byte[] v = e.getValue().getBytes(StandardCharsets.US_ASCII);
            p.write(KEY_VALUE);
            p.write(k.length);
            p.write(k);
            p.write(v.length >>> 8);
            p.write(v.length);
            p.write(v);
        }
        byte[] body = p.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** Reads one answer; true if it is a command response (its content is not interpreted). */
    boolean awaitResponse() throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4);
        readFully(len);
        ByteBuffer body = ByteBuffer.allocate(len.flip().getInt());
        readFully(body);
        return body.flip().get() == CMD_RESPONSE;
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("vici closed the connection");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

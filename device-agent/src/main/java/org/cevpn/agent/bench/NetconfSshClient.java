package org.cevpn.agent.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import org.opendaylight.netconf.shaded.sshd.client.SshClient;
import org.opendaylight.netconf.shaded.sshd.client.channel.ChannelSubsystem;
import org.opendaylight.netconf.shaded.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.opendaylight.netconf.shaded.sshd.client.session.ClientSession;

/**
 * The smallest NETCONF client the hub benchmark needs, as the VPN server would talk to a CE: SSH with a
 * password, the {@code netconf} subsystem (RFC 6242), a base:1.0 hello (so both sides frame with the
 * end-of-message marker), then one RPC at a time. The server's host key must be the one given: the
 * benchmark reads it from the agent's state directory, so nothing is accepted blindly.
 */
final class NetconfSshClient implements AutoCloseable {
    private static final String BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
    private static final byte[] EOM = "]]>]]>".getBytes(StandardCharsets.US_ASCII);

    private final SshClient client;
    private final ClientSession session;
    private final ChannelSubsystem channel;
    private final InputStream in;
    private final OutputStream out;
    private long messageId;

    NetconfSshClient(String host, int port, String user, String password, PublicKey hostKey, Duration timeout)
            throws IOException {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey));
        client.start();
        try {
            session = client.connect(user, host, port).verify(timeout).getSession();
            session.addPasswordIdentity(password);
            session.auth().verify(timeout);
            channel = session.createSubsystemChannel("netconf");
            channel.open().verify(timeout);
            in = channel.getInvertedOut();
            out = channel.getInvertedIn();
            send("<hello xmlns=\"" + BASE + "\"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability>"
                    + "</capabilities></hello>");
            String hello = receive();
            if (!hello.contains("<hello")) {
                throw new IOException("no NETCONF hello from the server: " + abbreviate(hello));
            }
        } catch (IOException | RuntimeException e) {
            client.stop();
            throw e;
        }
    }

    /** Sends {@code operation} in an rpc and returns the rpc-reply; an rpc-error is an IOException with its text. */
    String rpc(String operation) throws IOException {
        send("<rpc message-id=\"" + ++messageId + "\" xmlns=\"" + BASE + "\">" + operation + "</rpc>");
        String reply = receive();
        if (reply.contains("rpc-error>")) {
            throw new IOException("rpc-error: " + abbreviate(reply));
        }
        return reply;
    }

    private void send(String message) throws IOException {
        out.write(message.getBytes(StandardCharsets.UTF_8));
        out.write(EOM);
        out.flush();
    }

    /** One message up to the end-of-message marker (one RPC in flight, so nothing follows it). */
    private String receive() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!endsWithMarker(message)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the NETCONF session ended");
            }
            message.write(buf, 0, n);
        }
        byte[] all = message.toByteArray();
        return new String(all, 0, all.length - EOM.length, StandardCharsets.UTF_8);
    }

    private static boolean endsWithMarker(ByteArrayOutputStream message) {
        if (message.size() < EOM.length) {
            return false;
        }
        byte[] all = message.toByteArray();
        for (int i = 0; i < EOM.length; i++) {
            if (all[all.length - EOM.length + i] != EOM[i]) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }

    @Override
    public void close() throws IOException {
        try {
            rpc("<close-session/>");
        } finally {
            channel.close(false);
            session.close(false);
            client.stop();
        }
    }
}

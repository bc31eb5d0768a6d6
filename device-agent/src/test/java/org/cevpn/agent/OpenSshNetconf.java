package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.netconf.server.Framing;
import org.cevpn.testing.ExternalTools;
import org.w3c.dom.Element;

/**
 * A NETCONF session through OpenSSH's {@code ssh -s netconf} (RFC 6242): OpenSSH does the SSH, this class only
 * frames messages (our {@link Framing} records, client side) and reads replies, so a test can also send bytes no
 * well-behaved client would. The password reaches ssh through {@code SSH_ASKPASS} (OpenSSH ≥ 8.4,
 * {@code SSH_ASKPASS_REQUIRE=force}): no sshpass, no key set-up on the agent.
 */
final class OpenSshNetconf implements AutoCloseable {
    static final String BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
    private static final String HELLO = "<hello xmlns=\"" + BASE + "\"><capabilities>"
            + "<capability>urn:ietf:params:netconf:base:1.0</capability>"
            + "<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>";
    /** What reading marks the end of the server's output with (it is never a NETCONF message). */
    private static final byte[] END = new byte[0];

    private final Process process;
    private final OutputStream toServer;
    private final LinkedBlockingQueue<byte[]> fromServer = new LinkedBlockingQueue<>();
    private final List<String> notifications = new ArrayList<>();
    private final AtomicLong messageId = new AtomicLong();
    private final Framing chunked = new Framing.Chunked(64 << 20, 16 * 1024);
    private final String hello;
    private final long sessionId;

    private final Path stderrFile;

    private OpenSshNetconf(Process process, Path stderrFile) throws IOException, InterruptedException {
        this.process = process;
        this.stderrFile = stderrFile;
        this.toServer = process.getOutputStream();
        InputStream in = process.getInputStream();
        byte[] serverHello = new Framing.EndOfMessage(1 << 20).read(in);
        assertTrue(serverHello != null, "no server hello: " + stderr());
        hello = new String(serverHello, StandardCharsets.UTF_8);
        new Framing.EndOfMessage(1 << 20).write(toServer, HELLO.getBytes(StandardCharsets.UTF_8));
        sessionId = Long.parseLong(text(parse(hello), "session-id"));
        Thread.ofPlatform().daemon().name("openssh-netconf-reader").start(() -> {
            try {
                byte[] message;
                while ((message = chunked.read(in)) != null) {
                    fromServer.add(message);
                }
            } catch (IOException e) {
                // The server ended the session or the stream broke: both are "no more messages" here.
            } finally {
                fromServer.add(END);
            }
        });
    }

    /** Logs {@code user} in with {@code password} on 127.0.0.1:{@code port} and exchanges hellos (base:1.1). */
    static OpenSshNetconf open(Path dir, int port, String user, String password) throws Exception {
        var ssh = ExternalTools.program("ssh", "openssh-client");
        Path askpass = dir.resolve("askpass-" + user);
        if (!Files.exists(askpass)) {
            Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' \"$CEVPN_TEST_PASSWORD\"\n");
            Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
        }
        var builder = new ProcessBuilder(ssh.path().toString(), "-p", Integer.toString(port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive",
                "-o", "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=10",
                "-s", user + "@127.0.0.1", "netconf");
        builder.environment().put("SSH_ASKPASS", askpass.toString());
        builder.environment().put("SSH_ASKPASS_REQUIRE", "force");
        builder.environment().put("DISPLAY", ":0");
        builder.environment().put("CEVPN_TEST_PASSWORD", password);
        Path stderr = dir.resolve("ssh-" + user + "-" + System.nanoTime() + ".err");
        builder.redirectError(stderr.toFile());
        return new OpenSshNetconf(builder.start(), stderr);
    }

    String hello() {
        return hello;
    }

    long sessionId() {
        return sessionId;
    }

    /** Sends {@code operation} in an {@code <rpc>} and returns the rpc-reply (notifications meanwhile are kept). */
    String rpc(String operation) throws Exception {
        String id = Long.toString(messageId.incrementAndGet());
        send("<rpc message-id=\"" + id + "\" xmlns=\"" + BASE + "\">" + operation + "</rpc>");
        while (true) {
            String message = next(Duration.ofSeconds(30));
            if (message.contains("<notification")) {
                notifications.add(message);
                continue;
            }
            assertTrue(message.contains("message-id=\"" + id + "\""), "reply to " + id + " expected: " + message);
            return message;
        }
    }

    /** Sends one message, chunk-framed. */
    void send(String message) throws IOException {
        chunked.write(toServer, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes as they are: no framing added. */
    void sendRaw(byte[] bytes) throws IOException {
        toServer.write(bytes);
        toServer.flush();
    }

    /** The next message from the server, failing the test if none comes within {@code max}. */
    String next(Duration max) throws InterruptedException {
        byte[] m = fromServer.poll(max.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(m != null, "nothing from the server within " + max);
        assertTrue(m != END, "the server ended the session; ssh said: " + stderr());
        return new String(m, StandardCharsets.UTF_8);
    }

    /** The next notification: one kept while waiting for a reply, or the next message, which must be one. */
    String notification(Duration max) throws InterruptedException {
        if (!notifications.isEmpty()) {
            return notifications.removeFirst();
        }
        String m = next(max);
        assertTrue(m.contains("<notification"), "a notification expected: " + m);
        return m;
    }

    /** The next notification carrying {@code <element}, skipping others (configuration-applied...) on the way. */
    String notification(String element, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            String n = notification(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
            if (n.contains("<" + element + " ") || n.contains("<" + element + ">")) {
                return n;
            }
        }
    }

    /** True when the server ends the session (its output ends and ssh exits) within {@code max}. */
    boolean endedByServer(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            byte[] m = fromServer.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (m == null) {
                return false;
            }
            if (m == END) {
                return process.waitFor(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** What ssh said on stderr (authentication failures, connection refused...). */
    private String stderr() {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            return "(ssh's stderr unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            try {
                send("<rpc message-id=\"close\" xmlns=\"" + BASE + "\"><close-session/></rpc>");
            } catch (IOException e) {
                // already gone
            }
            toServer.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    // --- reading replies -------------------------------------------------------------------------------------

    /** One {@code <rpc-error>} as a client sees it. */
    record RpcErrorFields(String type, String tag, String severity, String appTag, String path, String message,
                          String info) {
    }

    static Element parse(String xml) {
        try {
            var f = DocumentBuilderFactory.newDefaultNSInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }

    /** The reply's rpc-errors (empty for ok or data). */
    static List<RpcErrorFields> errors(String reply) {
        var list = new ArrayList<RpcErrorFields>();
        var nodes = parse(reply).getElementsByTagNameNS(BASE, "rpc-error");
        for (int i = 0; i < nodes.getLength(); i++) {
            var e = (Element) nodes.item(i);
            var info = e.getElementsByTagNameNS(BASE, "error-info");
            list.add(new RpcErrorFields(text(e, "error-type"), text(e, "error-tag"), text(e, "error-severity"),
                    text(e, "error-app-tag"), text(e, "error-path"), text(e, "error-message"),
                    info.getLength() == 0 ? null : info.item(0).getTextContent().strip()));
        }
        return list;
    }

    /** The one rpc-error of {@code reply}, failing the test if there is not exactly one. */
    static RpcErrorFields error(String reply) {
        var list = errors(reply);
        assertEquals(1, list.size(), reply);
        return list.getFirst();
    }

    static boolean ok(String reply) {
        return parse(reply).getElementsByTagNameNS(BASE, "ok").getLength() == 1 && errors(reply).isEmpty();
    }

    private static String text(Element parent, String localName) {
        var nodes = parent.getElementsByTagNameNS(BASE, localName);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }
}

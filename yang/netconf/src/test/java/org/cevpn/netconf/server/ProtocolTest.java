package org.cevpn.netconf.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol layer over in-memory pipes: hello, framing (both kinds, and broken), message-id and attribute
 * echo, and the rpc-error each class of bad request gets, with the datastores left unchanged.
 */
class ProtocolTest {
    private static final String BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
    private static final String HELLO_11 = "<hello xmlns=\"" + BASE + "\"><capabilities><capability>"
        + "urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>";
    private static final String HELLO_10 = "<hello xmlns=\"" + BASE + "\"><capabilities><capability>"
        + "urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>";

    @TempDir
    Path dir;
    private ScheduledExecutorService scheduler;
    private NetconfServer server;
    private OutputStream toServer;
    private InputStream fromServer;
    private Thread serving;
    private volatile boolean transportClosed;

    @BeforeEach
    void start() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = TestServers.onDsTest(dir, scheduler, 4096);
        final var clientOut = new PipedOutputStream();
        final var serverIn = new PipedInputStream(clientOut, 1 << 16);
        final var serverOut = new PipedOutputStream();
        final var clientIn = new PipedInputStream(serverOut, 1 << 16);
        toServer = clientOut;
        fromServer = clientIn;
        serving = Thread.ofPlatform().start(() -> server.serve("tester", "pipe", serverIn, serverOut, () -> {
            transportClosed = true;
            try {
                serverOut.close();
                serverIn.close();
            } catch (IOException e) {
                // closed
            }
        }));
    }

    @AfterEach
    void stop() throws Exception {
        toServer.close();
        serving.join(5000);
        scheduler.shutdownNow();
    }

    private String readEom() throws IOException {
        return new String(new Framing.EndOfMessage(1 << 20).read(fromServer), StandardCharsets.UTF_8);
    }

    private final Framing chunked = new Framing.Chunked(1 << 20, 7); // tiny chunks: exercises reassembly

    private String rpc11(final String rpc) throws IOException {
        chunked.write(toServer, rpc.getBytes(StandardCharsets.UTF_8));
        return new String(chunked.read(fromServer), StandardCharsets.UTF_8);
    }

    private String hello11() throws IOException {
        final var hello = readEom();
        new Framing.EndOfMessage(1 << 20).write(toServer, HELLO_11.getBytes(StandardCharsets.UTF_8));
        return hello;
    }

    @Test
    void helloAdvertisesExactlyWhatWeImplement() throws IOException {
        final var hello = hello11();
        assertTrue(hello.contains("<session-id>"), hello);
        for (var cap : new String[] {"base:1.0", "base:1.1", ":candidate:1.0", ":confirmed-commit:1.0", ":confirmed-commit:1.1",
            ":validate:1.0",
            ":rollback-on-error:1.0", ":validate:1.1", ":startup:1.0", ":writable-running:1.0",
            "urn:cevpn:test:ds-test?module=ds-test", "yang-library:1.1?revision=2019-01-04", "content-id="}) {
            assertTrue(hello.contains(cap), cap + " missing in " + hello);
        }
        for (var cap : new String[] {":xpath", ":notification", ":interleave", ":url", ":with-defaults"}) {
            assertFalse(hello.contains(cap), cap + " advertised but not implemented");
        }
    }

    @Test
    void chunkedSessionEditsCommitsAndEchoesRpcAttributes() throws IOException {
        hello11();
        final var edit = rpc11("<rpc message-id=\"7\" xmlns=\"" + BASE + "\" xmlns:x=\"urn:x\" x:trace=\"abc\">"
            + "<edit-config><target><candidate/></target><config><top xmlns=\"urn:cevpn:test:ds-test\">"
            + "<name>ce1</name></top></config></edit-config></rpc>");
        assertTrue(edit.contains("message-id=\"7\"") && edit.contains("x:trace=\"abc\"") && edit.contains("<ok/>"),
            edit);
        assertTrue(rpc11("<rpc message-id=\"8\" xmlns=\"" + BASE + "\"><commit/></rpc>").contains("<ok/>"));
        final var running = rpc11("<rpc message-id=\"9\" xmlns=\"" + BASE + "\"><get-config><source><running/>"
            + "</source></get-config></rpc>");
        assertTrue(running.contains("<name>ce1</name>"), running);
        final var get = rpc11("<rpc message-id=\"10\" xmlns=\"" + BASE + "\"><get/></rpc>");
        assertTrue(get.contains("<yang-library") && get.contains("<name>ds-test</name>")
            && get.contains("<name>ds:candidate</name>") && get.contains("<netconf-state"), get);
    }

    @Test
    void baseTenSessionUsesEndOfMessageFraming() throws IOException {
        readEom();
        final var eom = new Framing.EndOfMessage(1 << 20);
        eom.write(toServer, HELLO_10.getBytes(StandardCharsets.UTF_8));
        eom.write(toServer, ("<rpc message-id=\"1\" xmlns=\"" + BASE + "\"><get-config><source><running/></source>"
            + "</get-config></rpc>").getBytes(StandardCharsets.UTF_8));
        assertTrue(readEom().contains("<data"));
    }

    @Test
    void eachBadRequestGetsItsRpcErrorAndTheSessionGoesOn() throws IOException {
        hello11();
        final var notWellFormed = rpc11("<rpc message-id=\"1\" xmlns=\"" + BASE + "\"><get-config>");
        assertError(notWellFormed, "malformed-message");
        assertTrue(notWellFormed.contains("<error-type>rpc</error-type>"), "RFC 6241 App. A: " + notWellFormed);
        assertError(rpc11("<!DOCTYPE x [<!ENTITY e \"boom\">]><rpc message-id=\"1\" xmlns=\"" + BASE + "\">&e;</rpc>"),
            "malformed-message");
        assertError(rpc11("<rpc xmlns=\"" + BASE + "\"><commit/></rpc>"), "missing-attribute");
        assertError(rpc11("<rpc message-id=\"2\" xmlns=\"" + BASE + "\"><frobnicate/></rpc>"),
            "operation-not-supported");
        assertError(rpc11("<rpc message-id=\"3\" xmlns=\"" + BASE + "\"><x xmlns=\"urn:nobody\"/></rpc>"),
            "unknown-namespace");
        final var invalid = rpc11("<rpc message-id=\"4\" xmlns=\"" + BASE + "\"><edit-config><target><running/>"
            + "</target><config><top xmlns=\"urn:cevpn:test:ds-test\"><mtu>1</mtu></top></config></edit-config></rpc>");
        assertError(invalid, "invalid-value");
        assertTrue(invalid.contains("message-id=\"4\""), invalid);
        assertTrue(invalid.contains("<error-path") && invalid.contains("mtu</error-path>"), invalid);
        assertError(rpc11("<rpc message-id=\"5\" xmlns=\"" + BASE + "\"><edit-config><target><running/></target>"
            + "<config><top xmlns=\"urn:cevpn:test:ds-test\"><primary>nobody</primary></top></config>"
            + "</edit-config></rpc>"), "data-missing");
        assertError(rpc11("<rpc message-id=\"6\" xmlns=\"" + BASE + "\"><lock><target><nowhere/></target></lock>"
            + "</rpc>"), "invalid-value");
        final var after = rpc11("<rpc message-id=\"9\" xmlns=\"" + BASE + "\"><get-config><source><running/>"
            + "</source></get-config></rpc>");
        assertFalse(after.contains("<top"), "nothing reached running: " + after);
    }

    private static void assertError(final String reply, final String tag) {
        assertTrue(reply.contains("<rpc-error") && reply.contains("<error-tag>" + tag + "</error-tag>"),
            "expected " + tag + " in " + reply);
    }

    @Test
    void brokenChunkHeaderEndsTheSession() throws Exception {
        hello11();
        toServer.write("\n#12x\n<rpc/>".getBytes(StandardCharsets.US_ASCII));
        toServer.flush();
        serving.join(5000);
        assertFalse(serving.isAlive());
        assertTrue(transportClosed);
    }

    @Test
    void oversizedMessageEndsTheSession() throws Exception {
        hello11();
        toServer.write("\n#5000\n".getBytes(StandardCharsets.US_ASCII)); // above the 4096-byte limit
        toServer.flush();
        serving.join(5000);
        assertFalse(serving.isAlive());
        assertTrue(transportClosed);
    }

    @Test
    void aClientHelloWithASessionIdEndsTheSession() throws Exception {
        readEom();
        new Framing.EndOfMessage(1 << 20).write(toServer, ("<hello xmlns=\"" + BASE + "\"><capabilities><capability>"
            + "urn:ietf:params:netconf:base:1.1</capability></capabilities><session-id>4</session-id></hello>")
            .getBytes(StandardCharsets.UTF_8));
        serving.join(5000);
        assertFalse(serving.isAlive());
        assertTrue(transportClosed);
    }

    @Test
    void closeSessionRepliesThenEnds() throws Exception {
        hello11();
        assertTrue(rpc11("<rpc message-id=\"1\" xmlns=\"" + BASE + "\"><close-session/></rpc>").contains("<ok/>"));
        serving.join(5000);
        assertFalse(serving.isAlive());
    }

    @Test
    void framingReadsWhatItWrites() throws IOException {
        for (var framing : new Framing[] {new Framing.EndOfMessage(100), new Framing.Chunked(100, 3)}) {
            final var buf = new java.io.ByteArrayOutputStream();
            framing.write(buf, "<a>]]>]]></a>".getBytes(StandardCharsets.UTF_8));
            framing.write(buf, "<b/>".getBytes(StandardCharsets.UTF_8));
            final var in = new java.io.ByteArrayInputStream(buf.toByteArray());
            if (framing instanceof Framing.Chunked) {
                assertEquals("<a>]]>]]></a>", new String(framing.read(in), StandardCharsets.UTF_8));
            } else {
                // base:1.0 cannot carry its own marker: the first message ends early (RFC 6242 §4.3)
                assertEquals("<a>", new String(framing.read(in), StandardCharsets.UTF_8));
                assertEquals("</a>", new String(framing.read(in), StandardCharsets.UTF_8));
            }
            assertEquals("<b/>", new String(framing.read(in), StandardCharsets.UTF_8));
            assertNull(framing.read(in));
        }
    }

    @Test
    void chunkGrammarViolationsAreFramingErrors() {
        final var chunked = new Framing.Chunked(1 << 20, 100);
        for (var bad : new String[] {"\n#0\nx\n##\n", "\n#01\nx\n##\n", "\n##\n", "#1\nx\n##\n", "\n#1\nx\n#\n",
            "\n#99999999999\n", "\n#4\nab"}) {
            final var in = new java.io.ByteArrayInputStream(bad.getBytes(StandardCharsets.US_ASCII));
            org.junit.jupiter.api.Assertions.assertThrows(FramingException.class, () -> chunked.read(in),
                bad.replace("\n", "\\n"));
        }
    }
}

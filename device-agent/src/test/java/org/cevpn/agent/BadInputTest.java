package org.cevpn.agent;

import static org.cevpn.agent.OpenSshNetconf.BASE;
import static org.cevpn.agent.OpenSshNetconf.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One test per class of bad input, sent over SSH (OpenSSH {@code ssh -s netconf}) to a CE agent whose running
 * configuration has a peer with its pre-shared key: each gets its rpc-error (error-type, error-tag, and
 * error-app-tag/error-path where RFC 6241 or the model defines them), and the agent's running, candidate and
 * startup datastores — and the running file on disk — are byte-identical before and after. Framing errors and an
 * oversized message end the session (no boundary can be trusted after them); the agent then serves a new one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    static final Path INVALID_EXAMPLES = Path.of("../yang/models/examples/invalid");
    static final Pattern EXPECT = Pattern.compile("<!--\\s*expect:\\s*(.*?)\\s*-->");
    static final Duration QUICK = Duration.ofSeconds(10);

    Path dir;
    AgentPair pair;
    OpenSshNetconf admin;
    AgentPair.Datastores before;
    /** One session for the many invalid-data cases: an SSH login each would cost more than the cases themselves. */
    OpenSshNetconf shared;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        pair = new AgentPair(dir, 147, 25730);
        try (var s = open()) {
            OpenSshClientTest.assertOk(s.rpc(OpenSshClientTest.editCandidate(pair.peerBForA())));
            OpenSshClientTest.assertOk(s.rpc("<commit/>"));
            OpenSshClientTest.assertOk(s.rpc("<copy-config><target><startup/></target><source><running/></source></copy-config>"));
        }
        assertTrue(new String(pair.a.datastores().toXml(org.cevpn.netconf.datastore.Datastore.STARTUP), StandardCharsets.UTF_8)
                .contains(TwoAgentsTest.PSK), "startup holds the peer and its key");
    }

    @AfterAll
    void stop() throws Exception {
        if (shared != null) {
            shared.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @BeforeEach
    void snapshot() throws Exception {
        before = pair.datastoresOfA(dir);
    }

    /** This test's own admin session (opened on first use: the invalid-data cases share one instead). */
    OpenSshNetconf admin() throws Exception {
        if (admin == null) {
            admin = open();
        }
        return admin;
    }

    @AfterEach
    void unchanged() throws Exception {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        var after = pair.datastoresOfA(dir);
        assertTrue(before.same(after), "the datastores changed:\nbefore " + before + "\nafter " + after);
    }

    OpenSshNetconf open() throws Exception {
        return OpenSshNetconf.open(dir, pair.a.netconfPort(), AgentPair.ADMIN, AgentPair.ADMIN_PW);
    }

    static String rpc(String id, String operation) {
        return "<rpc message-id=\"" + id + "\" xmlns=\"" + BASE + "\">" + operation + "</rpc>";
    }

    /** The session still answers, and so does a new one. */
    void stillServing(OpenSshNetconf session) throws Exception {
        assertTrue(session.rpc("<get-config><source><running/></source></get-config>").contains("<data"));
    }

    /** netconf-state's dropped-sessions (RFC 6022): a session the agent ended on bad input is a counted drop. */
    long droppedSessions() throws Exception {
        try (var s = open()) {
            // unfiltered: the server adds netconf-state only to a get without a filter
            String reply = s.rpc("<get/>");
            var m = Pattern.compile("<dropped-sessions>(\\d+)</dropped-sessions>").matcher(reply);
            assertTrue(m.find(), reply);
            return Long.parseLong(m.group(1));
        }
    }

    void newSessionServed() throws Exception {
        try (var fresh = open()) {
            assertTrue(fresh.rpc("<get-config><source><running/></source></get-config>").contains("<ce-id>ce1</ce-id>"));
        }
    }

    @Test
    void malformedXmlIsMalformedMessage() throws Exception {
        admin().send(rpc("m1", "<edit-config><target><running/></target><config><ce-device xmlns=\"" + AgentPair.CE
                + "\"><ce-id>x</ce-id></ce-devic></config></edit-config>"));
        var e = error(admin().next(QUICK));
        assertEquals("rpc", e.type(), "RFC 6241 Appendix A: malformed-message is an rpc error");
        assertEquals("malformed-message", e.tag());
        assertEquals("error", e.severity());
        stillServing(admin());
    }

    @Test
    void anExternalEntityIsNeverRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        admin().send("<?xml version=\"1.0\"?><!DOCTYPE rpc [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + rpc("x1", "<edit-config><target><running/></target><config><ce-device xmlns=\"" + AgentPair.CE
                + "\"><ce-id>&xxe;</ce-id></ce-device></config></edit-config>"));
        String reply = admin().next(QUICK);
        var e = error(reply);
        assertEquals("rpc", e.type());
        assertEquals("malformed-message", e.tag());
        assertFalse(reply.contains("TOP-SECRET"), reply);
        stillServing(admin());
    }

    @Test
    void entityExpansionIsRefusedBeforeAnyExpansion() throws Exception {
        var doc = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE rpc [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            doc.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        doc.append("]>").append(rpc("b1", "<edit-config><target><running/></target><config><ce-device xmlns=\""
                + AgentPair.CE + "\"><ce-id>&lol9;</ce-id></ce-device></config></edit-config>"));
        String reply = assertTimeoutPreemptively(QUICK, () -> {
            admin().send(doc.toString());
            return admin().next(QUICK);
        });
        var e = error(reply);
        assertEquals("malformed-message", e.tag());
        assertTrue(e.message().contains("DOCTYPE"), e.message());
        stillServing(admin());
    }

    @Test
    void anOversizedMessageEndsTheSession() throws Exception {
        // 1 MiB chunks of one message until the agent's 16 MiB limit is passed: it stops reading and ends the
        // session (it does not buffer the rest, and no boundary after an unread chunk can be trusted)
        long dropped = droppedSessions();
        byte[] megabyte = "<!-- padding -->".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
        byte[] header = ("\n#" + megabyte.length + "\n").getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        try {
            byte[] start = ("<rpc message-id=\"big\" xmlns=\"" + BASE + "\"><get-config>").getBytes(StandardCharsets.US_ASCII);
            admin().sendRaw(("\n#" + start.length + "\n").getBytes(StandardCharsets.US_ASCII));
            admin().sendRaw(start);
            for (; sent < 24; sent++) {
                admin().sendRaw(header);
                admin().sendRaw(megabyte);
            }
        } catch (IOException e) {
            // the agent closed the session while we were still sending: what this test expects
        }
        assertTrue(admin().endedByServer(QUICK), "the session ended after " + sent + " MiB");
        assertTrue(sent < 24, "the agent read no further than its limit: it ended the session after " + sent + " MiB");
        assertEquals(dropped + 1, droppedSessions(), "counted as a dropped session");
        newSessionServed();
    }

    @Test
    void brokenChunkFramingEndsTheSession() throws Exception {
        long dropped = droppedSessions();
        admin().sendRaw(("\n#12x\n" + rpc("f1", "<get/>")).getBytes(StandardCharsets.US_ASCII));
        assertTrue(admin().endedByServer(QUICK));
        newSessionServed();
        // a chunk size with a leading zero (RFC 6242 §4.2: chunk-size starts with 1-9)
        try (var other = open()) {
            String message = rpc("f2", "<get/>");
            other.sendRaw(("\n#0" + message.length() + "\n" + message + "\n##\n").getBytes(StandardCharsets.US_ASCII));
            assertTrue(other.endedByServer(QUICK));
        }
        assertEquals(dropped + 2, droppedSessions(), "both counted as dropped sessions");
        newSessionServed();
    }

    Stream<Path> invalidExamples() throws IOException {
        try (var files = Files.list(INVALID_EXAMPLES)) {
            // the db-* ones are the VPN server's model (cevpn-vpn-database), not a CE's configuration
            return files.filter(f -> f.getFileName().toString().endsWith(".xml") && !f.getFileName().toString().startsWith("db-"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidDataGetsTheRuleItBreaks(Path example) throws Exception {
        String text = Files.readString(example);
        var m = EXPECT.matcher(text);
        assertTrue(m.find(), example + " has no expect comment");
        Map<String, String> expected = new HashMap<>();
        for (String pair : m.group(1).split("\\s+")) {
            expected.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        String body = text.replaceAll("<\\?xml[^>]*\\?>", "");
        if (shared == null) {
            shared = open();
        }
        for (String target : new String[] {"running", "candidate"}) {
            String reply = shared.rpc("<edit-config><target><" + target + "/></target><default-operation>replace"
                    + "</default-operation><config>" + body + "</config></edit-config>");
            // a unique violation names each entry that shares the values (two errors); one of them is the expected one
            var errors = OpenSshNetconf.errors(reply);
            assertFalse(errors.isEmpty(), reply);
            for (var e : errors) {
                assertEquals("application", e.type(), example + " " + e);
                assertEquals(expected.get("error-tag"), e.tag(), example + " " + e);
                assertEquals("error", e.severity());
            }
            assertTrue(errors.stream().anyMatch(e -> java.util.Objects.equals(expected.get("error-app-tag"), e.appTag())
                    && expected.get("error-path").equals(e.path())), example + ": expected " + expected + " in " + reply);
        }
    }

    @Test
    void anUnknownNamespaceIsNamed() throws Exception {
        var op = error(admin().rpc("<frobnicate xmlns=\"urn:example:nobody\"/>"));
        assertEquals("unknown-namespace", op.tag());
        assertEquals("protocol", op.type());
        assertTrue(op.info().contains("urn:example:nobody"), op.info());
        var data = error(admin().rpc("<edit-config><target><running/></target><config><gadget xmlns=\"urn:example:nobody\">"
                + "<x>1</x></gadget></config></edit-config>"));
        assertEquals("unknown-namespace", data.tag());
        assertTrue(data.info().contains("urn:example:nobody"), data.info());
    }

    @Test
    void aLockedDatastoreRefusesOtherSessions() throws Exception {
        OpenSshClientTest.assertOk(admin().rpc("<lock><target><running/></target></lock>"));
        OpenSshClientTest.assertOk(admin().rpc("<lock><target><candidate/></target></lock>"));
        try (var other = open()) {
            var lock = error(other.rpc("<lock><target><running/></target></lock>"));
            assertEquals("protocol", lock.type());
            assertEquals("lock-denied", lock.tag());
            assertEquals(Long.toString(admin().sessionId()), lock.info(), "error-info session-id names the holder");
            String edit = "<config><ce-device xmlns=\"" + AgentPair.CE + "\"><ce-id>intruder</ce-id></ce-device></config>";
            for (String target : new String[] {"running", "candidate"}) {
                var inUse = error(other.rpc("<edit-config><target><" + target + "/></target>" + edit + "</edit-config>"));
                assertEquals("in-use", inUse.tag(), target);
            }
            assertEquals("in-use", error(other.rpc("<commit/>")).tag(), "commit needs running unlocked");
            assertEquals("in-use", error(other.rpc("<copy-config><target><running/></target><source><startup/></source>"
                    + "</copy-config>")).tag());
        }
        OpenSshClientTest.assertOk(admin().rpc("<unlock><target><candidate/></target></unlock>"));
        OpenSshClientTest.assertOk(admin().rpc("<unlock><target><running/></target></unlock>"));
    }

    @Test
    void nacmDeniesWritesAndHidesSecretsFromAUserWithoutARule() throws Exception {
        assertTrue(admin().rpc("<get-config><source><running/></source></get-config>").contains(TwoAgentsTest.PSK),
                "the recovery user sees the key");
        try (var operator = OpenSshNetconf.open(dir, pair.a.netconfPort(), AgentPair.OPERATOR, AgentPair.OPERATOR_PW)) {
            String running = operator.rpc("<get-config><source><running/></source></get-config>");
            assertTrue(running.contains("<sp-address>" + pair.addressB.getHostAddress() + "</sp-address>"), running);
            assertFalse(running.contains("pre-shared-key") || running.contains(TwoAgentsTest.PSK), running);
            assertFalse(running.contains("private-key"), "nacm:default-deny-all hides the client key too: " + running);
            assertNull(errorOrNull(operator.rpc("<get/>")), "reading is allowed (read-default permit)");
            assertFalse(operator.rpc("<get/>").contains(TwoAgentsTest.PSK));

            var write = error(operator.rpc("<edit-config><target><running/></target><config><ce-device xmlns=\"" + AgentPair.CE
                    + "\"><ce-id>operator-was-here</ce-id></ce-device></config></edit-config>"));
            assertEquals("access-denied", write.tag());
            assertEquals("application", write.type(), "a denied data write (RFC 8341 §3.4.5)");
            var kill = error(operator.rpc("<kill-session><session-id>" + admin().sessionId() + "</session-id></kill-session>"));
            assertEquals("access-denied", kill.tag(), "kill-session is default-deny-all (RFC 8341 §3.2.1)");
            assertEquals("protocol", kill.type(), "a denied operation (RFC 8341 §3.4.4)");
        }
        stillServing(admin());
    }

    static OpenSshNetconf.RpcErrorFields errorOrNull(String reply) {
        var errors = OpenSshNetconf.errors(reply);
        return errors.isEmpty() ? null : errors.getFirst();
    }
}

package org.cevpn.netconf.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.datastore.DsTestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendaylight.yangtools.yang.common.QName;

/** Several sessions at once: kill-session, locks and confirmed commits dying with their session, app RPCs. */
class SessionsTest {
    @TempDir
    Path dir;
    private ScheduledExecutorService scheduler;
    private NetconfServer server;
    private RpcRegistry rpcs;

    @BeforeEach
    void start() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        rpcs = new RpcRegistry();
        server = new NetconfServer(DsTestSchema.schema(), new Datastores(DsTestSchema.schema(), DsTestSchema.parser(),
            DsTestSchema.validator(), dir, scheduler), AccessControl.PERMIT_ALL, ReadFilter.UNSUPPORTED, rpcs, 1 << 20);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static final String EDIT = "<edit-config><target><candidate/></target><config><top "
        + "xmlns=\"urn:cevpn:test:ds-test\"><name>unconfirmed</name></top></config></edit-config>";

    /**
     * The SSH transport interrupts a session's thread when its client goes away; the confirmed commit must still be
     * rolled back (RFC 6241 §8.4.1). The client here sends its messages, then its stream ends with the thread
     * interrupted, as a dropped SSH channel leaves it.
     */
    @Test
    void aDroppedClientsConfirmedCommitIsRolledBackThoughItsThreadIsInterrupted() throws Exception {
        final var messages = new java.io.ByteArrayOutputStream();
        new Framing.EndOfMessage(1 << 20).write(messages, ("<hello xmlns=\"" + PipeClient.BASE + "\"><capabilities>"
            + "<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>").getBytes());
        final var chunked = new Framing.Chunked(1 << 20, 1 << 16);
        chunked.write(messages, ("<rpc message-id=\"1\" xmlns=\"" + PipeClient.BASE + "\">" + EDIT + "</rpc>").getBytes());
        chunked.write(messages, ("<rpc message-id=\"2\" xmlns=\"" + PipeClient.BASE + "\"><commit><confirmed/></commit></rpc>")
            .getBytes());
        final var bytes = new java.io.ByteArrayInputStream(messages.toByteArray());
        final var droppedWithInterrupt = new java.io.InputStream() {
            @Override
            public int read() {
                final int b = bytes.read();
                if (b < 0) {
                    Thread.currentThread().interrupt(); // what SshTransport's destroy does when the channel goes
                }
                return b;
            }
        };
        final var replies = new java.io.ByteArrayOutputStream();
        final var running = new java.util.concurrent.atomic.AtomicReference<String>();
        final var interruptKept = new java.util.concurrent.atomic.AtomicBoolean();
        final var t = Thread.ofPlatform().start(() -> {
            server.serve("dropped", "test", droppedWithInterrupt, replies, () -> { });
            interruptKept.set(Thread.interrupted());
            running.set(new String(server.datastores().toXml(org.cevpn.netconf.datastore.Datastore.RUNNING)));
        });
        t.join(10_000);
        final var seen = replies.toString();
        assertTrue(seen.contains("message-id=\"2\"") && seen.lastIndexOf("<ok/>") > seen.indexOf("message-id=\"2\""),
            "the confirmed commit was accepted: " + seen);
        assertTrue(!running.get().contains("unconfirmed"), "rolled back when the session was lost: " + running.get());
        assertTrue(interruptKept.get(), "the interrupt is left for the transport's thread");
    }

    @Test
    void killSessionReleasesLocksAndRollsBackItsConfirmedCommit() throws Exception {
        try (var a = new PipeClient(server, "a"); var b = new PipeClient(server, "b")) {
            assertTrue(a.rpc(EDIT).contains("<ok/>"));
            assertTrue(a.rpc("<commit><confirmed/></commit>").contains("<ok/>"));
            assertTrue(a.rpc("<lock><target><running/></target></lock>").contains("<ok/>"));
            final var self = a.rpc("<kill-session><session-id>" + a.sessionId() + "</session-id></kill-session>");
            assertTrue(self.contains("invalid-value"), self);
            assertTrue(b.rpc("<lock><target><running/></target></lock>").contains("lock-denied"));
            final var state = b.rpc("<get/>");
            assertTrue(state.contains("<locked-by-session>" + a.sessionId() + "</locked-by-session>"), state);
            assertTrue(b.rpc("<kill-session><session-id>" + a.sessionId() + "</session-id></kill-session>")
                .contains("<ok/>"));
            assertTrue(b.rpc("<lock><target><running/></target></lock>").contains("<ok/>"));
            final var running = b.rpc("<get-config><source><running/></source></get-config>");
            assertTrue(!running.contains("unconfirmed"), "the killed session's confirmed commit is undone: " + running);
            assertTrue(b.rpc("<kill-session><session-id>999</session-id></kill-session>").contains("invalid-value"));
        }
    }

    @Test
    void applicationRpcsReachTheirHandler() throws Exception {
        final var module = DsTestSchema.schema().moduleByName("ds-test").orElseThrow().getQNameModule();
        final var peer = new org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier(
            QName.create(module, "peer"));
        rpcs.register(QName.create(module, "reset"), (session, user, input, element) ->
            "<result xmlns=\"urn:cevpn:test:ds-test\">reset of " + input.childByArg(peer).body() + " by " + user
                + "</result>");
        try (var c = new PipeClient(server, "ops")) {
            final var reply = c.rpc("<reset xmlns=\"urn:cevpn:test:ds-test\"><peer>ce7</peer><delay>3</delay></reset>");
            assertTrue(reply.contains("reset of ce7 by ops"), reply);
            final var missing = c.rpc("<reset xmlns=\"urn:cevpn:test:ds-test\"><delay>3</delay></reset>");
            assertTrue(missing.contains("missing-element") && missing.contains("<bad-element>peer</bad-element>"),
                missing);
            final var badType = c.rpc("<reset xmlns=\"urn:cevpn:test:ds-test\"><peer>x</peer><delay>300</delay></reset>");
            assertTrue(badType.contains("invalid-value"), badType);
            final var unknown = c.rpc("<reset xmlns=\"urn:cevpn:test:ds-test\"><peer>x</peer><bogus/></reset>");
            assertTrue(unknown.contains("<rpc-error"), unknown);
            assertTrue(c.rpc("<reboot xmlns=\"urn:cevpn:test:ds-test\"/>").contains("operation-not-supported"));
        }
        assertEquals(1, server.datastores().snapshot(Datastore.RUNNING).version());
    }

    @Test
    void actionsReachTheirHandlerWithTheTargetNode() throws Exception {
        final var module = DsTestSchema.schema().moduleByName("ds-test").orElseThrow().getQNameModule();
        rpcs.registerAction(QName.create(module, "reset-peer"), (session, user, target, input, element) ->
            "<done xmlns=\"urn:cevpn:test:ds-test\">" + target.getLastPathArgument() + " hard="
                + input.body().stream().map(n -> String.valueOf(n.body())).findFirst().orElse("-") + "</done>");
        final var invoke = "<action xmlns=\"urn:ietf:params:xml:ns:yang:1\"><top xmlns=\"urn:cevpn:test:ds-test\">"
            + "<peer><name>%s</name><reset-peer><hard>true</hard></reset-peer></peer></top></action>";
        try (var c = new PipeClient(server, "ops")) {
            assertTrue(c.rpc(String.format(invoke, "a")).contains("data-missing"), "no such peer yet");
            assertTrue(c.rpc("<edit-config><target><running/></target><config><top xmlns=\"urn:cevpn:test:ds-test\">"
                + "<peer><name>a</name><address>10.0.0.1</address></peer></top></config></edit-config>")
                .contains("<ok/>"));
            final var reply = c.rpc(String.format(invoke, "a"));
            assertTrue(reply.contains("name=a") && reply.contains("hard=true"), reply);
            final var badInput = c.rpc(String.format(invoke, "a").replace("true", "maybe"));
            assertTrue(badInput.contains("invalid-value"), badInput);
        }
    }
}

package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * yangcli (yuma123 2.13, libssh2) drives a CE agent through the issue's list, one batch-mode script per step
 * (yangcli cancels a script at its first rpc-error, so each expected error ends a script): hello, get-config with
 * subtree filters, edit-config to the candidate, commit, get with the tunnel's ike-sa/child-sa, get-schema, a lock
 * conflict with a session OpenSSH holds, a confirmed commit whose session ends unconfirmed (RFC 6241 §8.4.1:
 * rolled back, and the tunnel with it), create-subscription replaying the tunnel notifications.
 *
 * <p>yuma123 2.13 cannot compile YANG 1.1 {@code action} statements, so it fails to load cevpn-ce-device
 * (fetched with get-schema) and treats our data as anyxml: it still sends and prints everything, but its
 * schema-driven commands ({@code sget /ce-device}, {@code xget} with our module's names) have no schema to use —
 * the filters here come from files ({@code filter=$f}).
 */
class YangcliClientTest {
    @TempDir
    Path dir;
    AgentPair pair;
    ExternalTools.Program yangcli;

    @BeforeEach
    void start() throws Exception {
        yangcli = ExternalTools.program("yangcli", "yangcli");
        pair = new AgentPair(dir, 145, 25720);
        String ce = AgentPair.CE;
        String b = pair.addressB.getHostAddress();
        write("ce-id.xml", "<filter><ce-device xmlns=\"" + ce + "\"><ce-id/></ce-device></filter>");
        write("vpn.xml", "<filter><ce-device xmlns=\"" + ce + "\"><vpn-configuration><peer><sp-address/></peer>"
                + "</vpn-configuration></ce-device></filter>");
        write("state.xml", "<filter><ce-device xmlns=\"" + ce + "\"><vpn-configuration><peer><sp-address>" + b
                + "</sp-address><ike-sa/><child-sa/></peer></vpn-configuration></ce-device></filter>");
        write("peer.xml", "<config xmlns=\"" + OpenSshNetconf.BASE + "\">" + pair.peerBForA() + "</config>");
        // yangcli sends anyxml without its attributes (no nc:operation="delete"): the peer goes by replacing the
        // whole configuration with the pre-configuration alone (default-operation replace)
        write("without-peer.xml", "<config xmlns=\"" + OpenSshNetconf.BASE + "\">"
                + TwoAgentsTest.preConfiguration("ce1", pair.addressA) + "</config>");
    }

    @AfterEach
    void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    /** Runs one yangcli batch script as admin; returns what it printed (its replies, notifications, errors). */
    private String yangcli(String name, String... commands) throws Exception {
        write(name + ".yc", String.join("\n", commands) + "\n");
        Files.createDirectories(dir.resolve("home"));
        var run = yangcli.run(dir, List.of("--home=" + dir.resolve("home"), "--autohistory=false", "--autouservars=false",
                "--server=127.0.0.1", "--ncport=" + pair.a.netconfPort(), "--user=" + AgentPair.ADMIN,
                "--password=" + AgentPair.ADMIN_PW, "--batch-mode", "--run-script=" + name + ".yc"), 60);
        Files.writeString(dir.resolve(name + ".out"), run.output());
        assertTrue(run.output().contains("NETCONF session established"), run.output());
        return run.output();
    }

    private static int count(String text, String what) {
        return (int) Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }

    private String running() {
        return new String(pair.a.datastores().toXml(Datastore.RUNNING), StandardCharsets.UTF_8);
    }

    @Test
    void yangcliDrivesTheAgentThroughTheWholeList() throws Exception {
        String b = pair.addressB.getHostAddress();

        // hello, get-config with a subtree filter, edit-config to the candidate, commit
        String configure = yangcli("configure", "$f = @ce-id.xml", "get-config source=running filter=$f",
                "$v = @vpn.xml", "$p = @peer.xml", "edit-config target=candidate config=$p",
                "get-config source=running filter=$v", "get-config source=candidate filter=$v", "commit");
        for (String cap : new String[] {"base:1.1", "candidate:1.0", "confirmed-commit:1.1", "notification:1.0", "xpath:1.0",
                "cevpn-ce-device@"}) {
            assertTrue(configure.contains(cap), cap + " missing from yangcli's view of our hello:\n" + configure);
        }
        assertTrue(configure.matches("(?s).*ce-device \\{\\s*ce-id ce1\\s*}.*"), configure);
        int candidateReply = configure.lastIndexOf("sp-address " + b);
        assertTrue(candidateReply > 0 && configure.indexOf("sp-address " + b) == candidateReply,
                "the peer is in the candidate, not yet in running:\n" + configure);
        assertFalse(configure.contains("rpc-error"), configure);
        assertEquals(2, count(configure, "RPC OK Reply"), "edit-config and commit answered ok:\n" + configure);
        pair.awaitTunnel(Duration.ofSeconds(20));

        // get: the tunnel's state; get-schema: what yangcli itself fetched at connect time
        String state = yangcli("state", "$s = @state.xml", "get filter=$s",
                "get-schema identifier=cevpn-ce-device format=yang");
        assertTrue(state.matches("(?s).*ike-sa \\{.*state established.*child-sa .*inbound-spi.*"), state);
        assertTrue(state.contains("module cevpn-ce-device {"), state);

        // lock conflict: OpenSSH holds the candidate; yangcli is refused the lock, then the edit
        try (var holder = OpenSshNetconf.open(dir, pair.a.netconfPort(), AgentPair.ADMIN, AgentPair.ADMIN_PW)) {
            OpenSshClientTest.assertOk(holder.rpc("<lock><target><candidate/></target></lock>"));
            String lock = yangcli("lock", "lock target=candidate");
            assertTrue(lock.matches("(?s).*error-type protocol\\s+error-tag lock-denied.*session-id " + holder.sessionId() + "\\b.*"),
                    lock);
            String edit = yangcli("edit-locked", "$p = @peer.xml", "edit-config target=candidate config=$p");
            assertTrue(edit.contains("error-tag in-use"), edit);
            OpenSshClientTest.assertOk(holder.rpc("<unlock><target><candidate/></target></unlock>"));
        }

        // confirmed commit removing the peer; the session ends before any confirming commit: rolled back
        int spiBefore = TwoAgentsTest.firstInboundSpi(pair.a, pair.addressB);
        String confirmed = yangcli("confirmed", "$d = @without-peer.xml",
                "edit-config target=candidate default-operation=replace config=$d",
                "commit confirmed confirm-timeout=60", "$v = @vpn.xml", "get-config source=running filter=$v");
        assertEquals(2, count(confirmed, "RPC OK Reply"), confirmed);
        assertFalse(confirmed.contains("sp-address " + b), "the unconfirmed commit removed the peer:\n" + confirmed);
        TwoAgentsTest.await("running rolled back when yangcli's session ended", Duration.ofSeconds(10),
                () -> running().contains(b));
        TwoAgentsTest.await("a new tunnel once the peer is back", Duration.ofSeconds(20),
                () -> pair.tunnelUp() && TwoAgentsTest.firstInboundSpi(pair.a, pair.addressB) != spiBefore);

        // create-subscription with replay: the tunnel's whole story as notifications
        String events = yangcli("events", "create-subscription startTime=1970-01-01T00:00:00Z", "$v = @vpn.xml",
                "get-config source=running filter=$v");
        assertTrue(events.contains("Incoming notification"), events);
        assertTrue(count(events, "tunnel-up {") >= 2, "up, and up again after the rollback:\n" + events);
        assertTrue(events.matches("(?s).*tunnel-down \\{.*peer " + Pattern.quote(b) + ".*reason peer-removed.*"), events);
        assertTrue(events.lastIndexOf("tunnel-up {") > events.indexOf("tunnel-down {"), "the last event is the tunnel back up");
        assertTrue(events.contains("replayComplete"), events);
        assertTrue(events.contains("sp-address " + b), "running has the peer again:\n" + events);
    }
}

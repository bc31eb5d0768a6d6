package org.cevpn.agent;

import static org.cevpn.agent.OpenSshNetconf.error;
import static org.cevpn.agent.OpenSshNetconf.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSH's {@code ssh -s netconf} drives a CE agent through the list: hello, get-config with a subtree and
 * an XPath filter, edit-config to the candidate, commit, a live subscription that receives the tunnel-up of the
 * tunnel the commit brought up, get with the tunnel's ike-sa/child-sa state, a lock conflict between two sessions,
 * a confirmed commit never confirmed (running and the tunnel come back after its timeout), get-schema.
 */
class OpenSshClientTest {
    static final String NOTIFICATIONS = "urn:ietf:params:xml:ns:netconf:notification:1.0";
    static final String MONITORING = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";

    @TempDir
    Path dir;
    AgentPair pair;

    @BeforeEach
    void start() throws Exception {
        pair = new AgentPair(dir, 141, 25700);
    }

    @AfterEach
    void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    static String editCandidate(String body) {
        return "<edit-config><target><candidate/></target><config xmlns:nc=\"" + OpenSshNetconf.BASE + "\">" + body
                + "</config></edit-config>";
    }

    static String getConfig(String source, String filter) {
        return "<get-config><source><" + source + "/></source>" + filter + "</get-config>";
    }

    static void assertOk(String reply) {
        assertTrue(ok(reply), reply);
    }

    @Test
    void openSshDrivesTheAgentThroughTheWholeList() throws Exception {
        try (var s = OpenSshNetconf.open(dir, pair.a.netconfPort(), AgentPair.ADMIN, AgentPair.ADMIN_PW)) {
            // hello: the capabilities a client needs for the rest of this list
            for (String cap : new String[] {"urn:ietf:params:netconf:base:1.1", "urn:ietf:params:netconf:capability:candidate:1.0",
                    "urn:ietf:params:netconf:capability:confirmed-commit:1.1", "urn:ietf:params:netconf:capability:notification:1.0",
                    "urn:ietf:params:netconf:capability:xpath:1.0", "module=cevpn-ce-device"}) {
                assertTrue(s.hello().contains(cap), cap + " missing from " + s.hello());
            }

            // get-config with filters
            String subtree = s.rpc(getConfig("running", "<filter type=\"subtree\"><ce-device xmlns=\"" + AgentPair.CE
                    + "\"><ce-id/></ce-device></filter>"));
            assertTrue(subtree.contains("<ce-id>ce1</ce-id>") && !subtree.contains("pre-configuration"), subtree);
            String xpath = s.rpc(getConfig("running", "<filter type=\"xpath\" xmlns:ce=\"" + AgentPair.CE
                    + "\" select=\"/ce:ce-device/ce:pre-configuration/ce:sp-address\"/>"));
            assertTrue(xpath.contains("<sp-address>" + pair.addressA.getHostAddress() + "</sp-address>")
                    && !xpath.contains("ce-id"), xpath);

            // a live subscription on the same session (:interleave), before anything happens
            assertOk(s.rpc("<create-subscription xmlns=\"" + NOTIFICATIONS + "\"/>"));

            // edit-config to the candidate: running stays as it is until the commit
            assertOk(s.rpc(editCandidate(pair.peerBForA())));
            String vpnFilter = "<filter type=\"subtree\"><ce-device xmlns=\"" + AgentPair.CE + "\"><vpn-configuration/></ce-device></filter>";
            assertFalse(s.rpc(getConfig("running", vpnFilter)).contains("<peer>"));
            assertTrue(s.rpc(getConfig("candidate", vpnFilter)).contains(pair.addressB.getHostAddress()));
            assertOk(s.rpc("<commit/>"));

            // the commit brings the tunnel up: the notification arrives, get shows the SAs
            String up = s.notification("tunnel-up", Duration.ofSeconds(20));
            assertTrue(up.contains("<tunnel-up") && up.contains("<peer>" + pair.addressB.getHostAddress() + "</peer>"), up);
            pair.awaitTunnel(Duration.ofSeconds(10));
            String state = s.rpc("<get><filter type=\"subtree\"><ce-device xmlns=\"" + AgentPair.CE
                    + "\"><vpn-configuration><peer><sp-address>" + pair.addressB.getHostAddress()
                    + "</sp-address><ike-sa/><child-sa/></peer></vpn-configuration></ce-device></filter></get>");
            assertTrue(state.matches("(?s).*<ike-sa>.*<state>established</state>.*</ike-sa>.*<child-sa>.*<inbound-spi>.*"), state);

            // lock conflict: a second session cannot lock or edit what the first holds
            try (var other = OpenSshNetconf.open(dir, pair.a.netconfPort(), AgentPair.ADMIN, AgentPair.ADMIN_PW)) {
                assertOk(s.rpc("<lock><target><candidate/></target></lock>"));
                var denied = error(other.rpc("<lock><target><candidate/></target></lock>"));
                assertEquals("protocol", denied.type());
                assertEquals("lock-denied", denied.tag());
                assertEquals(Long.toString(s.sessionId()), denied.info(), "error-info names the holder's session-id");
                var inUse = error(other.rpc(editCandidate("<ce-device xmlns=\"" + AgentPair.CE + "\"><ce-id>x</ce-id></ce-device>")));
                assertEquals("in-use", inUse.tag());
                assertOk(s.rpc("<unlock><target><candidate/></target></unlock>"));
                assertOk(other.rpc("<lock><target><candidate/></target></lock>"));
                assertOk(other.rpc("<unlock><target><candidate/></target></unlock>"));
            }

            // confirmed commit removing the peer, never confirmed: the tunnel goes down, then running and the
            // tunnel come back when the timeout rolls the commit back
            assertTrue(ok(s.rpc(editCandidate("<ce-device xmlns=\"" + AgentPair.CE + "\"><vpn-configuration><peer nc:operation=\"delete\">"
                    + "<sp-address>" + pair.addressB.getHostAddress() + "</sp-address></peer></vpn-configuration></ce-device>"))));
            assertOk(s.rpc("<commit><confirmed/><confirm-timeout>2</confirm-timeout></commit>"));
            assertFalse(s.rpc(getConfig("running", vpnFilter)).contains("<peer>"));
            String down = s.notification("tunnel-down", Duration.ofSeconds(10));
            assertTrue(down.contains("<tunnel-down") && down.contains("peer-removed"), down);
            String again = s.notification("tunnel-up", Duration.ofSeconds(20));
            assertTrue(again.contains("<tunnel-up") && again.contains(pair.addressB.getHostAddress()), again);
            assertTrue(s.rpc(getConfig("running", vpnFilter)).contains(pair.addressB.getHostAddress()), "running rolled back");
            pair.awaitTunnel(Duration.ofSeconds(10));

            // get-schema: the module text, as a client that lacks it would fetch it
            String schema = s.rpc("<get-schema xmlns=\"" + MONITORING + "\"><identifier>cevpn-ce-device</identifier>"
                    + "<format>yang</format></get-schema>");
            assertTrue(schema.contains("module cevpn-ce-device {"), schema.substring(0, Math.min(400, schema.length())));
        }
    }
}

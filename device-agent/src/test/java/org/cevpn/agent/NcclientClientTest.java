package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * python3-ncclient drives a CE agent through the list (ncclient_operator.py): hello, get-config with a
 * subtree and an XPath filter, edit-config to the candidate, commit, a subscription on a second session receiving
 * the tunnel-up of the tunnel that commit brought up, get with its ike-sa/child-sa, a lock conflict, a confirmed
 * commit never confirmed (running and the tunnel come back), get-schema.
 */
class NcclientClientTest {
    static final List<String> STEPS = List.of("hello", "get-config subtree and xpath filters", "create-subscription",
            "edit-config candidate", "commit", "notification tunnel-up", "get ike-sa child-sa", "lock conflict",
            "confirmed-commit rolled back", "get-schema", "close-session");

    @TempDir
    Path dir;
    AgentPair pair;

    @BeforeEach
    void start() throws Exception {
        pair = new AgentPair(dir, 143, 25710);
    }

    @AfterEach
    void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    static ExternalTools.Program ncclient() {
        var python = ExternalTools.programAt(Path.of("/usr/bin/python3"), "python3-ncclient");
        if (python.run(List.of("-c", "import ncclient")).exitCode() != 0) {
            ExternalTools.require(false, "python module ncclient (Debian package python3-ncclient)");
        }
        return python;
    }

    @Test
    void ncclientDrivesTheAgentThroughTheWholeList() throws Exception {
        var python = ncclient();
        Path script = dir.resolve("ncclient_operator.py");
        Files.write(script, getClass().getResourceAsStream("ncclient_operator.py").readAllBytes());
        Path peer = Files.writeString(dir.resolve("peer.xml"), pair.peerBForA());
        var run = python.run(dir, List.of(script.toString(), Integer.toString(pair.a.netconfPort()),
                pair.addressA.getHostAddress(), pair.addressB.getHostAddress(), peer.toString()), 90);
        assertEquals(0, run.exitCode(), run.output());
        var ok = run.output().lines().filter(l -> l.startsWith("OK ")).toList();
        for (String step : STEPS) {
            assertTrue(ok.stream().anyMatch(l -> l.startsWith("OK " + step)), step + " missing in " + run.output());
        }
        // what the operator saw is what the agents hold: the rolled-back peer's tunnel is up on both sides
        pair.awaitTunnel(Duration.ofSeconds(10));
    }
}

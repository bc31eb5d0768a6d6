package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recovery-users} in the agent's properties, as an operator sets it: the users it names have full access,
 * the others only what NACM allows (here no rule: no writes, no keys); naming a user without a password line is
 * refused at start.
 */
class RecoveryUsersPropertyTest {
    @TempDir
    Path dir;

    private Process agent(String... extraLines) throws Exception {
        Files.writeString(dir.resolve("pre.xml"), TwoAgentsTest.preConfiguration("ce1",
                java.net.InetAddress.ofLiteral("127.0.0.149")));
        var lines = new java.util.ArrayList<>(List.of("netconf.host = 127.0.0.1", "netconf.port = 0", "state.dir = state",
                "user.admin = admin-pw", "user.noc = noc-pw", "sp.address = 127.0.0.149", "ike.port = 25740",
                "natt.port = 25741", "vpn.port = memory", "pre-configuration = pre.xml"));
        lines.addAll(List.of(extraLines));
        Files.write(dir.resolve("ce.properties"), lines);
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                AgentMain.class.getName(), "--config", dir.resolve("ce.properties").toString()))
                .redirectErrorStream(true).start();
    }

    @Test
    void onlyTheNamedUsersBypassNacm() throws Exception {
        Process a = agent("recovery-users = admin");
        try {
            var out = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8));
            String ready = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("agent ready")) {
                    ready = line;
                    break;
                }
            }
            assertTrue(ready != null, "the agent did not start");
            Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));
            var m = Pattern.compile("NETCONF on 127\\.0\\.0\\.1:(\\d+)").matcher(ready);
            assertTrue(m.find(), ready);
            int port = Integer.parseInt(m.group(1));
            String edit = "<edit-config><target><running/></target><config><ce-device xmlns=\"" + AgentPair.CE
                    + "\"><ce-id>renamed</ce-id></ce-device></config></edit-config>";
            try (var noc = OpenSshNetconf.open(dir, port, "noc", "noc-pw")) {
                assertEquals("access-denied", OpenSshNetconf.error(noc.rpc(edit)).tag());
                assertFalse(noc.rpc("<get-config><source><running/></source></get-config>").contains("private-key"));
            }
            try (var admin = OpenSshNetconf.open(dir, port, "admin", "admin-pw")) {
                assertTrue(admin.rpc("<get-config><source><running/></source></get-config>").contains("private-key"));
                OpenSshClientTest.assertOk(admin.rpc(edit));
            }
        } finally {
            a.destroy();
            if (!a.waitFor(10, TimeUnit.SECONDS)) {
                a.destroyForcibly();
            }
        }
    }

    @Test
    void aRecoveryUserWithoutAPasswordIsRefused() throws Exception {
        Process a = agent("recovery-users = admin, root");
        String output = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(a.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, a.exitValue(), output);
        assertTrue(output.contains("every recovery user needs a user.NAME = PASSWORD line"), output);
    }
}

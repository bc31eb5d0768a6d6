package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AgentMain as an operator runs it (a process with a properties file whose pre-configuration already holds
 * the VPN configuration) opposite an in-JVM agent: the tunnel comes up, and SIGTERM makes the process delete
 * it (IKE DELETE) before it exits — the peer's tunnel goes down at once although liveness checks are off.
 */
class AgentMainTest {
    static final InetAddress A = InetAddress.ofLiteral("127.0.0.21");
    static final InetAddress B = InetAddress.ofLiteral("127.0.0.22");
    static final int IKE = 24600;
    static final int NAT_T = 24601;

    @TempDir
    Path dir;

    static String ceDevice(String ceId, InetAddress me, InetAddress peer, String peerCeId, String local, String remote) {
        String pre = TwoAgentsTest.preConfiguration(ceId, me);
        String vpn = TwoAgentsTest.vpnConfiguration(7, peer, peerCeId, TwoAgentsTest.PSK, local, remote);
        // One <ce-device>: the pre-configuration's children followed by the vpn-configuration.
        return pre.substring(0, pre.length() - "</ce-device>".length())
                + vpn.substring(vpn.indexOf("<vpn-configuration>"));
    }

    @Test
    void sigtermDeletesTheTunnelsBeforeExiting() throws Exception {
        Files.writeString(dir.resolve("a-pre.xml"), ceDevice("ce1", A, B, "ce2", "10.1.0.0/16", "10.2.0.0/16"));
        Files.writeString(dir.resolve("a.properties"), String.join("\n", "netconf.host = 127.0.0.1", "netconf.port = 0",
                "state.dir = a-state", "user.admin = admin-pw", "sp.address = " + A.getHostAddress(), "ike.port = " + IKE,
                "natt.port = " + NAT_T, "vpn.port = memory", "pre-configuration = a-pre.xml", ""));
        Process a = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                AgentMain.class.getName(), "--config", dir.resolve("a.properties").toString()))
                .redirectErrorStream(true).start();
        try (CeAgent b = new CeAgent(new CeAgent.Settings("127.0.0.1", 0, Files.createDirectories(dir.resolve("b")),
                Map.of("admin", "admin-pw"), B, IKE, NAT_T,
                Optional.of(ceDevice("ce2", B, A, "ce1", "10.2.0.0/16", "10.1.0.0/16"))), new MemoryPacketPort("vpn-b", 16))) {
            var out = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder log = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                if (line.startsWith("agent ready")) {
                    break;
                }
            }
            assertTrue(log.toString().contains("agent ready"), log::toString);
            Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));
            TwoAgentsTest.await("the tunnel", Duration.ofSeconds(20), () -> TwoAgentsTest.established(b, A));
            a.destroy(); // SIGTERM
            assertTrue(a.waitFor(10, TimeUnit.SECONDS), "the agent did not stop on SIGTERM");
            TwoAgentsTest.await("B to see the DELETE", Duration.ofSeconds(5), () -> !TwoAgentsTest.established(b, A));
        } finally {
            a.destroyForcibly();
        }
    }
}

package org.cevpn.netconf.server;

import org.cevpn.testing.ExternalTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients we did not write against our server over real SSH: python3-ncclient (password, then public key)
 * and OpenSSH's {@code ssh -s netconf} speaking base:1.1 chunked framing by hand.
 */
class InteropTest {
    @TempDir
    Path dir;
    private ScheduledExecutorService scheduler;
    private SshTransport ssh;
    private Path key;

    @BeforeEach
    void start() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        final var server = TestServers.onDsTest(dir.resolve("state"), scheduler, 1 << 20);
        final var keygen = ExternalTools.program("ssh-keygen", "openssh-client");
        key = dir.resolve("id_ed25519");
        final var gen = keygen.run(List.of("-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
        assertEquals(0, gen.exitCode(), gen.output());
        final var users = new SshUsers().withPassword("admin", "s3cret-pw".toCharArray())
            .withAuthorizedKeys("operator", Path.of(key + ".pub"));
        ssh = new SshTransport(server, "127.0.0.1", 0, dir.resolve("state/ssh_host_key"), users);
    }

    @AfterEach
    void stop() throws IOException {
        if (ssh != null) {
            ssh.close();
        }
        scheduler.shutdownNow();
    }

    private List<String> ncclient(final String user, final String password, final String keyFile) throws Exception {
        final var python = ExternalTools.programAt(Path.of("/usr/bin/python3"), "python3-ncclient");
        if (python.run(List.of("-c", "import ncclient")).exitCode() != 0) {
            ExternalTools.require(false, "python module ncclient (Debian package python3-ncclient)");
        }
        final var script = dir.resolve("ncclient_session.py");
        try (var in = getClass().getResourceAsStream("ncclient_session.py")) {
            Files.write(script, in.readAllBytes());
        }
        final var run = python.run(List.of(script.toString(), Integer.toString(ssh.port()), user, password, keyFile));
        assertEquals(0, run.exitCode(), run.output());
        return run.output().lines().filter(l -> l.startsWith("OK ")).toList();
    }

    private static final List<String> STEPS = List.of("hello", "get-config", "edit-config", "validate", "commit",
        "lock", "confirmed-commit", "invalid-value", "get-schema", "get", "close-session");

    @Test
    void ncclientWithPassword() throws Exception {
        final var ok = ncclient("admin", "s3cret-pw", "");
        for (var step : STEPS) {
            assertTrue(ok.stream().anyMatch(l -> l.startsWith("OK " + step)), step + " missing in " + ok);
        }
    }

    @Test
    void hostKeyIsKeptPrivateAndReusedAcrossRestarts() throws Exception {
        final var hostKey = dir.resolve("state/ssh_host_key");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(hostKey)));
        final var before = Files.readAllBytes(hostKey);
        ssh.close();
        ssh = new SshTransport(TestServers.onDsTest(dir.resolve("state"), scheduler, 1 << 20), "127.0.0.1", 0,
            hostKey, new SshUsers());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(hostKey)), "the host key is generated once");
    }

    @Test
    void ncclientWithPublicKey() throws Exception {
        final var ok = ncclient("operator", "", key.toString());
        assertTrue(ok.stream().anyMatch(l -> l.startsWith("OK close-session")), ok.toString());
    }

    @Test
    void openSshSubsystemSpeaksChunkedFraming() throws Exception {
        final var sshTool = ExternalTools.program("ssh", "openssh-client");
        final var base = "urn:ietf:params:xml:ns:netconf:base:1.0";
        final var hello = "<hello xmlns=\"" + base + "\"><capabilities><capability>urn:ietf:params:netconf:base:1.1"
            + "</capability></capabilities></hello>]]>]]>";
        final var rpc = "<rpc message-id=\"42\" xmlns=\"" + base + "\"><get-config><source><running/></source>"
            + "</get-config></rpc>";
        final var close = "<rpc message-id=\"43\" xmlns=\"" + base + "\"><close-session/></rpc>";
        final var input = hello + chunk(rpc) + chunk(close);
        final var command = new ArrayList<>(List.of("-i", key.toString(), "-p", Integer.toString(ssh.port()),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
            "-o", "IdentitiesOnly=yes", "-s", "operator@127.0.0.1", "netconf"));
        command.addFirst("ssh");
        final var process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        // stdin stays open until the server closes the session after close-session
        final var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "ssh did not exit");
        assertTrue(out.contains("<session-id>"), out);
        assertTrue(out.matches("(?s).*\\n#\\d+\\n<rpc-reply[^>]*message-id=\"42\".*"), out);
        assertTrue(out.contains("message-id=\"43\"") && out.contains("<ok/>") && out.endsWith("\n##\n"), out);
        process.getOutputStream().close();
        assertTrue(sshTool != null);
    }

    private static String chunk(final String message) {
        final var bytes = message.getBytes(StandardCharsets.UTF_8);
        return "\n#" + bytes.length + "\n" + message + "\n##\n";
    }
}

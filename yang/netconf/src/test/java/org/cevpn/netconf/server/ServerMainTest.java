package org.cevpn.netconf.server;

import org.cevpn.testing.ExternalTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NetconfServerMain as a separate process, as an operator starts it, driven by ncclient on the CE model:
 * candidate + commit of the model's example, subtree and XPath filters, get-schema, create-subscription,
 * and NACM (a non-recovery user cannot write and does not see default-deny-all keys).
 */
class ServerMainTest {
    @TempDir
    Path dir;

    @Test
    void mainServesTheCeModelWithPolicy() throws Exception {
        final var python = ExternalTools.programAt(Path.of("/usr/bin/python3"), "python3-ncclient");
        if (python.run(List.of("-c", "import ncclient")).exitCode() != 0) {
            ExternalTools.require(false, "python module ncclient (Debian package python3-ncclient)");
        }
        final var server = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            NetconfServerMain.class.getName(), "--port", "0", "--host", "127.0.0.1",
            "--state-dir", dir.resolve("state").toString(), "--user", "admin:admin-pw", "--user", "guest:guest-pw",
            "--recovery-user", "admin")).redirectErrorStream(true).start();
        try {
            final var out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            for (String line; port < 0 && (line = out.readLine()) != null; ) {
                final var m = java.util.regex.Pattern.compile("listening on [^:]+:(\\d+)").matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertTrue(port > 0, "server did not start");
            Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));  // keep draining
            final var script = dir.resolve("main_session.py");
            try (var in = getClass().getResourceAsStream("main_session.py")) {
                Files.write(script, in.readAllBytes());
            }
            final var run = python.run(List.of(script.toString(), Integer.toString(port),
                Path.of("../models/examples/valid/ce-vpn-configuration.xml").toAbsolutePath().toString()));
            assertEquals(0, run.exitCode(), run.output());
            for (var step : List.of("hello", "commit", "filters", "get-schema", "create-subscription", "nacm")) {
                assertTrue(run.output().contains("OK " + step), step + " missing: " + run.output());
            }
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}

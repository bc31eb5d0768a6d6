package org.cevpn.netconf;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need a program we did not write: run it when it is installed; when it is not,
 * skip with a message that says what to install — unless CI=true, where a missing tool fails the test
 * (CI installs everything, so absence there is a broken environment, not a reason to pass).
 */
public final class ExternalTool {
    /** Output (stdout and stderr together) and exit code of one run. */
    public record Run(int exitCode, String output) {
    }

    private final Path executable;

    private ExternalTool(final Path executable) {
        this.executable = executable;
    }

    /** Finds {@code name} on PATH, or skips (fails under CI=true) naming the Debian package. */
    public static ExternalTool require(final String name, final String debianPackage) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            final var candidate = Path.of(dir).resolve(name);
            if (Files.isExecutable(candidate)) {
                return new ExternalTool(candidate);
            }
        }
        return missing(name + " not found on PATH (Debian package " + debianPackage + ")");
    }

    /** An executable at a fixed path (e.g. Debian's /usr/bin/python3, not a pyenv one on PATH), or skip/fail. */
    public static ExternalTool requireAt(final Path executable, final String debianPackage) {
        if (Files.isExecutable(executable)) {
            return new ExternalTool(executable);
        }
        return missing(executable + " not found (Debian package " + debianPackage + ")");
    }

    /** The rule itself, for a requirement found missing some other way (e.g. a Python module). */
    public static <T> T missing(final String message) {
        if ("true".equals(System.getenv("CI"))) {
            fail(message + ": CI=true requires it");
        }
        Assumptions.abort(message + ": skipping");
        throw new AssertionError("unreachable");
    }

    public Run run(final List<String> args) throws IOException, InterruptedException {
        final var command = new ArrayList<String>();
        command.add(executable.toString());
        command.addAll(args);
        final var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(executable + " did not finish within 60 s");
        }
        return new Run(process.exitValue(), output);
    }
}

package org.cevpn.yang.models;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A program that a test runs but that we did not write (yanglint, tshark, strongSwan...).
 *
 * <p>The house rule, in one place: when the program is on the PATH the test runs; when it is
 * missing the test is skipped with a message naming the Debian package, except under
 * {@code CI=true}, where CI has installed everything and a missing tool is a failure.
 */
public record ExternalTool(String command, String debianPackage) {

    public static final ExternalTool YANGLINT = new ExternalTool("yanglint", "libyang2-tools");

    /** What a finished run printed (stdout and stderr interleaved) and how it exited. */
    public record Run(int exitCode, String output) {
    }

    public Optional<Path> locate() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The tool's path; skips the calling test when it is missing, or fails it when CI=true. */
    public Path require() {
        Optional<Path> found = locate();
        if (found.isPresent()) {
            return found.get();
        }
        String missing = command + " is not on the PATH (Debian package " + debianPackage + ")";
        if (Boolean.parseBoolean(System.getenv("CI"))) {
            fail(missing + "; CI=true requires every external tool");
        }
        Assumptions.abort(missing + ": skipping; install it with apt-get install " + debianPackage);
        throw new AssertionError("unreachable");
    }

    /** Runs the tool with {@code args} in {@code workDir}; fails the test if it hangs. */
    public Run run(Path workDir, List<String> args) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(require().toString());
        commandLine.addAll(args);
        try {
            Process process = new ProcessBuilder(commandLine)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
            process.getOutputStream().close();
            // The output is small (a lint verdict), so reading it before waiting cannot block.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within 60 s: " + commandLine);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + commandLine, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + commandLine, e);
        }
    }
}

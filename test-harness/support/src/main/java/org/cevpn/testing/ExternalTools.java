package org.cevpn.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need root or a program we did not write (yanglint, tshark,
 * strongSwan, iperf3...): run when it is there; otherwise skip with a message that says what is
 * missing — except under {@code CI=true}, where CI has installed everything and runs as root, so a
 * missing prerequisite is a broken environment and fails the test instead of letting it pass.
 */
public final class ExternalTools {
    /** Besides PATH: where Debian puts administrator programs (ip, charon's swanctl). */
    private static final String SYSTEM_DIRS = "/usr/sbin:/sbin:/usr/bin:/bin";

    private ExternalTools() {
    }

    /** What a finished run printed (stdout and stderr interleaved) and how it exited. */
    public record Run(int exitCode, String output) {
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or fails under CI=true) with {@code why} unless {@code available}. */
    public static void require(boolean available, String why) {
        if (available) {
            return;
        }
        if (ci()) {
            Assertions.fail("CI=true and " + why);
        }
        Assumptions.abort(why + " (skipped; under CI=true this fails)");
    }

    /** Skips (or fails under CI=true) unless the process runs as root (uid 0). */
    public static void requireRoot(String forWhat) {
        require(isRoot(), forWhat + " needs root (network namespaces, TUN devices)");
    }

    /** A program found on this machine; {@link #run} runs it. */
    public record Program(Path path) {
        /** Runs with {@code args} in the current directory, failing the test after 120 s. */
        public Run run(List<String> args) {
            return run(null, args, 120);
        }

        /**
         * Runs with {@code args} in {@code workDir} (null: the current directory) and returns its
         * output; fails the test if it has not finished within {@code timeoutSeconds}.
         */
        public Run run(Path workDir, List<String> args, long timeoutSeconds) {
            List<String> commandLine = new ArrayList<>();
            commandLine.add(path.toString());
            commandLine.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            try {
                Process process = builder.start();
                process.getOutputStream().close();
                // Read before waiting: a full pipe would otherwise block the program for ever.
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    Assertions.fail(path + " did not finish within " + timeoutSeconds + " s: " + commandLine);
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

    /** {@code program} on PATH or in the system directories, or skip/fail naming its Debian package. */
    public static Program program(String program, String debianPackage) {
        Optional<Path> found = locate(program);
        require(found.isPresent(), program + " not found (Debian package " + debianPackage + ")");
        return new Program(found.orElseThrow());
    }

    /** A program at a fixed path (Debian's /usr/bin/python3, not a pyenv one on PATH), or skip/fail. */
    public static Program programAt(Path path, String debianPackage) {
        require(Files.isExecutable(path), path + " not found (Debian package " + debianPackage + ")");
        return new Program(path);
    }

    /** Looks for {@code program} on PATH and in the system directories. */
    public static Optional<Path> locate(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + SYSTEM_DIRS;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        // The user name can lie (a renamed account, su without -); the kernel's uid does not.
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // Not Linux or no /proc: fall back to the name.
        }
        return "root".equals(System.getProperty("user.name"));
    }
}

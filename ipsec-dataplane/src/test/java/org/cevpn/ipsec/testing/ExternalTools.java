package org.cevpn.ipsec.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The house rule for tests that need root or an external program: run when it is there; otherwise
 * skip with a message that says what is missing, except under {@code CI=true}, where a missing
 * prerequisite is a failure (CI installs everything and runs as root).
 */
public final class ExternalTools {
    private ExternalTools() {}

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or fails on CI) with {@code why} unless {@code available}. */
    public static void require(boolean available, String why) {
        if (available) {
            return;
        }
        if (ci()) {
            Assertions.fail("CI=true and " + why);
        }
        Assumptions.abort(why + " (skipped; set CI=true to make this a failure)");
    }

    /** The absolute path of {@code program} on PATH (or in /usr/sbin, /sbin), or skip/fail. */
    public static Path program(String program, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin:/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        require(false, program + " not found (Debian package " + debianPackage + ")");
        throw new AssertionError("unreachable");
    }

    /** Skips (or fails on CI) unless running as root. */
    public static void requireRoot(String forWhat) {
        boolean root = "root".equals(System.getProperty("user.name"));
        require(root, forWhat + " needs root (network namespaces, TUN devices)");
    }
}

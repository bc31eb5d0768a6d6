package org.cevpn.ipsec.ike.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The house rule for tests that need root, namespaces or a program we did not write: run when it
 * is there, skip with a message when it is not, fail when it is not and CI=true (CI installs
 * everything, so a missing tool there is a broken CI image, not a reason to skip).
 */
public final class ExternalTool {
    private ExternalTool() {
    }

    public static void require(boolean available, String what) {
        if (available) {
            return;
        }
        String message = "needs " + what;
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: missing tools are failures)");
        }
        Assumptions.abort(message + "; skipped (not available here)");
    }

    public static void requireExecutable(String path) {
        require(Files.isExecutable(Path.of(path)), path);
    }

    public static void requireRoot() {
        require(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "root (network namespaces)");
    }
}

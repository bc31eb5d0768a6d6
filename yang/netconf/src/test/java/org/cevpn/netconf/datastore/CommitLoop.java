package org.cevpn.netconf.datastore;

import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * Child process of {@link CrashSafetyTest}: commits {@code <name>v1</name>}, {@code v2}, ... to running as fast
 * as it can, printing each number once its commit has returned, until it is killed.
 */
public final class CommitLoop {
    private CommitLoop() {
    }

    public static void main(final String[] args) throws Exception {
        final var ds = new Datastores(DsTestSchema.schema(), DsTestSchema.parser(), DsTestSchema.validator(),
            Path.of(args[0]), Executors.newSingleThreadScheduledExecutor());
        final var padding = "p".repeat(2000); // a file of some size, so a torn write would show
        System.out.println("ready");
        System.out.flush();
        for (long n = 1; ; n++) {
            ds.editConfig(1, Datastore.RUNNING, DsTestSchema.config("<name>v" + n + "</name><peer><name>" + padding
                + "</name><address>a" + n + "</address></peer>"), EditOperation.MERGE, TestOption.TEST_THEN_SET,
                ErrorOption.ROLLBACK_ON_ERROR);
            System.out.println(n);
            System.out.flush();
        }
    }
}

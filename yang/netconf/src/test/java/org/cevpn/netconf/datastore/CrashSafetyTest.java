package org.cevpn.netconf.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * running.xml survives SIGKILL at any instant: a child JVM commits in a loop and is killed with
 * {@code Process.destroyForcibly()} after a random delay; the file must then parse and validate, and hold
 * one of the versions the child committed (or the one it was committing), never a torn mix.
 */
class CrashSafetyTest {
    private static final Pattern NAME = Pattern.compile("<name>v(\\d+)</name>");

    @TempDir
    Path dir;

    @Test
    void runningFileIsAlwaysOneCommittedVersion() throws Exception {
        final var random = new Random();
        final long seed = random.nextLong();
        random.setSeed(seed);
        long lastSeen = 0;
        for (int round = 0; round < 6; round++) {
            final var child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                CommitLoop.class.getName(), dir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            final var printed = new AtomicLong(-1);
            final var ready = new java.util.concurrent.CountDownLatch(1);
            final var reader = Thread.ofPlatform().daemon().start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (!line.equals("ready")) {
                            printed.set(Long.parseLong(line.strip()));
                            ready.countDown();
                        }
                    }
                } catch (java.io.IOException | NumberFormatException e) {
                    // the pipe breaks when the child is killed
                }
            });
            // Kill only once commits are flowing (schema loading and the first validation take a while).
            assertTrue(ready.await(60, TimeUnit.SECONDS), "child did not start committing");
            Thread.sleep(50 + random.nextInt(400));
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);

            // The restart path: must load without error, and be valid.
            final var ds = new Datastores(DsTestSchema.schema(), DsTestSchema.parser(), DsTestSchema.validator(),
                dir, java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
            final var text = new String(ds.toXml(Datastore.RUNNING), StandardCharsets.UTF_8);
            final var m = NAME.matcher(text);
            assertTrue(m.find(), "seed " + seed + ": running holds no committed version: " + text);
            final long onDisk = Long.parseLong(m.group(1));
            final long acknowledged = printed.get();
            assertTrue(acknowledged >= 1, "seed " + seed + ": the child committed nothing before the kill");
            // Every acknowledged commit is on disk; at most the one in flight is beyond it.
            assertTrue(onDisk == acknowledged || onDisk == acknowledged + 1,
                "seed " + seed + ": on disk v" + onDisk + ", child acknowledged v" + acknowledged);
            assertTrue(text.contains("<address>a" + onDisk + "</address>"), "seed " + seed + ": torn: " + text);
            try (var tmp = Files.list(dir)) {
                assertEquals(0, tmp.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(),
                    "stale temporaries are removed at start");
            }
            lastSeen = onDisk;
        }
        System.out.println("CrashSafetyTest: 6 kills, last on-disk version v" + lastSeen + " (seed " + seed + ")");
    }
}

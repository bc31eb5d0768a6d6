package org.cevpn.netconf.server;

import org.cevpn.testing.ExternalTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our hand-written state data checked by yanglint against the published modules: /netconf-state against
 * ietf-netconf-monitoring (RFC 6022) and /yang-library against ietf-yang-library (RFC 8525).
 */
class MonitoringDataTest {
    private static final Path LIBYANG_MODULES = Path.of("/usr/share/yang/modules/libyang");

    @TempDir
    Path dir;
    private ScheduledExecutorService scheduler;
    private NetconfServer server;

    @BeforeEach
    void start() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = TestServers.onDsTest(dir.resolve("state"), scheduler, 1 << 20);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void netconfStateAndYangLibraryAreValidInstances() throws Exception {
        final var yanglint = ExternalTools.program("yanglint", "libyang2-tools");
        if (!Files.isDirectory(LIBYANG_MODULES)) {
            ExternalTools.require(false, LIBYANG_MODULES + " (Debian package libyang2-tools)");
        }
        final String get;
        try (var a = new PipeClient(server, "a"); var b = new PipeClient(server, "b")) {
            assertTrue(a.rpc("<lock><target><candidate/></target></lock>").contains("<ok/>"));
            b.rpc("<frobnicate/>"); // one bad rpc for the counters
            get = b.rpc("<get/>");
        }
        final var monitoring = dir.resolve("ietf-netconf-monitoring@2010-10-04.yang");
        try (var in = getClass().getClassLoader().getResourceAsStream("META-INF/yang/ietf-netconf-monitoring@2010-10-04.yang")) {
            Files.write(monitoring, in.readAllBytes());
        }
        final var state = dir.resolve("netconf-state.xml");
        Files.writeString(state, between(get, "<netconf-state", "</netconf-state>"));
        final var lintState = yanglint.run(List.of("-p", LIBYANG_MODULES.toString(), "-t", "get",
            monitoring.toString(), state.toString()));
        assertEquals(0, lintState.exitCode(), lintState.output() + "\n" + Files.readString(state));
        assertTrue(Files.readString(state).contains("<locked-by-session>"), "the lock is shown");

        final var library = dir.resolve("yang-library.xml");
        Files.writeString(library, between(get, "<yang-library", "</yang-library>"));
        final var lintLibrary = yanglint.run(List.of("-t", "get",
            LIBYANG_MODULES.resolve("ietf-yang-library@2019-01-04.yang").toString(),
            LIBYANG_MODULES.resolve("ietf-datastores@2018-02-14.yang").toString(), library.toString()));
        assertEquals(0, lintLibrary.exitCode(), lintLibrary.output() + "\n" + Files.readString(library));
    }

    private static String between(final String text, final String start, final String end) {
        final int from = text.indexOf(start);
        final int to = text.indexOf(end);
        assertTrue(from >= 0 && to > from, start + " missing in " + text);
        return text.substring(from, to + end.length());
    }
}

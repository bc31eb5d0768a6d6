package org.cevpn.netconf.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid example of the models (yang/models/examples/invalid, one per rule kind) sent as an edit-config
 * to the candidate over NETCONF: the reply carries the rpc-error its {@code <!-- expect: -->} comment names
 * (error-tag, error-app-tag, error-path), and the candidate is left exactly as it was.
 */
class InvalidExamplesTest {
    private static final Path EXAMPLES = Path.of("../models/examples");
    private static final Pattern EXPECT = Pattern.compile("<!--\\s*expect:\\s*(.*?)\\s*-->");
    private static ScheduledExecutorService scheduler;
    private static NetconfServer server;
    private static PipeClient client;
    private static String baseline;

    @BeforeAll
    static void start() throws Exception {
        final var schema = new SchemaContextLoader(InvalidExamplesTest.class.getClassLoader()).loadCevpnModels();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        final var datastores = new Datastores(schema, new InstanceDocumentParser(schema, Limits.DEFAULT),
            new DatastoreValidator(schema), null, scheduler);
        server = new NetconfServer(schema, datastores, AccessControl.PERMIT_ALL, ReadFilter.UNSUPPORTED,
            new RpcRegistry(), 16 << 20);
        client = new PipeClient(server, "tester");
        final var ok = client.rpc(edit(body(EXAMPLES.resolve("valid/ce-vpn-configuration.xml"))));
        assertTrue(ok.contains("<ok/>"), ok);
        baseline = candidate();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        scheduler.shutdownNow();
    }

    static Stream<Path> invalidExamples() throws IOException {
        try (var files = Files.list(EXAMPLES.resolve("invalid"))) {
            return files.filter(f -> f.toString().endsWith(".xml")).sorted().toList().stream();
        }
    }

    private static String body(final Path file) throws IOException {
        return Files.readString(file).replaceAll("<\\?xml[^>]*\\?>", "");
    }

    private static String edit(final String config) {
        return "<edit-config><target><candidate/></target><default-operation>replace</default-operation>"
            + "<config>" + config + "</config></edit-config>";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void eachInvalidExampleGetsItsRpcErrorAndChangesNothing(final Path file) throws Exception {
        final var text = Files.readString(file);
        final var m = EXPECT.matcher(text);
        assertTrue(m.find(), file + " has no expect comment");
        final var expected = new HashMap<String, String>();
        for (var pair : m.group(1).split("\\s+")) {
            final int eq = pair.indexOf('=');
            expected.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        final var reply = client.rpc(edit(body(file)));
        assertTrue(reply.contains("<error-tag>" + expected.get("error-tag") + "</error-tag>"),
            file.getFileName() + ": expected " + expected + " in " + reply);
        if (expected.containsKey("error-app-tag")) {
            assertTrue(reply.contains("<error-app-tag>" + expected.get("error-app-tag") + "</error-app-tag>"),
                file.getFileName() + ": expected " + expected + " in " + reply);
        }
        if (expected.containsKey("error-path")) {
            assertTrue(reply.contains(">" + expected.get("error-path").replace("&", "&amp;") + "</error-path>"),
                file.getFileName() + ": expected " + expected + " in " + reply);
        }
        assertTrue(baseline.equals(candidate()), file.getFileName() + ": the candidate changed");
    }

    /** The candidate's {@code <data>} (without the reply's message-id). */
    private static String candidate() throws IOException {
        final var reply = client.rpc("<get-config><source><candidate/></source></get-config>");
        return reply.substring(reply.indexOf("<data"));
    }
}

package org.cevpn.netconf.validation;

import org.cevpn.testing.ExternalTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cevpn.netconf.RpcError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example of the models (yang/models/examples) through the validator with the cevpn models from the
 * classpath: valid ones accepted; invalid ones refused with the error-tag, error-app-tag and error-path their
 * first-line {@code <!-- expect: ... -->} comment names. And yanglint (libyang), which we did not write, must
 * give the same verdict on the same file with the same modules.
 */
class ModelExamplesTest {
    private static final Pattern EXPECT = Pattern.compile("<!--\\s*expect:\\s*(.*?)\\s*-->");
    private static final Pattern PAIR = Pattern.compile("([a-z-]+)=(\\S+)");

    private static Path root;
    private static Path examples;
    private static YangSchema schema;

    @BeforeAll
    static void load() throws Exception {
        root = projectRoot();
        // CEVPN_EXAMPLES points at another examples directory (e.g. a models worktree) while developing.
        final var override = System.getenv("CEVPN_EXAMPLES");
        examples = override != null ? Path.of(override) : root.resolve("yang/models/examples");
        assertTrue(Files.isDirectory(examples.resolve("valid")), "no examples at " + examples);
        schema = new SchemaContextLoader(ModelExamplesTest.class.getClassLoader()).loadCevpnModels();
    }

    /** The directory holding mvnw, walking up from the working directory. */
    static Path projectRoot() {
        for (var dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no mvnw above " + System.getProperty("user.dir"));
    }

    private static List<Path> files(final String kind) throws IOException {
        try (Stream<Path> s = Files.list(examples.resolve(kind))) {
            return s.filter(p -> p.toString().endsWith(".xml") || p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static List<RpcError> validate(final Path file) throws IOException {
        final var parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        try (var in = Files.newInputStream(file)) {
            final var data = parser.parse(in, InstanceDocumentParser.Format.ofFileName(file.toString()));
            return new DatastoreValidator(schema).validatePresentModules(data, DatastoreValidator.Scope.CONFIG)
                .errors();
        } catch (ValidationException e) {
            return e.errors();
        }
    }

    private static String describe(final List<RpcError> errors) {
        return errors.stream().map(RpcError::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    @Test
    void thereAreExamplesOfBothKinds() throws IOException {
        assertFalse(files("valid").isEmpty());
        assertFalse(files("invalid").isEmpty());
    }

    @TestFactory
    Stream<DynamicTest> validExamplesAreAccepted() throws IOException {
        return files("valid").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            final var errors = validate(file);
            assertEquals(List.of(), errors, () -> file + " refused:" + describe(errors));
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidExamplesAreRefusedAsExpected() throws IOException {
        return files("invalid").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            final var expected = expectation(file);
            final var errors = validate(file);
            assertFalse(errors.isEmpty(), file + " was accepted");
            final var tag = expected.get("error-tag");
            final var appTag = expected.get("error-app-tag");
            final var path = expected.get("error-path");
            final boolean found = errors.stream().anyMatch(e -> e.tag().xmlValue().equals(tag)
                && (appTag == null || appTag.equals(e.appTag()))
                && (path == null || e.path() != null && path.equals(e.path().xpath())));
            assertTrue(found, () -> file.getFileName() + ": expected " + expected + ", got:" + describe(errors));
        }));
    }

    @Test
    void datastoreWithStateIsValidAsGetResultButNotAsConfiguration() throws Exception {
        // operations/ce-state.data.xml: the whole CE datastore as <get> returns it (yanglint -t data)
        final var file = examples.resolve("operations/ce-state.data.xml");
        final var data = new InstanceDocumentParser(schema, Limits.DEFAULT).parse(Files.newInputStream(file),
            InstanceDocumentParser.Format.XML);
        final var validator = new DatastoreValidator(schema);
        final var asGet = validator.validatePresentModules(data, DatastoreValidator.Scope.CONFIG_AND_STATE).errors();
        assertEquals(List.of(), asGet, () -> describe(asGet));
        final var asConfig = validator.validatePresentModules(data, DatastoreValidator.Scope.CONFIG).errors();
        assertFalse(asConfig.isEmpty());
        asConfig.forEach(e -> assertTrue(e.message().contains("config false"), e::toString));
    }

    private static Map<String, String> expectation(final Path file) throws IOException {
        final var first = Files.readAllLines(file).getFirst();
        final var m = EXPECT.matcher(first);
        assertTrue(m.find(), file + " does not start with <!-- expect: ... -->");
        final var pairs = new java.util.LinkedHashMap<String, String>();
        final var p = PAIR.matcher(m.group(1));
        while (p.find()) {
            pairs.put(p.group(1), p.group(2));
        }
        assertTrue(pairs.containsKey("error-tag"), file + ": expect comment without error-tag");
        return pairs;
    }

    // ---- the same verdicts from libyang ----

    @TestFactory
    Stream<DynamicTest> yanglintGivesTheSameVerdict() throws IOException {
        final var all = new ArrayList<Path>(files("valid"));
        all.addAll(files("invalid"));
        return all.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            final var yanglint = ExternalTools.program("yanglint", "libyang2-tools");
            final var yang = root.resolve("yang/models/src/main/yang");
            final var deps = root.resolve("yang/models/target/dependency-yang");
            assertTrue(Files.isDirectory(deps), deps + " missing: build yang/models first");
            final var args = new ArrayList<>(List.of("-t", "config", "-p", yang.toString(), "-p", deps.toString(),
                yang.resolve("cevpn-types.yang").toString(), yang.resolve(moduleOf(file) + ".yang").toString(),
                file.toString()));
            final var run = yanglint.run(args);
            final boolean ours = validate(file).isEmpty();
            if (ours) {
                assertEquals(0, run.exitCode(), () -> "we accept " + file.getFileName() + ", yanglint refuses: "
                    + run.output());
            } else {
                assertNotEquals(0, run.exitCode(), () -> "we refuse " + file.getFileName() + ", yanglint accepts");
            }
        }));
    }

    /** The module of the document's first top-level node (XML root namespace or JSON member prefix). */
    private static String moduleOf(final Path file) throws IOException {
        final var text = Files.readString(file);
        if (file.toString().endsWith(".json")) {
            final var m = Pattern.compile("\"([a-z0-9-]+):").matcher(text);
            assertTrue(m.find(), "no module-qualified member in " + file);
            return m.group(1);
        }
        final var m = Pattern.compile("<[a-z][^>]*xmlns=\"([^\"]+)\"").matcher(text);
        assertTrue(m.find(), "no namespace in " + file);
        return schema.moduleByNamespace(m.group(1)).orElseThrow().getName();
    }
}

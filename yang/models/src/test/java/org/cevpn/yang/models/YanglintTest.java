package org.cevpn.yang.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libyang's yanglint, a YANG implementation we did not write, accepts our modules without a single
 * error or warning, accepts every valid example and rejects every invalid one for the reason its
 * expect comment states.
 */
class YanglintTest {

    /** The first line of every invalid example; the validator's tests parse the same form. */
    static final Pattern EXPECT = Pattern.compile(
        "<!-- expect: error-tag=(?<tag>[a-z-]+)(?: error-app-tag=(?<app>[a-z0-9-]+))? error-path=(?<path>/\\S+) -->");

    /** RFC 6241 Appendix A. */
    private static final List<String> ERROR_TAGS = List.of(
        "in-use", "invalid-value", "too-big", "missing-attribute", "bad-attribute", "unknown-attribute",
        "missing-element", "bad-element", "unknown-element", "unknown-namespace", "access-denied",
        "lock-denied", "resource-denied", "rollback-failed", "data-exists", "data-missing",
        "operation-not-supported", "operation-failed", "malformed-message");

    static Stream<Path> modules() {
        return ModelFiles.ourModules().stream();
    }

    static Stream<Path> validExamples() {
        return ModelFiles.list(ModelFiles.VALID, ".xml", ".json").stream();
    }

    static Stream<Path> invalidExamples() {
        return ModelFiles.list(ModelFiles.INVALID, ".xml").stream();
    }

    /** RPC input and output, notifications and a datastore with state: NAME.TYPE.xml, TYPE a yanglint -t. */
    static Stream<Path> operationExamples() {
        return ModelFiles.list(ModelFiles.OPERATIONS, ".xml").stream();
    }

    private static ExternalTools.Run yanglint(List<String> args) {
        List<String> all = new ArrayList<>(ModelFiles.yanglintSearchPath());
        all.addAll(args);
        return ExternalTools.program("yanglint", "libyang2-tools").run(ModelFiles.BASE, all, 60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void moduleIsCleanAlone(Path module) {
        ExternalTools.Run run = yanglint(List.of(module.toString()));
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("", run.output(), "yanglint must print nothing, not even a warning");
    }

    @Test
    void allModulesTogetherAreClean() {
        List<String> args = modules().map(Path::toString).toList();
        ExternalTools.Run run = yanglint(args);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("", run.output(), "yanglint must print nothing, not even a warning");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void acceptsValidExample(Path example) throws Exception {
        ExternalTools.Run run = yanglint(args("config", example));
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("", run.output());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operationExamples")
    void acceptsOperationExample(Path example) throws Exception {
        String name = example.getFileName().toString();
        String type = name.substring(name.indexOf('.') + 1, name.lastIndexOf('.'));
        assertTrue(List.of("rpc", "reply", "notif", "data").contains(type), "unknown example type in " + name);
        ExternalTools.Run run = yanglint(args(type, example));
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("", run.output());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void rejectsInvalidExampleWhereItsExpectCommentSays(Path example) throws Exception {
        Matcher expect = expectComment(example);
        ExternalTools.Run run = yanglint(args("config", example));
        assertNotEquals(0, run.exitCode(), "yanglint accepted an invalid example");
        assertTrue(run.output().contains("libyang err"), run.output());
        // yanglint names the node it complains about (or, for unknown children, their parent);
        // finding the expected node's name there shows it failed for the stated reason.
        String path = expect.group("path");
        String lastStep = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\[.*", "").replaceFirst("^\\w+:", "");
        assertTrue(run.output().contains(lastStep),
            "expected a complaint about '" + lastStep + "', yanglint said: " + run.output());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleStatesItsExpectedError(Path example) throws Exception {
        Matcher expect = expectComment(example);
        assertTrue(ERROR_TAGS.contains(expect.group("tag")), "not an RFC 6241 error-tag: " + expect.group("tag"));
        String prefix = example.getFileName().toString().startsWith("db-") ? "/vdb:" : "/ce:";
        assertTrue(expect.group("path").startsWith(prefix), "error-path in the document's module: " + expect.group("path"));
        // Every step carries the module prefix, and so does every key in a predicate.
        for (String step : expect.group("path").substring(1).split("/(?![^\\[]*\\])")) {
            assertTrue(step.matches("(ce|vdb):[a-z0-9-]+(\\[(\\.|(ce|vdb):[a-z0-9-]+)='[^']*'\\])*"),
                "malformed error-path step '" + step + "' in " + example);
        }
    }

    /** The modules with data nodes (cevpn-types has none, so no tree). */
    static Stream<Path> dataModules() {
        return modules().filter(p -> !p.getFileName().toString().equals("cevpn-types.yang"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataModules")
    void treeDiagramIsCurrent(Path module) throws Exception {
        String name = module.getFileName().toString().replace(".yang", "");
        Path tree = ModelFiles.BASE.resolve("trees/" + name + ".tree");
        ExternalTools.Run run = yanglint(List.of("-f", "tree", module.toString()));
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(run.output(), Files.readString(tree),
            "trees/" + name + ".tree is stale; regenerate it (see yang/models/README.md)");
    }

    @Test
    void invalidExamplesCoverEveryRuleKind() {
        List<String> names = invalidExamples().map(p -> p.getFileName().toString()).toList();
        for (String kind : List.of("wrong-type", "range", "length", "pattern", "mandatory-leaf-in-list-entry",
                "mandatory-leaf-under-top-level-container", "duplicate-list-key", "unique-violation",
                "dangling-leafref", "must-", "when-", "unknown-element", "unknown-namespace")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(kind)), "no invalid example for " + kind);
        }
    }

    private static Matcher expectComment(Path example) throws IOException {
        String firstLine = Files.readAllLines(example).getFirst();
        Matcher matcher = EXPECT.matcher(firstLine);
        assertTrue(matcher.matches(), example + " does not start with an expect comment: " + firstLine);
        return matcher;
    }

    private static List<String> args(String type, Path example) throws Exception {
        return List.of("-t", type, ModelFiles.YANG.resolve("cevpn-types.yang").toString(),
            moduleOf(example).toString(), example.toString());
    }

    /**
     * The module an example is an instance of: the one its root element (XML) or top-level member
     * (JSON) belongs to. Examples are checked against that module and cevpn-types (whose identities
     * are only usable when it is implemented), as the datastore of a server implementing just
     * those: a CE implements cevpn-ce-device, the VPN server cevpn-vpn-database.
     */
    static Path moduleOf(Path example) throws Exception {
        String module;
        if (example.toString().endsWith(".json")) {
            Matcher m = Pattern.compile("\"([a-z0-9-]+):").matcher(Files.readString(example));
            assertTrue(m.find(), "no module-qualified member in " + example);
            module = m.group(1);
        } else {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            String namespace = factory.newDocumentBuilder().parse(example.toFile()).getDocumentElement().getNamespaceURI();
            module = namespace.substring(namespace.lastIndexOf(':') + 1);
        }
        Path file = ModelFiles.YANG.resolve(module + ".yang");
        assertTrue(Files.exists(file), "no module " + module + " for " + example);
        return file;
    }
}

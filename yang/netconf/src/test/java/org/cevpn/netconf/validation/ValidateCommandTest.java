package org.cevpn.netconf.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract: FILE: valid / rpc-errors, exit 0 / 1 / 2. */
class ValidateCommandTest {
    private static final String TEST_YANG = "src/test/resources/yang";
    private static final Path VALID_XML = Path.of("src/test/resources/data/valid.xml");
    private static final Path VALID_JSON = Path.of("src/test/resources/data/valid.json");

    private record Result(int status, String out, String err) {
    }

    private static Result run(final String... args) {
        final var out = new ByteArrayOutputStream();
        final var err = new ByteArrayOutputStream();
        final int status = ValidateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void validFilesPrintValidAndExitZero() {
        final var r = run("--yang", TEST_YANG, VALID_XML.toString(), VALID_JSON.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(VALID_XML + ": valid\n" + VALID_JSON + ": valid\n", r.out());
    }

    @Test
    void anInvalidFilePrintsRpcErrorsAndExitsOne(@TempDir final Path dir) throws Exception {
        final var bad = dir.resolve("bad.xml");
        Files.writeString(bad, Files.readString(VALID_XML).replace("<rekey>3600</rekey>", "<rekey>-1</rekey>"));
        final var r = run("--yang", TEST_YANG, VALID_XML.toString(), bad.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().startsWith(VALID_XML + ": valid\n" + bad + ": invalid (1 error)\n<rpc-error"), r.out());
        assertTrue(r.out().contains("<error-tag>invalid-value</error-tag>"), r.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().status());
        assertEquals(2, run("--no-such-option", VALID_XML.toString()).status());
        final var missing = run("--yang", TEST_YANG, "does/not/exist.xml");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("cannot read does/not/exist.xml"), missing.err());
        assertEquals(2, run("--yang").status());
    }

    @Test
    void cevpnModelsAreTheDefault(@TempDir final Path dir) throws Exception {
        // A document of the test modules is unknown to the cevpn models.
        final var r = run(VALID_XML.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("<error-tag>unknown-namespace</error-tag>"), r.out());
    }
}

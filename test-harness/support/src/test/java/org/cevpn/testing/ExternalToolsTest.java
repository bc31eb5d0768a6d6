package org.cevpn.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalToolsTest {
    @Test
    void aMissingProgramSkipsOutsideCiAndFailsInCi() {
        Class<? extends Throwable> expected = ExternalTools.ci() ? AssertionFailedError.class : TestAbortedException.class;
        Throwable thrown = assertThrows(expected,
                () -> ExternalTools.program("cevpn-no-such-program", "no-such-package"));
        assertTrue(thrown.getMessage().contains("no-such-package"), thrown.getMessage());
    }

    @Test
    void aPresentProgramIsFoundAndRun() {
        ExternalTools.Run run = ExternalTools.program("sh", "dash").run(List.of("-c", "echo out; echo err >&2; exit 3"));
        assertEquals(3, run.exitCode());
        assertTrue(run.output().contains("out") && run.output().contains("err"), run.output());
    }
}

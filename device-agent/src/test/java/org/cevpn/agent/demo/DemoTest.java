package org.cevpn.agent.demo;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command: every step of {@code ./cevpn demo} holds (it throws at the first that does not). */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunsThroughEveryStep() throws Exception {
        new Demo(dir).run();
    }
}

package org.cevpn.agent.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code ./cevpn bench hub} working (its figures are not judged here: a benchmark never fails on a time):
 * a hub with 4 spokes, configured over NETCONF, must get every tunnel up, settle at one IKE SA per peer, and
 * print the summary's last line in the documented format.
 */
class HubBenchTest {
    @Test
    void aSmallHubBringsEveryTunnelUpAndPrintsTheLastLine() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            HubBench.main(new String[] {"--peers", "4", "--compare", "0", "--max-seconds", "60"});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("hub-4-seconds: \\d+\\.\\d\\d heap-kb-per-peer: -?\\d+\\.\\d"), last);
        assertTrue(out.contains("NETCONF get shows 4 IKE SAs established"), out);
        assertTrue(out.contains("4 IKE SAs for 4 peers") && out.contains("one per peer"), out);
        assertTrue(out.contains("spokes with a child SA 4/4"), out);
    }
}

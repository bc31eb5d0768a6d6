package org.cevpn.ipsec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.testing.ExternalTools;
import org.junit.jupiter.api.Test;

/**
 * Root: {@code h1 — ce1 — pe — ce2 — h2} with our data plane (TUN via FFM, static SAs) on ce1 and ce2.
 * Ping and an iperf3 TCP transfer from h1 to h2 pass, and on the ce1–pe link only UDP/4500 ESP is seen.
 */
class NamespaceTunnelTest {
    @Test
    void pingAndTcpCrossTheTunnelAndOnlyEspIsOnTheSpLink() throws Exception {
        ExternalTools.requireRoot("the namespace tunnel test");
        ExternalTools.program("ip", "iproute2");
        ExternalTools.program("ping", "iputils-ping");
        ExternalTools.program("iperf3", "iperf3");
        ExternalTools.program("tshark", "tshark");
        try (TunnelTopology t = TunnelTopology.start(EncryptionAlgorithm.AES_GCM_16_256, 1400)) {
            Process capture = t.spawn("pe", "tshark", "-n", "-i", "to1", "-a", "duration:6", "-T", "fields",
                    "-e", "ip.src", "-e", "ip.dst", "-e", "ip.proto", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "esp.spi");
            Thread.sleep(1500); // let tshark open the interface
            String ping = t.exec("h1", 20, "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.2.0.2");
            assertTrue(ping.contains("5 received"), ping);
            double gbps = t.iperf(2);
            assertTrue(gbps > 0.001, "iperf3 through the tunnel: " + gbps + " Gbit/s");
            capture.waitFor(30, TimeUnit.SECONDS);
            List<String> lines = new String(capture.getInputStream().readAllBytes()).lines()
                    .filter(l -> l.matches("^\\d+\\.\\d+\\.\\d+\\.\\d+\\t.*")).toList();
            assertTrue(lines.size() > 100, "captured on pe: " + lines.size());
            for (String l : lines) {
                String[] f = l.split("\t", -1);
                boolean esp = f[2].equals("17") && f[3].equals("4500") && f[4].equals("4500") && !f[5].isEmpty();
                boolean ceToCe = (f[0].equals("192.0.2.1") && f[1].equals("198.51.100.1"))
                        || (f[0].equals("198.51.100.1") && f[1].equals("192.0.2.1"));
                assertTrue(esp && ceToCe, "only ESP in UDP/4500 between the CEs on the SP link, saw: " + l);
            }
            t.close();
            String log = t.dataPlaneLog("ce2");
            Matcher m = Pattern.compile("delivered (\\d+)").matcher(log);
            assertTrue(m.find(), log);
            assertTrue(Long.parseLong(m.group(1)) > 100, log);
            assertEquals(-1, log.indexOf("Exception"), log);
        }
    }
}

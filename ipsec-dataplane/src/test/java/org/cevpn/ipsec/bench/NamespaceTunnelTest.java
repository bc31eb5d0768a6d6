package org.cevpn.ipsec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Root: {@code h1 — ce1 — pe — ce2 — h2} with our data plane (TUN via FFM, static SAs) on ce1 and ce2.
 * Ping and an iperf3 TCP transfer from h1 to h2 pass, and on the ce1–pe link only UDP/4500 ESP is seen.
 */
class NamespaceTunnelTest {
    /**
     * @param superPackets true: TCP super-packets cross whole (IP-fragmented ESP datagrams on the SP link);
     *                     false: segmented before ESP, as for a peer that is not this data plane (no fragments)
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void pingAndTcpCrossTheTunnelAndOnlyEspIsOnTheSpLink(boolean superPackets) throws Exception {
        ExternalTools.requireRoot("the namespace tunnel test");
        ExternalTools.program("ip", "iproute2");
        ExternalTools.program("ping", "iputils-ping");
        ExternalTools.program("iperf3", "iperf3");
        ExternalTools.program("tshark", "tshark");
        TunnelTopology t = TunnelTopology.start(EncryptionAlgorithm.AES_GCM_16_256, 1400, true, superPackets);
        try {
            Process capture = t.spawnQuiet("pe", "tshark", "-n", "-i", "to1", "-a", "duration:5", "-T", "fields",
                    "-e", "ip.src", "-e", "ip.dst", "-e", "ip.proto", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "esp.spi",
                    "-e", "ip.flags.mf", "-e", "ip.frag_offset");
            Thread.sleep(1500); // let tshark open the interface
            String ping = t.exec("h1", 20, "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.2.0.2");
            assertTrue(ping.contains("5 received"), ping);
            double gbps = t.iperf(2);
            assertTrue(gbps > 0.001, "iperf3 through the tunnel: " + gbps + " Gbit/s");
            capture.waitFor(30, TimeUnit.SECONDS);
            List<String> lines = new String(capture.getInputStream().readAllBytes()).lines()
                    .filter(l -> l.matches("^\\d+\\.\\d+\\.\\d+\\.\\d+\\t.*")).toList();
            assertTrue(lines.size() > 100, "captured on pe: " + lines.size());
            long whole = 0;
            for (String l : lines) {
                String[] f = l.split("\t", -1);
                // With TUN offloads one ESP datagram carries a TCP super-packet and is IP-fragmented:
                // a fragment is part of such a datagram (tshark shows the ports on the reassembled last one).
                boolean fragment = f[2].equals("17") && (f[6].equals("1") || f[6].equalsIgnoreCase("true")
                        || (!f[7].isEmpty() && !f[7].equals("0")));
                assertTrue(superPackets || !fragment, "segmented mode sends no IP fragments: " + l);
                boolean esp = f[2].equals("17") && f[3].equals("4500") && f[4].equals("4500") && !f[5].isEmpty();
                if (esp) {
                    whole++;
                }
                esp |= fragment;
                boolean ceToCe = (f[0].equals("192.0.2.1") && f[1].equals("198.51.100.1"))
                        || (f[0].equals("198.51.100.1") && f[1].equals("192.0.2.1"));
                assertTrue(esp && ceToCe, "only ESP in UDP/4500 between the CEs on the SP link, saw: " + l);
            }
            assertTrue(whole > 10, "complete ESP-in-UDP datagrams seen: " + whole);
            t.close();
            String log = t.dataPlaneLog("ce2");
            Matcher m = Pattern.compile("delivered (\\d+)").matcher(log);
            assertTrue(m.find(), log);
            assertTrue(Long.parseLong(m.group(1)) > 100, log);
            assertEquals(-1, log.indexOf("Exception"), log);
        } finally {
            t.close();
        }
    }
}

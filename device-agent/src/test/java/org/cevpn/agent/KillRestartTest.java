package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * Issue 5's crash promise: "an agent killed with -9 and restarted returns with its configuration and its
 * tunnels". Two agents run as separate processes ({@link AgentMain}, as an operator runs them), each with a
 * real TUN device moved into its own network namespace (h1 behind A, h2 behind B), configured only over
 * NETCONF (ncclient). With the tunnel up and a ping through it, A gets SIGKILL — no IKE DELETE, no shutdown
 * hook — and is started again on the same state directory. It must come back with the same committed
 * running configuration, present the same SSH host key (ssh-keyscan), set the tunnel up again on its own
 * (permanent tunnel; B's liveness checks are off, so B learns of the restart from A's INITIAL_CONTACT),
 * both sides must then agree on one IKE SA and one child SA pair, and a ping must cross again.
 * Needs root (TUN devices, namespaces), ncclient, ssh-keyscan and ping.
 */
class KillRestartTest {
    static final String CE = TwoAgentsTest.CE;
    static final InetAddress A = InetAddress.ofLiteral("127.0.0.41");
    static final InetAddress B = InetAddress.ofLiteral("127.0.0.42");
    static final int IKE = 24700;
    static final int NAT_T = 24701;

    @TempDir
    Path dir;
    /** Short and unique: interface names have at most 15 characters. */
    final String tag = "kr" + Long.toString(ProcessHandle.current().pid() % 100_000, 36);
    final String h1 = tag + "h1";
    final String h2 = tag + "h2";
    final List<Process> processes = new ArrayList<>();
    ExternalTools.Program python;
    ExternalTools.Program ip;
    ExternalTools.Program keyscan;
    ExternalTools.Program ping;

    /** One agent process: its NETCONF port from the "agent ready" line. */
    record Agent(Process process, int netconfPort) {
    }

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ip != null) {
            ip.run(List.of("netns", "del", h1));
            ip.run(List.of("netns", "del", h2));
        }
    }

    @Test
    void anAgentKilledWithSigkillReturnsWithItsConfigurationHostKeyAndTunnel() throws Exception {
        ExternalTools.requireRoot("TUN devices in network namespaces for the ping through the tunnel");
        python = ExternalTools.programAt(Path.of("/usr/bin/python3"), "python3-ncclient");
        ExternalTools.require(python.run(List.of("-c", "import ncclient")).exitCode() == 0,
                "python module ncclient (Debian package python3-ncclient)");
        ip = ExternalTools.program("ip", "iproute2");
        keyscan = ExternalTools.program("ssh-keyscan", "openssh-client");
        ping = ExternalTools.program("ping", "iputils-ping");
        Files.write(dir.resolve("client.py"), getClass().getResourceAsStream("netconf_client.py").readAllBytes());
        sh(ip, "netns", "add", h1);
        sh(ip, "netns", "add", h2);

        properties("a", A, tag + "a", "ce1");
        properties("b", B, tag + "b", "ce2");
        Agent a = start("a", h1, "10.1.0.5/16", "10.2.0.0/16");
        Agent b = start("b", h2, "10.2.0.7/16", "10.1.0.0/16");
        edit(a, TwoAgentsTest.vpnConfiguration(3, B, "ce2", TwoAgentsTest.PSK, "10.1.0.0/16", "10.2.0.0/16"));
        edit(b, TwoAgentsTest.vpnConfiguration(3, A, "ce1", TwoAgentsTest.PSK, "10.2.0.0/16", "10.1.0.0/16"));
        Pair before = awaitOnePair(a, b, Optional.empty());
        assertPing("before the kill");

        String runningBefore = client(a, "get-config");
        assertTrue(runningBefore.contains("<configuration-version>3</configuration-version>"), runningBefore);
        String hostKeyBefore = hostKey(a);

        a.process().destroyForcibly(); // SIGKILL: no shutdown hook, no IKE DELETE
        assertTrue(a.process().waitFor(10, TimeUnit.SECONDS), "the agent did not die on SIGKILL");
        assertEquals(137, a.process().exitValue(), "128 + SIGKILL");

        Agent again = start("a", h1, "10.1.0.5/16", "10.2.0.0/16");
        assertEquals(runningBefore, client(again, "get-config"), "running after the restart");
        assertEquals(hostKeyBefore, hostKey(again), "the SSH host key after the restart");
        Pair after = awaitOnePair(again, b, Optional.of(before));
        assertNotEquals(before.initiatorSpi(), after.initiatorSpi());
        assertPing("after the restart");
    }

    /** The IKE SA and child SA both agents report for each other. */
    record Pair(String initiatorSpi, String responderSpi, String childOfA, String childOfB) {
    }

    /**
     * Waits until A and B each report exactly one established IKE SA with the other, with the same SPIs (one
     * IKE SA pair, not two half-matching ones), and exactly one child SA each whose inbound SPI is the other's
     * outbound one; with {@code previous}, also a new IKE SA and none of the old child SAs left on B.
     */
    Pair awaitOnePair(Agent a, Agent b, Optional<Pair> previous) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            Element pa = peer(client(a, "get"), B);
            Element pb = peer(client(b, "get"), A);
            last = "A: " + text(pa) + "\nB: " + text(pb);
            if (pa != null && pb != null && established(pa) && established(pb)) {
                String spiIa = leaf(pa, "initiator-spi");
                String spiRa = leaf(pa, "responder-spi");
                var childrenA = pa.getElementsByTagNameNS(CE, "child-sa");
                var childrenB = pb.getElementsByTagNameNS(CE, "child-sa");
                boolean fresh = previous.map(p -> !p.initiatorSpi().equals(spiIa) || !p.responderSpi().equals(spiRa)).orElse(true);
                if (fresh && spiIa.equals(leaf(pb, "initiator-spi")) && spiRa.equals(leaf(pb, "responder-spi"))
                        && childrenA.getLength() == 1 && childrenB.getLength() == 1) {
                    Element ca = (Element) childrenA.item(0);
                    Element cb = (Element) childrenB.item(0);
                    assertEquals(leaf(ca, "inbound-spi"), leaf(cb, "outbound-spi"), last);
                    assertEquals(leaf(cb, "inbound-spi"), leaf(ca, "outbound-spi"), last);
                    return new Pair(spiIa, spiRa, leaf(ca, "inbound-spi"), leaf(cb, "inbound-spi"));
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no single IKE SA pair with one child SA each:\n" + last);
    }

    static boolean established(Element peer) {
        var ike = peer.getElementsByTagNameNS(CE, "ike-sa");
        return ike.getLength() == 1 && "established".equals(leaf((Element) ike.item(0), "state"));
    }

    static String leaf(Element parent, String name) {
        var nodes = parent.getElementsByTagNameNS(CE, name);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    static String text(Element e) {
        return e == null ? "(no peer entry)" : e.getTextContent().replaceAll("\\s+", " ");
    }

    /** The peer entry for {@code address} in a get reply, or null. */
    static Element peer(String getOutput, InetAddress address) throws Exception {
        String xml = getOutput.substring(getOutput.indexOf("DATA ") + 5, getOutput.lastIndexOf("OK get")).trim();
        var f = DocumentBuilderFactory.newDefaultNSInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        var peers = doc.getElementsByTagNameNS(CE, "peer");
        for (int i = 0; i < peers.getLength(); i++) {
            Element p = (Element) peers.item(i);
            if (leaf(p, "sp-address").equals(address.getHostAddress())) {
                return p;
            }
        }
        return null;
    }

    void properties(String name, InetAddress sp, String tun, String ceId) throws Exception {
        Files.writeString(dir.resolve(name + "-pre.xml"), TwoAgentsTest.preConfiguration(ceId, sp));
        Files.writeString(dir.resolve(name + ".properties"), String.join("\n", "netconf.host = 127.0.0.1", "netconf.port = 0",
                "state.dir = " + name + "-state", "user.admin = admin-pw", "sp.address = " + sp.getHostAddress(),
                "ike.port = " + IKE, "natt.port = " + NAT_T, "vpn.port = tun:" + tun, "pre-configuration = " + name + "-pre.xml", ""));
    }

    /**
     * Starts the agent process {@code name} and moves its TUN device (created in this namespace) into
     * {@code namespace} with the host's address and the route to the other site through it.
     */
    Agent start(String name, String namespace, String hostAddress, String otherSite) throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", AgentMain.class.getName(), "--config",
                dir.resolve(name + ".properties").toString()))
                .redirectErrorStream(true).start();
        processes.add(p);
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        int port = -1;
        for (String line; (line = out.readLine()) != null; ) {
            log.append(line).append('\n');
            var m = java.util.regex.Pattern.compile("^agent ready: NETCONF on [^ ]+:(\\d+),").matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                break;
            }
        }
        assertTrue(port > 0, "agent " + name + " did not start:\n" + log);
        Path logFile = dir.resolve(name + "-" + processes.size() + ".log");
        Thread.ofPlatform().daemon().start(() -> {
            try (var w = Files.newBufferedWriter(logFile)) {
                for (String line; (line = out.readLine()) != null; ) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                }
            } catch (java.io.IOException e) {
                // the process is gone
            }
        });
        String tun = tag + name;
        sh(ip, "link", "set", tun, "netns", namespace);
        sh(ip, "-n", namespace, "addr", "add", hostAddress, "dev", tun);
        sh(ip, "-n", namespace, "link", "set", tun, "up");
        sh(ip, "-n", namespace, "link", "set", "lo", "up");
        sh(ip, "-n", namespace, "route", "replace", otherSite, "dev", tun);
        return new Agent(p, port);
    }

    void assertPing(String when) {
        var run = ip.run(List.of("netns", "exec", h1, ping.path().toString(), "-c", "3", "-i", "0.3", "-W", "3", "10.2.0.7"));
        assertEquals(0, run.exitCode(), "ping h1 -> h2 " + when + ":\n" + run.output());
        assertFalse(run.output().contains(" 0 received"), run.output());
    }

    /** The key part of the host key A presents ("ecdsa-sha2-nistp256 AAAA..."). */
    String hostKey(Agent agent) {
        var run = keyscan.run(List.of("-p", Integer.toString(agent.netconfPort()), "-t", "ecdsa", "127.0.0.1"));
        String line = run.output().lines().filter(l -> l.contains("ecdsa-sha2")).findFirst()
                .orElseThrow(() -> new AssertionError("ssh-keyscan found no host key:\n" + run.output()));
        return line.substring(line.indexOf("ecdsa-sha2")).trim();
    }

    void sh(ExternalTools.Program program, String... args) {
        var run = program.run(List.of(args));
        assertEquals(0, run.exitCode(), program.path() + " " + String.join(" ", args) + ":\n" + run.output());
    }

    void edit(Agent agent, String xml) throws Exception {
        Path f = Files.createTempFile(dir, "edit", ".xml");
        Files.writeString(f, xml);
        client(agent, "edit", f.toString());
    }

    String client(Agent agent, String... command) {
        List<String> argv = new ArrayList<>(List.of(dir.resolve("client.py").toString(), Integer.toString(agent.netconfPort()),
                "admin", "admin-pw"));
        argv.addAll(List.of(command));
        var run = python.run(argv);
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }
}

package org.cevpn.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.cevpn.agent.config.Algorithms;
import org.cevpn.agent.config.ChildSaProposal;
import org.cevpn.agent.config.IkeProposal;
import org.cevpn.ipsec.bench.TunnelTopology;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.Test;

/**
 * Our agent's own lifetime rekey against strongSwan with PFS: ce1 runs the agent (TUN, configured over NETCONF)
 * with a 60 s child SA lifetime (the model's minimum) and pfs-group ecp-256; ce2 runs charon whose
 * {@code esp_proposals} carry the group, so it requires a KE on rekeys. The child SA made in IKE_AUTH names no
 * group; the agent must still rekey it with PFS, or strongSwan refuses and the child expires. Waits for the
 * rekey (48–54 s after set-up), so this is a class of its own (about 75 s).
 */
class StrongSwanPfsRekeyNamespaceTest {
    static final String CE = MixedVpnNamespaceTest.CE;
    static final InetAddress CE1 = InetAddress.ofLiteral("192.0.2.1");
    static final InetAddress CE2 = InetAddress.ofLiteral("198.51.100.1");
    /** strongSwan's log line for a CREATE_CHILD_SA request it received that rekeys a child with a KE payload. */
    static final Pattern PFS_REKEY_REQUEST = Pattern.compile("parsed CREATE_CHILD_SA request \\d+ \\[[^]]*N\\(REKEY_SA\\)[^]]*KE");

    @Test
    void theAgentRekeysItsFirstChildSaWithThePfsGroupStrongSwanRequires() throws Exception {
        ExternalTools.requireRoot("the agent's PFS rekey against strongSwan");
        ExternalTools.program("ip", "iproute2");
        ExternalTools.program("ping", "iputils-ping");
        ExternalTools.program("swanctl", "strongswan-swanctl");
        ExternalTools.require(Files.isExecutable(Path.of(StrongSwanCe.CHARON)),
                StrongSwanCe.CHARON + " not found (strongswan-charon, libcharon-extra-plugins)");
        var python = ExternalTools.programAt(Path.of("/usr/bin/python3"), "python3-ncclient");
        ExternalTools.require(python.run(List.of("-c", "import ncclient")).exitCode() == 0,
                "python module ncclient (Debian package python3-ncclient)");

        byte[] psk = new byte[32];
        new SecureRandom().nextBytes(psk);
        IkeProposal ike = IkeProposal.DEFAULT;
        ChildSaProposal child = new ChildSaProposal(Algorithms.Encryption.AES_GCM_16, 256, Algorithms.Integrity.NONE,
                Optional.of(Algorithms.DhGroup.ECP_256), Duration.ofSeconds(60), 0);
        Path dir = Files.createTempDirectory("cevpn-pfs-");
        Process agent = null;
        StrongSwanCe strongSwan = null;
        try (TunnelTopology topology = TunnelTopology.startLinks()) {
            topology.addTun("ce1", "tun0", 1400, "10.2.0.0/24");
            strongSwan = StrongSwanCe.start(topology, "ce2", dir.resolve("ce2"), List.of(new StrongSwanCe.Connection("ce1", CE2,
                    CE1, "ce2", "ce1", psk, ike, child, "10.2.0.0/24", "10.1.0.0/24")));
            Files.createDirectories(dir.resolve("ce1"));
            Files.writeString(dir.resolve("ce1").resolve("pre.xml"), TwoAgentsTest.preConfiguration("ce1", CE1));
            Files.writeString(dir.resolve("ce1").resolve("agent.properties"), String.join("\n", "netconf.host = 127.0.0.1",
                    "netconf.port = 8300", "state.dir = state", "user.admin = admin-pw", "sp.address = " + CE1.getHostAddress(),
                    "ike.port = 500", "natt.port = 4500", "vpn.port = tun:tun0", "pre-configuration = pre.xml", ""));
            Path log = dir.resolve("ce1").resolve("agent.log");
            agent = new ProcessBuilder("ip", "netns", "exec", topology.ns("ce1"),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                    "--config", dir.resolve("ce1").resolve("agent.properties").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            topology.adopt(agent);
            await("the agent to start", 90, () -> Files.readString(log).contains("agent ready"));

            Path client = dir.resolve("client.py");
            Files.write(client, getClass().getResourceAsStream("netconf_client.py").readAllBytes());
            Path edit = dir.resolve("vpn.xml");
            Files.writeString(edit, "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>1</configuration-version>"
                    + "<vpn><vpn-id>acme</vpn-id><local-prefix>10.1.0.0/24</local-prefix></vpn>"
                    + "<peer><sp-address>" + CE2.getHostAddress() + "</sp-address><ce-id>ce2</ce-id><vpn-id>acme</vpn-id>"
                    + "<authentication-method>pre-shared</authentication-method><pre-shared-key>"
                    + Base64.getEncoder().encodeToString(psk) + "</pre-shared-key>"
                    + MixedVpnNamespaceTest.saInformation(ike, child).replace("</child-sa>", "<lifetime>60</lifetime></child-sa>")
                    + "<tunnel-information><establishment>permanent</establishment></tunnel-information>"
                    + "<remote-prefix>10.2.0.0/24</remote-prefix></peer></vpn-configuration></ce-device>");
            try {
                topology.exec("ce1", 60, "/usr/bin/python3", client.toString(), "8300", "admin", "admin-pw", "edit", edit.toString());
            } finally {
                Files.delete(edit); // it holds the PSK
            }
            StrongSwanCe charon = strongSwan;
            await("the tunnel at strongSwan", 30, () -> charon.established("ce1"));
            ping(topology, charon);
            assertFalse(PFS_REKEY_REQUEST.matcher(charon.log()).find(), "no rekey yet");

            // The supervisor rekeys at 80–90 % of the 60 s lifetime, i.e. 48–54 s after the child came up.
            await("the agent's rekey with a KE payload, accepted by strongSwan", 75,
                    () -> PFS_REKEY_REQUEST.matcher(charon.log()).find()
                            && charon.log().matches("(?s).*CHILD_SA ce1\\{\\d+\\} established.*CHILD_SA ce1\\{\\d+\\} established.*"));
            String charonLog = charon.log();
            assertFalse(charonLog.contains("no acceptable proposal found"), charon.logTail());
            await("one child SA at strongSwan after the rekey", 10,
                    () -> charon.swanctl("--list-sas", "--ike", "ce1").lines().filter(l -> l.contains("INSTALLED")).count() == 1);
            ping(topology, charon);
        } finally {
            if (agent != null) {
                agent.destroy();
                agent.waitFor(15, TimeUnit.SECONDS);
            }
            if (strongSwan != null) {
                strongSwan.close();
            }
            Path state = dir.resolve("ce1").resolve("state"); // holds the PSK
            if (Files.isDirectory(state)) {
                try (var files = Files.walk(state)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
    }

    static void ping(TunnelTopology topology, StrongSwanCe charon) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                topology.exec("h1", 15, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.2.0.2");
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(300);
            }
        }
        throw new AssertionError("ping h1 -> h2 failed: " + last + "\ncharon:\n" + charon.logTail());
    }

    static void await(String what, int seconds, java.util.concurrent.Callable<Boolean> done) throws Exception {
        MixedVpnNamespaceTest.await(what, seconds, done);
    }
}

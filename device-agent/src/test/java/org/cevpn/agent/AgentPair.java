package org.cevpn.agent;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.netconf.datastore.Datastore;

/**
 * Two CE agents for the client tests: A, the one the client under test drives, starts with its pre-configuration
 * only; B, its peer, starts with A already in its VPN configuration, so the moment a client commits B into A's
 * configuration a permanent PSK tunnel comes up — a real tunnel-up notification, real ike-sa/child-sa state.
 * Users: {@code admin} (a recovery user: full access) and {@code operator} (NACM's defaults only: reads
 * everything but the secrets, writes nothing).
 */
final class AgentPair implements AutoCloseable {
    static final String CE = TwoAgentsTest.CE;
    static final String ADMIN = "admin";
    static final String ADMIN_PW = "admin-pw";
    static final String OPERATOR = "operator";
    static final String OPERATOR_PW = "operator-pw";

    final InetAddress addressA;
    final InetAddress addressB;
    final CeAgent a;
    final CeAgent b;
    private final List<CeAgent> agents = new ArrayList<>();

    /**
     * @param base the last octet of A's 127.0.0.x address (B is base + 1); {@code ikePort} and the next for NAT-T.
     *             The client tests use 141-149 and 257xx, clear of the other agent tests' 127.0.0.1x-4x and 245xx-247xx.
     */
    AgentPair(Path dir, int base, int ikePort) throws Exception {
        addressA = InetAddress.ofLiteral("127.0.0." + base);
        addressB = InetAddress.ofLiteral("127.0.0." + (base + 1));
        try {
            a = start(dir.resolve("a"), addressA, ikePort, TwoAgentsTest.preConfiguration("ce1", addressA));
            String pre = TwoAgentsTest.preConfiguration("ce2", addressB);
            String vpn = vpnConfiguration(addressA, "ce1", "10.2.0.0/16", "10.1.0.0/16");
            b = start(dir.resolve("b"), addressB, ikePort, pre.replace("</ce-device>", vpn + "</ce-device>"));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private CeAgent start(Path state, InetAddress sp, int ikePort, String preConfiguration) throws Exception {
        Files.createDirectories(state);
        var settings = new CeAgent.Settings("127.0.0.1", 0, state, Map.of(ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW), sp,
                ikePort, ikePort + 1, Optional.of(preConfiguration), Set.of(ADMIN));
        CeAgent agent = new CeAgent(settings, new MemoryPacketPort("vpn-" + sp.getHostAddress(), 64));
        agents.add(agent);
        return agent;
    }

    /** The {@code <vpn-configuration>} element of a CE with one permanent PSK peer. */
    static String vpnConfiguration(InetAddress peer, String peerCeId, String local, String remote) {
        String full = TwoAgentsTest.vpnConfiguration(1, peer, peerCeId, TwoAgentsTest.PSK, local, remote);
        return full.substring(full.indexOf("<vpn-configuration>"), full.indexOf("</ce-device>"));
    }

    /** What a client commits into A to bring the tunnel to B up: /ce-device with A's VPN configuration. */
    String peerBForA() {
        return "<ce-device xmlns=\"" + CE + "\">" + vpnConfiguration(addressB, "ce2", "10.1.0.0/16", "10.2.0.0/16")
                + "</ce-device>";
    }

    boolean tunnelUp() {
        return TwoAgentsTest.established(a, addressB) && TwoAgentsTest.established(b, addressA);
    }

    void awaitTunnel(Duration max) throws InterruptedException {
        TwoAgentsTest.await("the tunnel between A and B", max, this::tunnelUp);
    }

    /** A's three datastores and its running file, to show a refused request changed nothing. */
    record Datastores(String running, String candidate, String startup, byte[] runningFile) {
        boolean same(Datastores other) {
            return running.equals(other.running) && candidate.equals(other.candidate) && startup.equals(other.startup)
                    && java.util.Arrays.equals(runningFile, other.runningFile);
        }
    }

    Datastores datastoresOfA(Path dir) throws Exception {
        var ds = a.datastores();
        Path file = dir.resolve("a").resolve("running.xml");
        return new Datastores(new String(ds.toXml(Datastore.RUNNING), StandardCharsets.UTF_8),
                new String(ds.toXml(Datastore.CANDIDATE), StandardCharsets.UTF_8),
                new String(ds.toXml(Datastore.STARTUP), StandardCharsets.UTF_8),
                Files.exists(file) ? Files.readAllBytes(file) : new byte[0]);
    }

    @Override
    public void close() throws Exception {
        for (CeAgent agent : agents) {
            agent.close();
        }
    }
}

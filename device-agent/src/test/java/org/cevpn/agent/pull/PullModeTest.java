package org.cevpn.agent.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.cevpn.agent.CeAgent;
import org.cevpn.agent.pull.server.TestVpnServer;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.client.ClientCredential;
import org.cevpn.netconf.client.NetconfClient;
import org.cevpn.netconf.client.ServerAuthentication;
import org.cevpn.netconf.client.SshKeys;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.netconf.datastore.RpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The pull client against a VPN server built from the shared NETCONF code ({@link TestVpnServer}): CE agents on
 * 127.0.5.x that start from a pre-configuration only (server address, pinned host key, client key) and get their
 * VPN configuration by pull (start, periodic, unknown peer, resync), by combined mode (configuration-changed), and by
 * push with confirmed-commit.
 */
class PullModeTest {
    static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    static final String VDB = "urn:cevpn:params:xml:ns:yang:cevpn-vpn-database";
    static final int IKE = 25500;
    static final int NAT_T = 25501;
    static final String PSK = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final InetAddress A = InetAddress.ofLiteral("127.0.5.1");
    static final InetAddress B = InetAddress.ofLiteral("127.0.5.2");

    /** One CE as the database and its pre-configuration know it. */
    record Site(String id, InetAddress sp, String prefix, String clientKeyBlob, String privateKeyPkcs8) {
    }

    @TempDir
    Path dir;
    TestVpnServer server;
    final List<CeAgent> agents = new ArrayList<>();
    final List<NetconfClient> clients = new ArrayList<>();
    final Site ce1 = site("ce1", A, "10.1.0.0/16");
    final Site ce2 = site("ce2", B, "10.2.0.0/16");

    static Site site(String id, InetAddress sp, String prefix) {
        try {
            var gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(256);
            var pair = gen.generateKeyPair();
            return new Site(id, sp, prefix, Base64.getEncoder().encodeToString(SshKeys.blob(pair.getPublic())),
                    Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (NetconfClient c : clients) {
            c.close();
        }
        for (CeAgent agent : agents) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** acme, full mesh, PSK, permanent tunnels; {@code members} are in it, the others only known as CE devices. */
    static String database(List<Site> members, List<Site> others, Map<String, String> prefixOverride) {
        var x = new StringBuilder("<vpn-database xmlns=\"" + VDB + "\"><vpn><id>acme</id><topology>full-mesh</topology>"
                + "<authentication-method>pre-shared</authentication-method><tunnel-profile><establishment>permanent"
                + "</establishment><ipsec-mode>tunnel</ipsec-mode><dynamic-routing>false</dynamic-routing></tunnel-profile>");
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                x.append("<pre-shared-key><ce-id>").append(members.get(i).id()).append("</ce-id><peer-ce-id>")
                        .append(members.get(j).id()).append("</peer-ce-id><key>").append(PSK).append("</key></pre-shared-key>");
            }
        }
        x.append("</vpn>");
        for (Site s : members) {
            String prefix = prefixOverride.getOrDefault(s.id(), s.prefix());
            x.append(device(s, "<vpn-membership><vpn-id>acme</vpn-id>"
                    + (prefix.isEmpty() ? "" : "<local-prefix>" + prefix + "</local-prefix>") + "</vpn-membership>"));
        }
        for (Site s : others) {
            x.append(device(s, ""));
        }
        return x.append("</vpn-database>").toString();
    }

    static String device(Site s, String membership) {
        return "<ce-device><id>" + s.id() + "</id><sp-address>" + s.sp().getHostAddress() + "</sp-address><management>"
                + "<client-key>" + s.clientKeyBlob() + "</client-key></management>" + membership + "</ce-device>";
    }

    String preConfiguration(Site s, String hostKey, int pullInterval) {
        return preConfiguration(s, "<address>127.0.0.1</address><port>" + server.port() + "</port>", hostKey, pullInterval);
    }

    String preConfiguration(Site s, String location, String hostKey, int pullInterval) {
        return "<ce-device xmlns=\"" + CE + "\"><ce-id>" + s.id() + "</ce-id><pre-configuration><sp-address>"
                + s.sp().getHostAddress() + "</sp-address><vpn-server>" + location + "<ssh-host-key>" + hostKey + "</ssh-host-key></vpn-server>"
                + "<client-identity><private-key>" + s.privateKeyPkcs8() + "</private-key></client-identity>"
                + "<timers><pull-interval>" + pullInterval + "</pull-interval><min-retry-wait>1</min-retry-wait>"
                + "<retry-interval>2</retry-interval><backoff-limit>4</backoff-limit><alarm-threshold>3</alarm-threshold>"
                + "<liveness-interval>0</liveness-interval></timers></pre-configuration></ce-device>";
    }

    CeAgent agent(Site s, int pullInterval) throws Exception {
        return agent(s, server.hostKey(), pullInterval);
    }

    CeAgent agent(Site s, String pinnedHostKey, int pullInterval) throws Exception {
        return agentWith(s, preConfiguration(s, pinnedHostKey, pullInterval));
    }

    CeAgent agentWith(Site s, String preConfiguration) throws Exception {
        Path state = Files.createDirectories(dir.resolve(s.id()));
        CeAgent agent = new CeAgent(new CeAgent.Settings("127.0.0.1", 0, state, Map.of("admin", "admin-pw"), s.sp(), IKE, NAT_T,
                Optional.of(preConfiguration)), new MemoryPacketPort("vpn-" + s.id(), 64));
        agents.add(agent);
        return agent;
    }

    /** An operator's (or a pushing server's) NETCONF session with an agent. */
    NetconfClient operator(CeAgent agent, NetconfClient.Events events) throws Exception {
        var client = NetconfClient.connect(new NetconfClient.Settings("127.0.0.1", agent.netconfPort(), "admin",
                new ServerAuthentication.PinnedHostKey(SshKeys.blob(agent.hostKey())), new ClientCredential.Password("admin-pw"),
                Duration.ofSeconds(10)), events);
        clients.add(client);
        return client;
    }

    static String running(CeAgent agent) {
        return new String(agent.datastores().toXml(Datastore.RUNNING), StandardCharsets.UTF_8);
    }

    static boolean established(CeAgent agent, InetAddress peer) {
        var s = agent.tunnels().get(peer);
        return s != null && s.state().equals("established") && !s.children().isEmpty();
    }

    static void await(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void twoCesWithOnlyAPreConfigurationPullTheirConfigurationAndBringUpTheTunnel() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        var started = java.time.Instant.now();
        CeAgent a = agent(ce1, 3600);
        CeAgent b = agent(ce2, 3600);
        await(Duration.ofSeconds(30), () -> established(a, B) && established(b, A), "the pulled PSK tunnel");
        assertEquals(Optional.of("updated"), a.syncState().lastPullResult());
        assertTrue(a.syncState().nextPull().isPresent());
        // sync-state as an operator sees it, and configuration-applied (replayed from the start) saying "pull"
        var events = new CopyOnWriteArrayList<String>();
        var operator = operator(a, new NetconfClient.Events() {
            @Override
            public void notification(Element n) {
                events.add(serialize(n));
            }
        });
        operator.rpc("<create-subscription xmlns=\"urn:ietf:params:xml:ns:netconf:notification:1.0\"><startTime>" + started
                + "</startTime></create-subscription>").orThrow();
        await(Duration.ofSeconds(5), () -> events.stream().anyMatch(n -> n.contains("<configuration-applied>")
                && n.contains("<source>pull</source>")), "configuration-applied with source pull");
        var get = operator.rpc("<get/>").orThrow();
        var text = serialize(get);
        assertTrue(text.contains("<last-pull-result>updated</last-pull-result>"), text);
        assertTrue(text.contains("<applied-version>" + server.version() + "</applied-version>"), text);
        assertTrue(text.contains("<remote-prefix>10.2.0.0/16</remote-prefix>"), text);

        // ce2 leaves the VPN (draft §3.6): its next pull (here a resync) holds no peers, its tunnel is deleted
        server.commit(database(List.of(ce1), List.of(ce2), Map.of()));
        var reply = serialize(operator(b, new NetconfClient.Events() { }).rpc("<resync xmlns=\"" + CE + "\"/>").orThrow());
        assertTrue(reply.contains("<updated>true</updated>"), reply);
        await(Duration.ofSeconds(10), () -> b.tunnels().isEmpty() && !established(a, B), "the tunnel to go down on both sides");
        assertFalse(running(b).contains("<peer>"));
    }

    @Test
    void pullsLogNoSecrets() throws Exception {
        // slf4j-simple writes to the System.err of the moment: keep a copy of everything logged meanwhile
        var copy = new java.io.ByteArrayOutputStream();
        var err = System.err;
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int c) {
                err.write(c);
                synchronized (copy) {
                    copy.write(c);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                synchronized (copy) {
                    copy.write(b, off, len);
                }
            }
        }, true));
        try {
            server = new TestVpnServer(dir.resolve("server"), true);
            server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
            CeAgent a = agent(ce1, 3600);
            CeAgent b = agent(ce2, 3600);
            await(Duration.ofSeconds(30), () -> established(a, B) && established(b, A), "the pulled PSK tunnel");
            server.commit(database(List.of(ce1, ce2), List.of(), Map.of("ce2", "")));  // a rejected pull logs its error
            await(Duration.ofSeconds(5), () -> a.syncState().lastPullResult().equals(Optional.of("rejected")), "the rejection");
        } finally {
            System.setErr(err);
        }
        String logged;
        synchronized (copy) {
            logged = copy.toString(StandardCharsets.UTF_8);
        }
        assertTrue(logged.contains("PullClient"), "the capture saw the pull client's log");
        assertFalse(logged.contains(PSK), "a pre-shared key was logged");
        assertFalse(logged.contains(ce1.privateKeyPkcs8()) || logged.contains(ce2.privateKeyPkcs8()), "a private key was logged");
    }

    @Test
    void thePeriodicPullPicksUpAChange() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        CeAgent a = agent(ce1, 10); // the model's shortest pull-interval
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.0.0/16"), "the first pull");
        int pullsBefore = server.pulls("ce1");
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of("ce2", "10.2.99.0/24")));
        long t0 = System.nanoTime();
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.99.0/24"), "the change by periodic pull");
        System.out.printf("periodic-pull-seconds: %.1f (pull-interval 10)%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(server.pulls("ce1") > pullsBefore);
        assertFalse(running(a).contains("10.2.0.0/16"), "the pulled configuration replaces the old one");
    }

    @Test
    void combinedModeAppliesACommitOnTheServersNotification() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), true);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        CeAgent a = agent(ce1, 3600);
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.0.0/16"), "the first pull");
        Thread.sleep(300); // the subscription follows the first pull on the same session
        long t0 = System.nanoTime();
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of("ce2", "10.2.77.0/24")));
        await(Duration.ofSeconds(3), () -> running(a).contains("10.2.77.0/24"), "the pull on configuration-changed");
        System.out.printf("combined-mode-ms: %d%n", (System.nanoTime() - t0) / 1_000_000);
        await(Duration.ofSeconds(2), () -> a.syncState().lastPullResult().equals(Optional.of("updated")), "sync-state updated");
    }

    @Test
    void aLostSessionIsReestablishedWithBackoffAndTheCePullsWhatItMissed() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), true);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        CeAgent a = agent(ce1, 3600);
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.0.0/16"), "the first pull");
        int port = server.port();
        server.close();
        await(Duration.ofSeconds(5), () -> a.syncState().lastError().filter(e -> e.contains("lost")).isPresent(),
                "the lost session in sync-state");
        Thread.sleep(2000); // a reconnection attempt or two fail meanwhile (backoff 1 s, 2 s, ... 4 s)
        assertEquals(Optional.of("unreachable"), a.syncState().lastPullResult());
        // the server comes back (same host key, same database) with a change the CE was not told about
        server = new TestVpnServer(dir.resolve("server"), true, port);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of("ce2", "10.2.44.0/24")));
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.44.0/24"), "the pull after reconnecting");
        // sync-state is recorded just after running is written
        await(Duration.ofSeconds(2), () -> a.syncState().lastError().isEmpty(), "a successful pull clears last-error");
        assertEquals(Optional.of("updated"), a.syncState().lastPullResult());
    }

    @Test
    void anUnknownPeerStartingIkeMakesTheCePullAndTheTunnelComesUp() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        // ce2 is known to the server but in no VPN yet
        server.commit(database(List.of(ce1), List.of(ce2), Map.of()));
        CeAgent a = agent(ce1, 3600);
        CeAgent b = agent(ce2, 3600);
        await(Duration.ofSeconds(15), () -> server.pulls("ce1") >= 1 && server.pulls("ce2") >= 1, "both first pulls");
        await(Duration.ofSeconds(5), () -> a.syncState().lastPull().isPresent(), "ce1's sync-state");
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        int ce1Pulls = server.pulls("ce1");
        // ce2 learns of ce1 (resync), initiates; ce1 has not pulled: the IKE_SA_INIT comes from an unknown peer
        var reply = operator(b, new NetconfClient.Events() { }).rpc("<resync xmlns=\"" + CE + "\"/>").orThrow();
        assertTrue(serialize(reply).contains("<updated>true</updated>"), serialize(reply));
        await(Duration.ofSeconds(30), () -> established(a, B) && established(b, A), "the tunnel after the unknown-peer pull");
        assertTrue(server.pulls("ce1") > ce1Pulls, "ce1 pulled because of the unknown peer");
    }

    @Test
    void aServerWithAnotherHostKeyIsRefusedAndSyncStateSaysWhy() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        var gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        String wrong = Base64.getEncoder().encodeToString(SshKeys.blob(gen.generateKeyPair().getPublic()));
        CeAgent a = agent(ce1, wrong, 3600);
        await(Duration.ofSeconds(15), () -> a.syncState().lastError().isPresent(), "the failed pull");
        String error = a.syncState().lastError().orElseThrow();
        assertTrue(error.contains("not the pinned key"), error);
        assertEquals(Optional.of("unreachable"), a.syncState().lastPullResult());
        assertEquals(0, server.pulls("ce1"), "no request reached the impostor");
        assertFalse(running(a).contains("vpn-configuration"));
        var client = operator(a, new NetconfClient.Events() { });
        assertTrue(serialize(client.rpc("<get/>").orThrow()).contains("not the pinned key"));
        var e = assertThrows(RpcException.class, () -> client.rpc("<resync xmlns=\"" + CE + "\"/>").orThrow());
        assertEquals(ErrorTag.RESOURCE_DENIED, e.errors().get(0).tag());
        assertEquals("server-unreachable", e.errors().get(0).appTag());
    }

    @Test
    void theServerIsRecognisedByItsSshCertificateAuthority() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        var gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        var ca = gen.generateKeyPair();
        var cert = org.opendaylight.netconf.shaded.sshd.certificate.OpenSshCertificateBuilder.hostCertificate()
                .publicKey(server.hostPublicKey()).id("vpn-server").principals(List.of("127.0.0.1"))
                .validBefore(java.time.Instant.now().plus(Duration.ofHours(1))).sign(ca);
        server.hostCertificate(org.opendaylight.netconf.shaded.sshd.common.config.keys.KeyUtils.getKeyType(cert) + " "
                + Base64.getEncoder().encodeToString(SshKeys.blob(cert)));
        String caKey = "<ssh-certificate-authority>" + Base64.getEncoder().encodeToString(SshKeys.blob(ca.getPublic()))
                + "</ssh-certificate-authority>";
        CeAgent a = agentWith(ce1, preConfiguration(ce1, server.hostKey(), 3600)
                .replaceFirst("<ssh-host-key>[^<]*</ssh-host-key>", caKey));
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.0.0/16"), "the pull from the certified server");

        // Another CA's CE does not trust the server: no pull, and last-error says why.
        var other = gen.generateKeyPair();
        CeAgent b = agentWith(ce2, preConfiguration(ce2, server.hostKey(), 3600).replaceFirst("<ssh-host-key>[^<]*</ssh-host-key>",
                "<ssh-certificate-authority>" + Base64.getEncoder().encodeToString(SshKeys.blob(other.getPublic()))
                        + "</ssh-certificate-authority>"));
        await(Duration.ofSeconds(15), () -> b.syncState().lastError().isPresent(), "the refused pull");
        String error = b.syncState().lastError().orElseThrow();
        assertTrue(error.contains("not the configured CA"), error);
        assertEquals(0, server.pulls("ce2"));
    }

    @Test
    void anInvalidPulledConfigurationIsRejectedAndTheLastGoodOneStays() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        CeAgent a = agent(ce1, 3600);
        var notifications = new CopyOnWriteArrayList<String>();
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.0.0/16"), "the first pull");
        operator(a, new NetconfClient.Events() {
            @Override
            public void notification(Element n) {
                notifications.add(serialize(n));
            }
        }).createSubscription();
        // ce2 without prefixes: ce1's peer would have neither remote-prefix nor dynamic routing (a must fails on the CE)
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of("ce2", "")));
        var e = assertThrows(RpcException.class, () -> operator(a, new NetconfClient.Events() { })
                .rpc("<resync xmlns=\"" + CE + "\"/>").orThrow());
        assertEquals("remote-prefix-missing", e.errors().get(0).appTag());
        assertEquals(Optional.of("rejected"), a.syncState().lastPullResult());
        assertTrue(running(a).contains("10.2.0.0/16"), "the last good configuration stays");
        await(Duration.ofSeconds(5), () -> notifications.stream().anyMatch(n -> n.contains("configuration-rejected")
                && n.contains("remote-prefix-missing")), "configuration-rejected");
    }

    @Test
    void aConfirmedCommitPushedToTheCeRollsBackWhenNotConfirmedAndTheTunnelFollows() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        CeAgent a = agent(ce1, 3600);
        CeAgent b = agent(ce2, 3600);
        await(Duration.ofSeconds(30), () -> established(a, B) && established(b, A), "the pulled tunnel");
        var notifications = new CopyOnWriteArrayList<String>();
        // The VPN server pushes to ce1 (the controller's southbound, here by hand): it edits the candidate, which
        // holds what ce1 pulled (an untouched candidate follows running), and commits with confirmed-commit.
        var push = operator(a, new NetconfClient.Events() {
            @Override
            public void notification(Element n) {
                notifications.add(serialize(n));
            }
        });
        push.createSubscription();
        var edit = push.rpc("<edit-config><target><candidate/></target><config><ce-device xmlns=\"" + CE + "\" "
                + "xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><vpn-configuration><configuration-version>1000"
                + "</configuration-version><peer nc:operation=\"delete\"><sp-address>" + B.getHostAddress()
                + "</sp-address></peer></vpn-configuration></ce-device></config></edit-config>");
        assertTrue(edit.ok(), edit.errors().toString());
        assertTrue(push.rpc("<commit><confirmed/><confirm-timeout>3</confirm-timeout></commit>").ok());
        await(Duration.ofSeconds(5), () -> a.tunnels().get(B) == null, "the pushed removal of the peer");
        await(Duration.ofSeconds(5), () -> notifications.stream().anyMatch(n -> n.contains("configuration-applied")
                && n.contains("<configuration-version>1000</configuration-version>") && n.contains("<source>push</source>")),
                "configuration-applied from push");
        // no confirmation: running rolls back after 3 s and the tunnel comes back
        await(Duration.ofSeconds(10), () -> running(a).contains(B.getHostAddress()), "the rollback");
        assertFalse(running(a).contains("<configuration-version>1000<"));
        await(Duration.ofSeconds(30), () -> established(a, B) && established(b, A), "the tunnel after the rollback");
    }

    @Test
    void aUrlLocatesTheServerToo() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        CeAgent a = agentWith(ce1, preConfiguration(ce1, "<url>netconf://127.0.0.1:" + server.port() + "</url>", server.hostKey(),
                3600));
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.0.0/16"), "the pull from the URL's server");
    }

    @Test
    void theServerAnswersACeForItselfOnly() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        var key = org.cevpn.netconf.client.ClientKey.fromPkcs8(Base64.getDecoder().decode(ce1.privateKeyPkcs8()));
        var client = NetconfClient.connect(new NetconfClient.Settings("127.0.0.1", server.port(), "ce1",
                new ServerAuthentication.PinnedHostKey(Base64.getDecoder().decode(server.hostKey())), key, Duration.ofSeconds(10)),
                new NetconfClient.Events() { });
        clients.add(client);
        var e = assertThrows(RpcException.class, () -> client.rpc("<pull-configuration xmlns=\"" + VDB
                + "\"><ce-id>ce2</ce-id></pull-configuration>").orThrow());
        assertEquals(ErrorTag.ACCESS_DENIED, e.errors().get(0).tag());
        String own = serialize(client.rpc("<pull-configuration xmlns=\"" + VDB + "\"><ce-id>ce1</ce-id></pull-configuration>").orThrow());
        assertTrue(own.contains("<ce-id>ce2</ce-id>") && own.contains("<pre-shared-key>" + PSK + "</pre-shared-key>"), own);
        // ce2's key does not open ce1's account
        var other = org.cevpn.netconf.client.ClientKey.fromPkcs8(Base64.getDecoder().decode(ce2.privateKeyPkcs8()));
        assertThrows(java.io.IOException.class, () -> NetconfClient.connect(new NetconfClient.Settings("127.0.0.1", server.port(),
                "ce1", new ServerAuthentication.PinnedHostKey(Base64.getDecoder().decode(server.hostKey())), other,
                Duration.ofSeconds(10)), new NetconfClient.Events() { }));
    }

    @Test
    void resyncPullsNowAndSaysWhetherItUpdated() throws Exception {
        server = new TestVpnServer(dir.resolve("server"), false);
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of()));
        CeAgent a = agent(ce1, 3600);
        await(Duration.ofSeconds(15), () -> running(a).contains("10.2.0.0/16"), "the first pull");
        server.commit(database(List.of(ce1, ce2), List.of(), Map.of("ce2", "10.2.55.0/24")));
        var client = operator(a, new NetconfClient.Events() { });
        String first = serialize(client.rpc("<resync xmlns=\"" + CE + "\"/>").orThrow());
        assertTrue(first.contains("<updated>true</updated>"), first);
        assertTrue(first.contains("<configuration-version>" + server.version() + "</configuration-version>"), first);
        assertTrue(running(a).contains("10.2.55.0/24"));
        String second = serialize(client.rpc("<resync xmlns=\"" + CE + "\"/>").orThrow());
        assertTrue(second.contains("<updated>false</updated>"), second);
        assertTrue(second.contains("<configuration-version>" + server.version() + "</configuration-version>"), second);
    }

    static String serialize(Element e) {
        try {
            var t = javax.xml.transform.TransformerFactory.newDefaultInstance().newTransformer();
            t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
            var w = new java.io.StringWriter();
            t.transform(new javax.xml.transform.dom.DOMSource(e), new javax.xml.transform.stream.StreamResult(w));
            // drop namespace declarations so that tests can look for plain elements
            return w.toString().replaceAll(" xmlns(:\\w+)?=\"[^\"]*\"", "");
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }
}

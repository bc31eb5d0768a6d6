package org.cevpn.agent.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cevpn.agent.CeAgent;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.netconf.DomElements;
import org.cevpn.netconf.client.ClientCredential;
import org.cevpn.netconf.client.NetconfClient;
import org.cevpn.netconf.client.ServerAuthentication;
import org.cevpn.netconf.client.SshKeys;
import org.w3c.dom.Element;

/**
 * {@code ./cevpn demo}: two CE agents on this host, provisioned the way a VPN server does it in push mode (draft
 * §3.3) — NETCONF over SSH, edit-config to the candidate, commit, confirmed-commit — bring up their IKEv2 tunnel,
 * carry packets between their VPN ports, and take the tunnel down when the peer is removed. Every step is
 * checked; the exit status says whether all held.
 *
 * <p>What it shows is real: the agents are the ones {@code ./cevpn agent} runs (SSH host keys pinned, candidate
 * datastore validated, IKE and ESP over UDP on 127.0.0.51/52). Only the VPN ports are in memory, so it needs no
 * root; the namespace tests and {@code bench tunnel} do the same over TUN.
 */
public final class Demo {
    private static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    private static final String BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
    private static final int IKE = 24700;
    private static final int NAT_T = 24701;
    private static final String PASSWORD = "demo-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    private static final Duration STEP = Duration.ofSeconds(20);

    /** One CE: the agent, its VPN port, the operator's NETCONF session to it and what that session was notified of. */
    private record Site(String ceId, InetAddress sp, String prefix, String host, CeAgent agent, MemoryPacketPort port,
                        NetconfClient netconf, LinkedBlockingQueue<String> notifications) {
    }

    private final Path dir;
    private final long start = System.nanoTime();

    Demo(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        // No VPN server runs here (push mode): the pull client's "unreachable" retries would only be noise.
        System.setProperty("org.slf4j.simpleLogger.log.org.cevpn.agent.pull", "error");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // The operator's sessions end with the demo: MINA's "connection reset" of each is expected.
        System.setProperty("org.slf4j.simpleLogger.log.org.opendaylight.netconf.shaded.sshd", "error");
        Path dir = Files.createTempDirectory("cevpn-demo");
        try {
            new Demo(dir).run();
            System.out.println("demo: every step held");
        } catch (DemoFailure e) {
            System.out.println("demo FAILED: " + e.getMessage());
            System.exit(1);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    void run() throws Exception {
        Site ce1 = site("ce1", "127.0.0.51", "10.1.0.0/16", "10.1.0.5");
        Site ce2 = site("ce2", "127.0.0.52", "10.2.0.0/16", "10.2.0.7");
        try {
            say("two CE agents up: ce1 NETCONF 127.0.0.1:%d, IKE %s; ce2 NETCONF 127.0.0.1:%d, IKE %s",
                    ce1.agent().netconfPort(), ce1.sp().getHostAddress(), ce2.agent().netconfPort(), ce2.sp().getHostAddress());
            say("the VPN server's sessions: SSH host keys pinned (ce1 %s), subscribed to the NETCONF stream",
                    SshKeys.fingerprint(ce1.agent().hostKey()));

            provision(ce1, ce2, 1);
            provision(ce2, ce1, 1);
            expect(ce1, "tunnel-up");
            expect(ce2, "tunnel-up");
            say("tunnel up on both CEs");

            traffic(ce1, ce2, 200);
            traffic(ce2, ce1, 200);
            showState(ce1);

            // Confirmed commit (RFC 6241 §8.4) of a change that is never confirmed: the CE rolls it back.
            edit(ce1, removePeer(ce2, 2));
            ok(ce1, "<commit><confirmed/><confirm-timeout>2</confirm-timeout></commit>");
            say("ce1: confirmed commit removing ce2, not confirmed within 2 s");
            expect(ce1, "tunnel-down");
            expect(ce1, "tunnel-up");
            say("ce1 rolled the commit back: the tunnel is up again");
            traffic(ce1, ce2, 10);

            edit(ce1, removePeer(ce2, 3));
            ok(ce1, "<commit/>");
            expect(ce1, "tunnel-down");
            expect(ce2, "tunnel-down");
            say("ce1: peer ce2 removed and committed: IKE DELETE, the tunnel is down on both CEs");
        } finally {
            for (Site s : List.of(ce1, ce2)) {
                s.netconf().close();
                s.agent().close();
            }
        }
    }

    private Site site(String ceId, String sp, String prefix, String host) throws Exception {
        InetAddress address = InetAddress.ofLiteral(sp);
        Path state = Files.createDirectories(dir.resolve(ceId));
        MemoryPacketPort port = new MemoryPacketPort("vpn-" + ceId, 1024);
        CeAgent agent;
        try {
            agent = new CeAgent(new CeAgent.Settings("127.0.0.1", 0, state, Map.of("admin", PASSWORD), address, IKE, NAT_T,
                    Optional.of(preConfiguration(ceId, address))), port);
        } catch (IOException e) {
            throw new DemoFailure("cannot start " + ceId + " on " + sp + " (" + e.getMessage()
                    + "): the demo needs 127.0.0.0/8 on lo and UDP " + IKE + "/" + NAT_T + " free there");
        }
        LinkedBlockingQueue<String> notifications = new LinkedBlockingQueue<>();
        NetconfClient netconf = NetconfClient.connect(new NetconfClient.Settings("127.0.0.1", agent.netconfPort(), "admin",
                new ServerAuthentication.PinnedHostKey(SshKeys.blob(agent.hostKey())), new ClientCredential.Password(PASSWORD),
                Duration.ofSeconds(10)), new NetconfClient.Events() {
                    @Override
                    public void notification(Element notification) {
                        notifications.add(describe(notification));
                    }
                });
        netconf.createSubscription();
        return new Site(ceId, address, prefix, host, agent, port, netconf, notifications);
    }

    /** What the provider ships with the CE (draft §3.2): its identity, SP address, VPN server and timers. */
    private static String preConfiguration(String ceId, InetAddress sp) {
        return "<ce-device xmlns=\"" + CE + "\"><ce-id>" + ceId + "</ce-id><pre-configuration><sp-address>"
                + sp.getHostAddress() + "</sp-address><vpn-server><address>127.0.0.1</address>"
                + "<ssh-host-key>AAAAC3NzaC1lZDI1NTE5AAAAIPO/MRt2EcamImPU/ehKNgKzTenx/WzCaLG4nd22s2qo</ssh-host-key></vpn-server>"
                + "<client-identity><private-key>MC4CAQAwBQYDK2VwBCIEIDvh4P4sFGEnA4nOgdYYKc27S2nwq9WUmTruYEFiAlhS</private-key>"
                + "</client-identity><timers><min-retry-wait>1</min-retry-wait><retry-interval>2</retry-interval>"
                + "<backoff-limit>4</backoff-limit><alarm-threshold>3</alarm-threshold></timers></pre-configuration></ce-device>";
    }

    /** The VPN server's push (draft §3.3): the peer tuple to the candidate, then commit. */
    private void provision(Site ce, Site peer, long version) throws Exception {
        edit(ce, "<ce-device xmlns=\"" + CE + "\"><vpn-configuration><configuration-version>" + version
                + "</configuration-version><vpn><vpn-id>acme</vpn-id><local-prefix>" + ce.prefix() + "</local-prefix></vpn>"
                + "<peer><sp-address>" + peer.sp().getHostAddress() + "</sp-address><ce-id>" + peer.ceId() + "</ce-id>"
                + "<vpn-id>acme</vpn-id><authentication-method>pre-shared</authentication-method>"
                + "<pre-shared-key>MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=</pre-shared-key>"
                + "<tunnel-information><establishment>permanent</establishment></tunnel-information>"
                + "<remote-prefix>" + peer.prefix() + "</remote-prefix></peer></vpn-configuration></ce-device>");
        ok(ce, "<commit/>");
        say("%s: edit-config to the candidate (peer %s, PSK, %s) and commit", ce.ceId(), peer.ceId(), peer.prefix());
    }

    private static String removePeer(Site peer, long version) {
        return "<ce-device xmlns=\"" + CE + "\" xmlns:nc=\"" + BASE + "\"><vpn-configuration><configuration-version>" + version
                + "</configuration-version><peer nc:operation=\"delete\"><sp-address>" + peer.sp().getHostAddress()
                + "</sp-address></peer></vpn-configuration></ce-device>";
    }

    private static void edit(Site ce, String config) throws Exception {
        ok(ce, "<edit-config><target><candidate/></target><config>" + config + "</config></edit-config>");
    }

    private static void ok(Site ce, String operation) throws Exception {
        var reply = ce.netconf().rpc(operation);
        if (!reply.ok()) {
            throw new DemoFailure(ce.ceId() + " refused " + operation.substring(0, operation.indexOf('>') + 1) + ": " + reply.errors());
        }
    }

    private void expect(Site ce, String kind) throws InterruptedException {
        long end = System.nanoTime() + STEP.toNanos();
        for (String n; (n = ce.notifications().poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            say("%s notifies %s", ce.ceId(), n);
            if (n.startsWith(kind + " ")) {
                return;
            }
        }
        throw new DemoFailure(ce.ceId() + " sent no " + kind + " within " + STEP.toSeconds() + " s");
    }

    /** UDP packets from one site's host to the other's, in at one CE's VPN port, checked byte for byte at the other's. */
    private void traffic(Site from, Site to, int count) throws InterruptedException {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            byte[] packet = udp(from.host(), to.host(), ("packet " + i + " from " + from.ceId()).getBytes());
            if (!from.port().inject(packet)) {
                throw new DemoFailure(from.ceId() + "'s VPN port is full");
            }
            byte[] received = to.port().poll(5000);
            if (!Arrays.equals(packet, received)) {
                throw new DemoFailure("packet " + i + " " + from.ceId() + " -> " + to.ceId() + (received == null ? " lost" : " altered"));
            }
        }
        say("%d packets %s -> %s (%s -> %s) through ESP, each delivered intact, %.1f ms", count, from.ceId(), to.ceId(),
                from.host(), to.host(), (System.nanoTime() - t0) / 1e6);
    }

    /** What an operator's get shows of the tunnel: the IKE SA, the child SA and its counters. */
    private void showState(Site ce) throws Exception {
        Element data = ce.netconf().rpc("<get><filter type=\"subtree\"><ce-device xmlns=\"" + CE + "\"><vpn-configuration><peer>"
                + "<sp-address/><ike-sa/><child-sa/></peer></vpn-configuration></ce-device></filter></get>").orThrow();
        Element peer = path(data, "data", "ce-device", "vpn-configuration", "peer");
        if (peer == null) {
            throw new DemoFailure(ce.ceId() + "'s get shows no peer");
        }
        Element ike = DomElements.child(peer, "ike-sa");
        Element child = DomElements.child(peer, "child-sa");
        if (ike == null || child == null) {
            throw new DemoFailure(ce.ceId() + "'s get shows no SAs");
        }
        say("%s get: ike-sa %s, SPIs %s/%s; child-sa SPIs in %s out %s, %s",
                ce.ceId(), text(ike, "state"), text(ike, "initiator-spi"), text(ike, "responder-spi"),
                text(child, "inbound-spi"), text(child, "outbound-spi"), describe(DomElements.child(child, "statistics")));
    }

    private static Element path(Element from, String... names) {
        Element at = from;
        for (String name : names) {
            at = at == null ? null : DomElements.child(at, name);
        }
        return at;
    }

    private static String text(Element parent, String name) {
        Element e = DomElements.child(parent, name);
        return e == null ? "-" : e.getTextContent().strip();
    }

    /** An element as "name leaf=value ...", one level of leaves deep: enough for our notifications. */
    private static String describe(Element e) {
        if (e == null) {
            return "-";
        }
        Element body = "notification".equals(e.getLocalName())
                ? DomElements.children(e).stream().filter(c -> !"eventTime".equals(c.getLocalName())).findFirst().orElse(e) : e;
        StringBuilder s = new StringBuilder(body.getLocalName());
        for (Element leaf : DomElements.children(body)) {
            s.append(' ').append(leaf.getLocalName()).append('=').append(leaf.getTextContent().strip());
        }
        return s.toString();
    }

    /** A minimal IPv4/UDP packet (header checksum set, UDP checksum 0: allowed over IPv4); the agent tests use it too. */
    public static byte[] udp(String src, String dst, byte[] payload) {
        byte[] p = new byte[28 + payload.length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(InetAddress.ofLiteral(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.ofLiteral(dst).getAddress(), 0, p, 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >> 16);
        sum += sum >> 16;
        p[10] = (byte) (~sum >> 8);
        p[11] = (byte) ~sum;
        p[20] = (byte) (40000 >> 8);
        p[21] = (byte) 40000;
        p[22] = (byte) (7 >> 8);
        p[23] = 7;
        p[24] = (byte) ((8 + payload.length) >> 8);
        p[25] = (byte) (8 + payload.length);
        System.arraycopy(payload, 0, p, 28, payload.length);
        return p;
    }

    private void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%6.2f s] %s%n", (System.nanoTime() - start) / 1e9, String.format(Locale.ROOT, format, args));
    }

    static final class DemoFailure extends RuntimeException {
        DemoFailure(String message) {
            super(message);
        }
    }
}

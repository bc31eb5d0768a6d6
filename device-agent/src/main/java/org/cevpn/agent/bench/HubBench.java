package org.cevpn.agent.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.cevpn.agent.CeAgent;
import org.cevpn.agent.config.Authentication;
import org.cevpn.agent.config.ChildSaProposal;
import org.cevpn.agent.config.IkeProposal;
import org.cevpn.agent.config.IpPrefix;
import org.cevpn.agent.config.PeerTuple;
import org.cevpn.agent.config.PreConfiguration;
import org.cevpn.agent.config.Secret;
import org.cevpn.agent.config.TunnelInformation;
import org.cevpn.agent.reconcile.PeerTranslation;
import org.cevpn.agent.reconcile.TunnelState;
import org.cevpn.ipsec.esp.DropReason;
import org.cevpn.ipsec.ike.engine.Drop;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.netconf.client.ClientCredential;
import org.cevpn.netconf.client.NetconfClient;
import org.cevpn.netconf.client.ServerAuthentication;
import org.cevpn.netconf.client.SshKeys;

/**
 * {@code ./cevpn bench hub}: one hub CE with N spokes (draft §3.4 permanent tunnels; the article's hub CE has
 * 99, we size for 500). The hub is a real {@link CeAgent} configured over NETCONF/SSH with one edit-config of
 * N peers and a commit, as the VPN server pushes it; the spokes are {@link Spoke}s (the agent's engine,
 * supervisor, SAD and data plane without NETCONF) in the same JVM, each on its own loopback address
 * (127.R.x.y: Linux routes all of 127/8 to lo), each with a permanent tunnel to the hub — so the hub is
 * initiator and responder at once, as in a real hub-and-spoke VPN.
 *
 * <p>Figures, for M peers (the comparison, 50 by default) and then N (500):
 * <ul>
 * <li>seconds from the commit to the moment the hub's operational state (the tunnel states {@code get}
 *     serves; checked once more over NETCONF at the end) shows all N tunnels established with a child SA,
 *     with tunnels up at every second and the handshake rate;</li>
 * <li>hub heap per peer: retained heap (after full GCs; the launcher adds {@code -XX:SoftRefLRUPolicyMSPerMB=0} so that
 *     they clear soft references too) with the hub running unconfigured and no spoke in the
 *     JVM, against the retained heap with all N tunnels up after the spokes are closed (without IKE DELETE,
 *     liveness checks off, so the hub still holds every tunnel) — the spokes' memory is out of both figures;
 *     the spokes' own figure is the difference made by closing them;</li>
 * <li>what the burst overflowed: COOKIE challenges the spokes received (the hub's half-open threshold),
 *     the hub's IKE input queue drops, the engine's drops and its IKE SA count once all are up (N means every
 *     duplicate from the simultaneous initiations was resolved), and the host's kernel UDP receive-buffer
 *     errors during the run.</li>
 * </ul>
 * The last line is {@code hub-N-seconds: S heap-kb-per-peer: K}. A benchmark: it never fails on a time.
 */
public final class HubBench {
    private static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    private static final int IKE = 27500;
    private static final int NAT_T = 27501;
    private static final String USER = "vpn-server";
    private static final String PASSWORD = "bench-hub-password";
    private static final Duration NETCONF_TIMEOUT = Duration.ofSeconds(60);
    private static final IpPrefix HUB_SITE = IpPrefix.parse("10.0.0.0/24");

    private HubBench() {
    }

    record Result(int peers, Optional<Double> seconds, int up, double peakPerSecond, double hubKbPerPeer,
                  double spokeKbPerPeer, long cookies, long repeats, long queueDrops, int hubIkeSas, Map<Drop, Long> engineDrops,
                  long kernelRcvbufErrors, double editMillis, double commitMillis) {
    }

    public static void main(String[] args) throws Exception {
        // 500 tunnel-up notifications at INFO would bury the figures; before any logger exists, unless asked otherwise.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int peers = 500;
        int compare = 50;
        int maxSeconds = 300;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage();
            }
            switch (args[i]) {
                case "--peers" -> peers = Integer.parseInt(args[i + 1]);
                case "--compare" -> compare = Integer.parseInt(args[i + 1]);
                case "--max-seconds" -> maxSeconds = Integer.parseInt(args[i + 1]);
                default -> usage();
            }
        }
        if (peers < 1 || peers > 60_000 || compare < 0 || compare > 60_000) {
            usage();
        }
        System.out.printf("bench hub: one hub agent (NETCONF-configured) with %d and with %d spokes in this JVM, "
                + "permanent PSK tunnels (ECP-256, AES-GCM-256), %s, %d CPUs, max heap %d MB%n", compare, peers,
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        if (!ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:SoftRefLRUPolicyMSPerMB=0")) {
            System.out.println("note: without -XX:SoftRefLRUPolicyMSPerMB=0 (./cevpn bench hub sets it) soft references survive "
                    + "System.gc() and the heap figures vary by tens of KB per peer between runs");
        }
        List<Result> results = new ArrayList<>();
        if (compare > 0) {
            results.add(run(compare, 11, maxSeconds));
        }
        Result big = run(peers, 12, maxSeconds);
        results.add(big);
        System.out.println();
        System.out.println("peers  edit-config-ms  commit-ms  seconds  handshakes/s(avg)  peak/s  hub-heap-KB/peer  "
                + "spoke-heap-KB/peer  cookies  retransmits  ike-queue-drops  hub-ike-sas");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%5d  %14.0f  %9.0f  %7s  %17s  %6.0f  %16.1f  %18.1f  %7d  %11d  %15d  %11d%n", r.peers(),
                    r.editMillis(), r.commitMillis(), r.seconds().map(s -> String.format(Locale.ROOT, "%.2f", s)).orElse("-"),
                    r.seconds().map(s -> String.format(Locale.ROOT, "%.0f", r.peers() / s)).orElse("-"),
                    r.peakPerSecond(), r.hubKbPerPeer(), r.spokeKbPerPeer(), r.cookies(), r.repeats(), r.queueDrops(), r.hubIkeSas());
        }
        System.out.printf(Locale.ROOT, "hub-%d-seconds: %s heap-kb-per-peer: %.1f%n", big.peers(),
                big.seconds().map(s -> String.format(Locale.ROOT, "%.2f", s))
                        .orElse("not-reached(" + big.up() + "/" + big.peers() + "-up-after-" + maxSeconds + "s)"),
                big.hubKbPerPeer());
    }

    private static void usage() {
        System.err.println("usage: bench hub [--peers N (500)] [--compare M (50, 0: none)] [--max-seconds S (300)]");
        System.exit(2);
    }

    /** One hub with {@code n} spokes on 127.{@code net}.0.0/16. */
    private static Result run(int n, int net, int maxSeconds) throws Exception {
        System.out.printf("%n-- %d peers --%n", n);
        InetAddress hubAddress = InetAddress.ofLiteral("127." + net + ".0.1");
        requireLoopback(spokeAddress(net, n - 1));
        Path state = Files.createTempDirectory("cevpn-bench-hub");
        long rcvbufBefore = kernelUdpRcvbufErrors();
        CeAgent hub = new CeAgent(new CeAgent.Settings("127.0.0.1", 0, state, Map.of(USER, PASSWORD), hubAddress, IKE, NAT_T,
                Optional.of(preConfiguration("hub", hubAddress))), new MemoryPacketPort("hub-vpn", 1024));
        List<Spoke> spokes = new ArrayList<>(n);
        try {
            // The hub's IKE thread is the only one so far: spokes' threads carry the same name.
            long hubIkeThread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("cevpn-ike"))
                    .mapToLong(Thread::threadId).max().orElse(-1);
            long heapUnconfigured = retainedHeap();
            java.util.Set<Thread> hubThreads = Thread.getAllStackTraces().keySet();

            SecureRandom random = new SecureRandom();
            PreConfiguration spokeTimers = new PreConfiguration(hubAddress, Duration.ofHours(1), Duration.ofSeconds(2),
                    Duration.ofSeconds(4), Duration.ofSeconds(30), 5, Duration.ZERO);
            PeerTranslation translation = new PeerTranslation(IKE, NAT_T);
            AtomicLong cookies = new AtomicLong();
            AtomicLong repeats = new AtomicLong();
            StringBuilder peersXml = new StringBuilder();
            long built = System.nanoTime();
            for (int i = 0; i < n; i++) {
                InetAddress address = spokeAddress(net, i);
                IpPrefix site = IpPrefix.parse("10." + (1 + i / 250) + "." + (i % 250) + ".0/24");
                byte[] psk = new byte[32];
                random.nextBytes(psk);
                String ceId = "spoke-" + i;
                // The spoke's side of the tuple the VPN server would give it: the hub, same key, its own site local.
                PeerTuple toHub = new PeerTuple(hubAddress, "hub", "acme", new Authentication.PreSharedKey(new Secret(psk)),
                        IkeProposal.DEFAULT, ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT, List.of(HUB_SITE), List.of(site));
                Spoke spoke = new Spoke(address, IKE, NAT_T, translation.peerConfig(ceId, address, toHub),
                        PeerTranslation.policy(toHub, spokeTimers), cookies, repeats);
                spoke.start();
                spokes.add(spoke);
                peersXml.append("<peer><sp-address>").append(address.getHostAddress()).append("</sp-address><ce-id>").append(ceId)
                        .append("</ce-id><vpn-id>acme</vpn-id><authentication-method>pre-shared</authentication-method>")
                        .append("<pre-shared-key>").append(Base64.getEncoder().encodeToString(psk)).append("</pre-shared-key>")
                        .append("<tunnel-information><establishment>permanent</establishment></tunnel-information>")
                        .append("<remote-prefix>").append(site).append("</remote-prefix></peer>");
            }
            System.out.printf(Locale.ROOT, "%d spokes (engine + data plane each) started in %.1f s%n", n, seconds(built));

            String config = "<config><ce-device xmlns=\"" + CE + "\"><vpn-configuration>"
                    + "<configuration-version>1</configuration-version><vpn><vpn-id>acme</vpn-id><local-prefix>" + HUB_SITE
                    + "</local-prefix></vpn>" + peersXml + "</vpn-configuration></ce-device></config>";
            // As the VPN server talks to a CE: SSH with the agent's host key pinned, a password here.
            NetconfClient netconf = NetconfClient.connect(new NetconfClient.Settings("127.0.0.1", hub.netconfPort(), USER,
                    new ServerAuthentication.PinnedHostKey(SshKeys.blob(hub.hostKey())), new ClientCredential.Password(PASSWORD),
                    NETCONF_TIMEOUT), new NetconfClient.Events() { });
            netconf.rpc("<discard-changes/>").orThrow(); // the candidate starts as running (with the pre-configuration)
            long editStart = System.nanoTime();
            netconf.rpc("<edit-config><target><candidate/></target>" + config + "</edit-config>").orThrow();
            double editMillis = seconds(editStart) * 1000;
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long hubCpu0 = threadCpu(hubIkeThread);
            long processCpu0 = processCpu();
            long t0 = System.nanoTime();
            netconf.rpc("<commit/>").orThrow();
            double commitMillis = seconds(t0) * 1000;
            System.out.printf(Locale.ROOT, "edit-config of %d peers (%d KB) to candidate: %.0f ms; commit: %.0f ms%n", n,
                    config.length() >> 10, editMillis, commitMillis);
            config = null; // the VPN server's copy: not the hub's heap
            peersXml = null;
            spokes.forEach(Spoke::connect); // the VPN server configures the spokes too; they initiate as well

            // The hub's operational state every 50 ms; a line per second.
            int up = 0;
            int lastSecondUp = 0;
            double peak = 0;
            long nextReport = t0 + 1_000_000_000L;
            long deadline = t0 + maxSeconds * 1_000_000_000L;
            Optional<Double> allUp = Optional.empty();
            while (true) {
                up = established(hub);
                long now = System.nanoTime();
                if (up == n) {
                    allUp = Optional.of((now - t0) / 1e9);
                    break;
                }
                if (now >= nextReport) {
                    int perSecond = up - lastSecondUp;
                    peak = Math.max(peak, perSecond);
                    System.out.printf(Locale.ROOT, "  %3.0f s: %4d/%d tunnels up at the hub (+%d/s), %d COOKIE challenges so far%n",
                            (nextReport - t0) / 1e9, up, n, perSecond, cookies.get());
                    lastSecondUp = up;
                    nextReport += 1_000_000_000L;
                }
                if (now > deadline) {
                    break;
                }
                Thread.sleep(50);
            }
            double wall = seconds(t0);
            double hubCpu = (threadCpu(hubIkeThread) - hubCpu0) / 1e9;
            double processCpuSeconds = (processCpu() - processCpu0) / 1e9;
            System.out.printf(Locale.ROOT, "CPU from commit to here (%.2f s): hub IKE thread %.2f s (%.0f%% of one core); whole JVM "
                            + "(hub + spokes) %.2f s of the %d cores' %.2f s; host load average %.1f before, %.1f after%n", wall,
                    hubCpu, 100 * hubCpu / wall, processCpuSeconds, Runtime.getRuntime().availableProcessors(),
                    wall * Runtime.getRuntime().availableProcessors(), loadBefore,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            // The last, partial second's tunnels count too (fewer than a second's worth: a lower bound on the rate).
            peak = Math.max(peak, up - lastSecondUp);
            if (allUp.isPresent()) {
                System.out.printf(Locale.ROOT, "all %d tunnels up at the hub %.2f s after the commit (%.0f handshakes/s)%n", n,
                        allUp.get(), n / allUp.get());
            } else {
                System.out.printf("NOT all up: %d/%d after %d s; some of the others:%n", up, n, maxSeconds);
                hub.tunnels().values().stream().filter(s -> !isUp(s)).sorted(Comparator.comparing(s -> s.peer().getHostAddress()))
                        .limit(5).forEach(s -> System.out.println("  " + s.peer().getHostAddress() + " " + s.state() + " retries "
                                + s.retryCount() + " " + s.lastError().orElse("")));
            }

            var states = netconf.rpc("<get/>").orThrow().getElementsByTagNameNS(CE, "state");
            int viaNetconf = 0;
            for (int i = 0; i < states.getLength(); i++) {
                viaNetconf += "established".equals(states.item(i).getTextContent().strip()) ? 1 : 0;
            }
            CeAgent.IkeCounters counters = hub.ikeCounters(Duration.ofSeconds(10));
            long queueDrops = hub.dataPlane().drops().get(DropReason.IKE_QUEUE_FULL);
            netconf.close();
            long spokesWaitEnd = System.nanoTime() + 10_000_000_000L;
            while (spokes.stream().anyMatch(s -> !s.up()) && System.nanoTime() < spokesWaitEnd) {
                Thread.sleep(100);
            }
            long spokesUp = spokes.stream().filter(Spoke::up).count();
            System.out.printf("at all-up: NETCONF get shows %d IKE SAs established; hub engine holds %d IKE SAs, drops %s; "
                    + "hub IKE input queue drops %d; spokes with a child SA %d/%d; COOKIE challenges %d; "
                    + "retransmissions seen by the spokes %d%n", viaNetconf, counters.ikeSas(), nonZero(counters.drops()),
                    queueDrops, spokesUp, n, cookies.get(), repeats.get());
            // Simultaneous initiation (hub and spoke both permanent) makes a second IKE SA per peer; the engine deletes
            // the redundant one once both are up. Heap is measured once that has settled, not mid-negotiation.
            long settleStart = System.nanoTime();
            int ikeSas = counters.ikeSas();
            while (ikeSas != n && System.nanoTime() - settleStart < 60_000_000_000L) {
                Thread.sleep(500);
                ikeSas = hub.ikeCounters(Duration.ofSeconds(10)).ikeSas();
            }
            System.out.printf(Locale.ROOT, "hub engine: %d IKE SAs for %d peers %.1f s after all-up%s%n", ikeSas, n,
                    seconds(settleStart), ikeSas == n ? " (one per peer: every duplicate resolved)" : " (NOT one per peer)");

            long heapWithSpokes = retainedHeap();
            closeAll(spokes);
            spokes.clear();
            // A spoke's threads hold the spoke: wait until they have ended (closing joins them for 2 s at most each).
            long lingerEnd = System.nanoTime() + 60_000_000_000L;
            long lingering;
            while ((lingering = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !hubThreads.contains(t) && t.getName().startsWith("cevpn-")).count()) > 0
                    && System.nanoTime() < lingerEnd) {
                Thread.sleep(200);
            }
            if (lingering > 0) {
                System.out.printf("%d spoke threads still alive: the hub figure below includes their spokes%n", lingering);
            }
            long heapHubOnly = retainedHeap();
            int stillUp = established(hub);
            double hubKb = (heapHubOnly - heapUnconfigured) / 1024.0 / n;
            double spokeKb = (heapWithSpokes - heapHubOnly) / 1024.0 / n;
            System.out.printf(Locale.ROOT, "retained heap: hub unconfigured %.1f MB, hub + %d tunnels + spokes %.1f MB, "
                            + "hub + %d tunnels (spokes closed, %d tunnels still held) %.1f MB%n",
                    heapUnconfigured / 1048576.0, n, heapWithSpokes / 1048576.0, n, stillUp, heapHubOnly / 1048576.0);
            System.out.printf(Locale.ROOT, "hub heap per peer: %.1f KB; spoke heap per spoke: %.1f KB%n", hubKb, spokeKb);
            long rcvbuf = kernelUdpRcvbufErrors() - rcvbufBefore;
            System.out.printf("kernel UDP receive-buffer errors during the run (whole host): %d%n", rcvbuf);
            return new Result(n, allUp, up, peak, hubKb, spokeKb, cookies.get(), repeats.get(), queueDrops, ikeSas, counters.drops(),
                    rcvbuf, editMillis, commitMillis);
        } finally {
            closeAll(spokes);
            hub.close();
            try (var files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static InetAddress spokeAddress(int net, int i) {
        return InetAddress.ofLiteral("127." + net + "." + (1 + i / 250) + "." + (1 + i % 250));
    }

    /** Fails clearly when this kernel does not let us bind the loopback addresses the spokes need. */
    private static void requireLoopback(InetAddress address) {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            System.err.println("bench hub: cannot bind " + address.getHostAddress() + " (" + e.getMessage()
                    + "): the spokes need all of 127.0.0.0/8 on lo, as Linux routes it by default");
            System.exit(1);
        }
    }

    /** The hub's pre-configuration: the VPN server's coordinates, retry timers, no liveness checks. */
    private static String preConfiguration(String ceId, InetAddress sp) {
        return "<ce-device xmlns=\"" + CE + "\"><ce-id>" + ceId + "</ce-id><pre-configuration><sp-address>"
                + sp.getHostAddress() + "</sp-address><vpn-server><address>127.0.0.1</address>"
                + "<ssh-host-key>AAAAC3NzaC1lZDI1NTE5AAAAIPO/MRt2EcamImPU/ehKNgKzTenx/WzCaLG4nd22s2qo</ssh-host-key></vpn-server>"
                + "<client-identity><private-key>MC4CAQAwBQYDK2VwBCIEIDvh4P4sFGEnA4nOgdYYKc27S2nwq9WUmTruYEFiAlhS</private-key>"
                + "</client-identity><timers><min-retry-wait>2</min-retry-wait><retry-interval>4</retry-interval>"
                + "<backoff-limit>30</backoff-limit><alarm-threshold>5</alarm-threshold><liveness-interval>0</liveness-interval>"
                + "</timers></pre-configuration></ce-device>";
    }

    /** The hub's SSH host key, as the agent generated it into its state directory. */
    private static boolean isUp(TunnelState s) {
        return s.state().equals("established") && !s.children().isEmpty();
    }

    private static int established(CeAgent hub) {
        return (int) hub.tunnels().values().stream().filter(HubBench::isUp).count();
    }

    private static Map<Drop, Long> nonZero(Map<Drop, Long> drops) {
        return drops.entrySet().stream().filter(e -> e.getValue() != 0)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Closing a spoke joins its threads; 500 of them one after another would take minutes. */
    private static void closeAll(List<Spoke> spokes) throws InterruptedException {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Spoke s : spokes) {
                pool.submit(() -> {
                    s.close();
                    return null;
                });
            }
        }
    }

    /** Heap still used after full collections (the lowest of three). */
    private static long retainedHeap() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            lowest = Math.min(lowest, memory.getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }

    /** Udp RcvbufErrors from /proc/net/snmp (host-wide; -1 where there is no such file). */
    private static long kernelUdpRcvbufErrors() {
        try {
            List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Udp:")).toList();
            List<String> names = List.of(udp.get(0).split("\\s+"));
            return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("RcvbufErrors")]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of one thread in ns (-1 when unknown). */
    private static long threadCpu(long threadId) {
        return threadId < 0 ? -1 : ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
    }

    /** CPU time of this JVM in ns (-1 where the platform does not say). */
    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}

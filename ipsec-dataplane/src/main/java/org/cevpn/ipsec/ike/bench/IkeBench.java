package org.cevpn.ipsec.ike.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cevpn.ipsec.bench.TunnelTopology;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.ike.engine.ChildSaInstaller;
import org.cevpn.ipsec.ike.engine.CryptoOffload;
import org.cevpn.ipsec.ike.engine.EngineConfig;
import org.cevpn.ipsec.ike.engine.IkeEngine;
import org.cevpn.ipsec.ike.engine.IkeEvent;
import org.cevpn.ipsec.ike.engine.Outbound;
import org.cevpn.ipsec.ike.engine.PeerConfig;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.ChildSaConfig;
import org.cevpn.ipsec.ike.task.Credentials;
import org.cevpn.ipsec.ike.task.IkeAuthConfig;
import org.cevpn.ipsec.ike.task.IkeInitConfig;
import org.cevpn.ipsec.ike.task.Identity;

/**
 * {@code ./cevpn bench ike}: complete IKE_SA_INIT + IKE_AUTH handshakes (PSK, with the first child
 * SA, AES-GCM-256) per second, for DH group 19 (ECP-256) and group 14 (MODP-2048):
 * <ul>
 * <li>ours: two of our engines, each on its own thread with its own UDP socket on loopback and its
 *     own pool of {@link #CRYPTO_WORKERS} crypto workers ({@link CryptoOffload}, as charon has its
 *     thread pool), the initiator keeping a window of handshakes in flight; each side installs its child SAs into a
 *     SAD (charon installs its into kernel-libipsec). Before anything counts, each group runs for a
 *     few seconds so that the JIT has compiled the hot paths (charon is compiled C; a CE's engine
 *     runs for months);</li>
 * <li>strongSwan (root): two charons in network namespaces (the bench topology's ce1 and ce2).
 *     Debian builds no load-tester plugin, so the initiator gets N connections, loaded first, and
 *     then vici {@code initiate} commands ({@link Vici}) keep the same window of handshakes in flight
 *     as ours (the next one goes when charon's log shows another IKE SA up).
 *     The time is charon's own, from its log (millisecond timestamps): first "initiating" to the
 *     N-th "established", so neither charon's nor swanctl's process start-up counts.</li>
 * </ul>
 * The same count for both, in the same run, alternating over a few rounds; each side's best round
 * counts, since the machine is shared and other work steals CPU from whichever side runs at the
 * time. Each figure also gives the CPU time per handshake, both sides together (our whole process;
 * both charon processes from /proc), which other load disturbs far less than the rate. The last
 * line is {@code ike-vs-strongswan: R}, our rate over theirs for the first 95 % of the handshakes
 * (robust against the odd handshake that waits out a 4 s retransmission), the lower of the two
 * groups' ratios. A benchmark: it never fails on a time.
 */
public final class IkeBench {
    private static final SecureRandom RANDOM = new SecureRandom();

    private IkeBench() {
    }

    /**
     * Handshakes per second over all N, and over the first 95 % (a few handshakes whose datagram was
     * lost under the burst wait out a 4 s retransmission and dominate the all-N figure).
     */
    record Rate(double all, double first95, double cpuMillisPerHandshake) {
        static Rate of(List<Double> completionSeconds, double cpuSeconds) {
            List<Double> t = completionSeconds.stream().sorted().toList();
            int n95 = Math.max(1, (int) Math.ceil(t.size() * 0.95));
            return new Rate(t.size() / Math.max(t.getLast(), 1e-3), n95 / Math.max(t.get(n95 - 1), 1e-3),
                    1e3 * cpuSeconds / t.size());
        }
    }

    public static void main(String[] args) throws Exception {
        int count = 300;
        int window = 16;
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                case "--window" -> window = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--workers" -> workers = Integer.parseInt(args[i + 1]);
                default -> usage();
            }
        }
        if (args.length % 2 != 0) {
            usage();
        }
        System.out.printf("bench ike: %d IKE_SA_INIT + IKE_AUTH handshakes (PSK, child SA, AES-GCM-256) per figure, %s, %d CPUs, %s%n",
                count, Runtime.version(), Runtime.getRuntime().availableProcessors(),
                workers == 0 ? "engines inline" : workers + " crypto workers per engine");
        // Warm-up: charon is compiled C; our engine only runs at its speed once the JIT has compiled
        // the hot paths with C2 (BigInteger's Montgomery intrinsics, BouncyCastle's field arithmetic,
        // the codec). A long-running CE is in that state; a few hundred handshakes are not enough
        // to get there, so each group runs for a few seconds before anything counts.
        for (DhGroup g : List.of(DhGroup.ECP_256, DhGroup.MODP_2048)) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < until) {
                ours(g, 200, window);
            }
        }
        double ratio = Double.MAX_VALUE;
        boolean root = "root".equals(System.getProperty("user.name"));
        for (DhGroup g : List.of(DhGroup.ECP_256, DhGroup.MODP_2048)) {
            // Other work on the machine takes CPU from whichever side runs at the time: each side
            // runs `rounds` times, alternating, and its best round counts (the one least disturbed).
            Rate bestOurs = null;
            Rate bestTheirs = null;
            for (int round = 1; round <= rounds; round++) {
                Rate ours = ours(g, count, window);
                System.out.printf(Locale.ROOT, "round %d ours       group %-2d: %8.1f handshakes/s (first 95%%: %8.1f/s), CPU %.2f ms/handshake (both sides)%n",
                        round, g.value(), ours.all(), ours.first95(), ours.cpuMillisPerHandshake());
                bestOurs = bestOurs == null || ours.first95() > bestOurs.first95() ? ours : bestOurs;
                if (!root) {
                    continue;
                }
                Rate theirs = strongSwan(g, count, window);
                System.out.printf(Locale.ROOT, "round %d strongswan group %-2d: %8.1f handshakes/s (first 95%%: %8.1f/s), CPU %.2f ms/handshake (both charons)%n",
                        round, g.value(), theirs.all(), theirs.first95(), theirs.cpuMillisPerHandshake());
                bestTheirs = bestTheirs == null || theirs.first95() > bestTheirs.first95() ? theirs : bestTheirs;
            }
            System.out.printf(Locale.ROOT, "ours       group %-2d: %8.1f handshakes/s (first 95%%, best of %d), CPU %.2f ms/handshake%n",
                    g.value(), bestOurs.first95(), rounds, bestOurs.cpuMillisPerHandshake());
            if (bestTheirs == null) {
                System.out.println("strongswan group " + g.value() + ": not measured (needs root for network namespaces)");
                continue;
            }
            System.out.printf(Locale.ROOT, "strongswan group %-2d: %8.1f handshakes/s (first 95%%, best of %d), CPU %.2f ms/handshake%n",
                    g.value(), bestTheirs.first95(), rounds, bestTheirs.cpuMillisPerHandshake());
            // The ratio that counts is the first-95 % one: the all-N figures mostly measure how many
            // handshakes happened to wait out a retransmission.
            double r = bestOurs.first95() / bestTheirs.first95();
            System.out.printf(Locale.ROOT, "group %d ours/strongswan: %.2f (CPU per handshake, theirs/ours: %.2f)%n", g.value(), r,
                    bestTheirs.cpuMillisPerHandshake() / bestOurs.cpuMillisPerHandshake());
            ratio = Math.min(ratio, r);
        }
        if (ratio == Double.MAX_VALUE) {
            System.out.println("ike-vs-strongswan: not measured");
        } else {
            System.out.printf(Locale.ROOT, "ike-vs-strongswan: %.2f%n", ratio);
        }
    }

    private static void usage() {
        System.err.println("usage: bench ike [--count N] [--window W] [--rounds R] [--workers N (0: inline)]");
        System.exit(2);
    }

    // ---- ours ----

    private static Proposal ike(DhGroup g) {
        return new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_256), Transform.dhGroup(g)));
    }

    private static EngineConfig config(InetSocketAddress me, InetSocketAddress peer, DhGroup g, String myNet, String peerNet)
            throws IOException {
        byte[] psk = "bench-ike-psk-0123456789".getBytes(StandardCharsets.US_ASCII);
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        ChildSaConfig child = new ChildSaConfig(List.of(esp), List.of(range(myNet)), List.of(range(peerNet)));
        // No INITIAL_CONTACT: every handshake is another IKE SA with the same peer, none replaces the others.
        IkeAuthConfig auth = new IkeAuthConfig(Identity.address(me.getAddress()), new Credentials.OwnSharedKey(psk),
                Identity.address(peer.getAddress()), new Credentials.PeerSharedKey(psk), false, child);
        return new EngineConfig(me.getAddress(), me.getPort(), me.getPort() + 1, new IkeInitConfig(List.of(ike(g)), true,
                List.of(HashAlgorithm.SHA2_256)), List.of(new PeerConfig(peer.getAddress(), peer.getPort(), peer.getPort() + 1, auth)),
                1_000_000, RetransmitPolicy.STRONGSWAN_DEFAULT, 1280);
    }

    private static TrafficSelector range(String prefix16) throws IOException {
        return TrafficSelector.range(InetAddress.getByName(prefix16 + ".0.0"), InetAddress.getByName(prefix16 + ".255.255"));
    }

    /**
     * Crypto workers per engine: charon's default thread pool has 16 threads, and our engine does
     * its Diffie-Hellman on as many (the engine's own thread keeps every IKE SA's state).
     */
    static final int CRYPTO_WORKERS = 16;
    /** {@code --workers}: crypto workers per engine; 0 runs the engines inline (all work on their own threads). */
    static int workers = CRYPTO_WORKERS;

    private static CryptoOffload offload(Selector selector) {
        return workers == 0 ? CryptoOffload.INLINE : CryptoOffload.workers(workers, selector::wakeup);
    }

    /** {@code count} handshakes between two engines over loopback UDP; handshakes per second. */
    static Rate ours(DhGroup g, int count, int window) throws Exception {
        try (DatagramChannel ca = DatagramChannel.open(); DatagramChannel cb = DatagramChannel.open();
             Selector selA = Selector.open(); Selector selB = Selector.open();
             CryptoOffload offA = offload(selA);
             CryptoOffload offB = offload(selB)) {
            ca.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            cb.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            InetSocketAddress a = (InetSocketAddress) ca.getLocalAddress();
            InetSocketAddress b = (InetSocketAddress) cb.getLocalAddress();
            // Each side installs its child SAs into a SAD, as charon does into kernel-libipsec.
            SecurityAssociationDatabase sadA = new SecurityAssociationDatabase(e -> { });
            SecurityAssociationDatabase sadB = new SecurityAssociationDatabase(e -> { });
            IkeEngine initiator = new IkeEngine(config(a, b, g, "10.1", "10.2"), RANDOM, Clock.systemUTC(), spi -> sadA.inbound(spi) != null, offA);
            IkeEngine responder = new IkeEngine(config(b, a, g, "10.2", "10.1"), RANDOM, Clock.systemUTC(), spi -> sadB.inbound(spi) != null, offB);
            ChildSaInstaller installA = new ChildSaInstaller(sadA);
            AtomicBoolean stop = new AtomicBoolean();
            long cpu0 = processCpuNanos();
            Thread resp = Thread.ofPlatform().name("bench-ike-responder").start(() ->
                    serve(responder, new ChildSaInstaller(sadB), new InetSocketAddress(a.getAddress(), a.getPort() + 1), cb, selB, stop));
            long t0 = System.nanoTime();
            List<Double> completions = new ArrayList<>();
            int done = 0;
            int failed = 0;
            int started = 0;
            ca.configureBlocking(false);
            try {
                ca.register(selA, SelectionKey.OP_READ);
                ByteBuffer buf = ByteBuffer.allocate(65535);
                long lastTick = System.nanoTime();
                while (done + failed < count) {
                    while (started - done - failed < window && started < count) {
                        send(ca, initiator.initiate(b.getAddress()));
                        started++;
                    }
                    selA.select(10);
                    selA.selectedKeys().clear();
                    for (InetSocketAddress from; (from = (InetSocketAddress) ca.receive(buf.clear())) != null; ) {
                        byte[] m = new byte[buf.flip().remaining()];
                        buf.get(m);
                        send(ca, initiator.receive(m, from, false));
                    }
                    send(ca, initiator.completions());
                    if (System.nanoTime() - lastTick > 100_000_000L) {
                        send(ca, initiator.tick());
                        lastTick = System.nanoTime();
                    }
                    for (IkeEvent e : initiator.drainEvents()) {
                        switch (e) {
                            case IkeEvent.ChildSaUp c -> installA.install(c.child(), new InetSocketAddress(b.getAddress(), b.getPort() + 1));
                            case IkeEvent.IkeSaUp u -> {
                                done++;
                                completions.add((System.nanoTime() - t0) / 1e9);
                            }
                            case IkeEvent.IkeSaDown d -> failed++;
                            default -> { }
                        }
                    }
                }
            } finally {
                stop.set(true);
                selB.wakeup();
                resp.join(2000);
            }
            // Both engines, their threads and their crypto workers: everything this process did meanwhile.
            long cpu = processCpuNanos() - cpu0;
            if (failed > 0) {
                System.out.println("ours group " + g.value() + ": " + failed + " handshakes failed");
            }
            return Rate.of(completions, cpu / 1e9);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void serve(IkeEngine engine, ChildSaInstaller installer, InetSocketAddress peerNatT, DatagramChannel channel,
                              Selector sel, AtomicBoolean stop) {
        try {
            channel.configureBlocking(false);
            channel.register(sel, SelectionKey.OP_READ);
            ByteBuffer buf = ByteBuffer.allocate(65535);
            long lastTick = System.nanoTime();
            while (!stop.get()) {
                sel.select(10);
                sel.selectedKeys().clear();
                for (InetSocketAddress from; (from = (InetSocketAddress) channel.receive(buf.clear())) != null; ) {
                    byte[] m = new byte[buf.flip().remaining()];
                    buf.get(m);
                    send(channel, engine.receive(m, from, false));
                }
                send(channel, engine.completions());
                if (System.nanoTime() - lastTick > 100_000_000L) {
                    send(channel, engine.tick());
                    lastTick = System.nanoTime();
                }
                for (IkeEvent e : engine.drainEvents()) {
                    if (e instanceof IkeEvent.ChildSaUp c) {
                        installer.install(c.child(), peerNatT);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("bench ike: responder socket: " + e);
        }
    }

    private static void send(DatagramChannel channel, List<Outbound> out) throws IOException {
        for (Outbound o : out) {
            channel.send(ByteBuffer.wrap(o.udpPayload()), o.to());
        }
    }

    // ---- strongSwan ----

    private static final Pattern STAMP = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    /**
     * {@code count} handshakes between two charons (kernel-libipsec) in namespaces; handshakes per second.
     * Each connection has its own local identity: charon would otherwise put the children of
     * "equal" connections on one IKE SA (CREATE_CHILD_SA instead of new handshakes).
     */
    static Rate strongSwan(DhGroup g, int count, int window) throws Exception {
        String group = g == DhGroup.ECP_256 ? "ecp256" : "modp2048";
        String psk = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        try (TunnelTopology t = TunnelTopology.startLinks()) {
            Path ce1 = charon(t, "ce1", "198.51.100.1");
            Path ce2 = charon(t, "ce2", "192.0.2.1");
            String secrets = "secrets { ike-1 { secret = 0x" + psk + " } }\n";
            String proposal = "aes256gcm16-prfsha256-" + group;
            Files.writeString(ce2.resolve("swanctl.conf"), """
                    connections { resp { local_addrs = 198.51.100.1
                                         remote_addrs = 192.0.2.1
                                         proposals = %s
                                         local { auth = psk }
                                         remote { auth = psk }
                                         children { net { local_ts = 10.2.0.0/16
                                                          remote_ts = 10.1.0.0/16
                                                          esp_proposals = aes256gcm16 } } } }
                    %s""".formatted(proposal, secrets));
            swanctl(t, "ce2", ce2, "--load-all", "--file", ce2.resolve("swanctl.conf").toString());
            StringBuilder conns = new StringBuilder("connections {\n");
            for (int i = 0; i < count; i++) {
                conns.append("""
                         c%d { local_addrs = 192.0.2.1
                               remote_addrs = 198.51.100.1
                               proposals = %s
                               local { auth = psk
                                       id = c%d.ce1.example.net }
                               remote { auth = psk }
                               children { net { local_ts = 10.1.0.0/16
                                                remote_ts = 10.2.0.0/16
                                                esp_proposals = aes256gcm16 } } }
                        """.formatted(i, proposal, i));
            }
            conns.append("}\n").append(secrets);
            Files.writeString(ce1.resolve("swanctl.conf"), conns.toString());
            swanctl(t, "ce1", ce1, "--load-creds", "--file", ce1.resolve("swanctl.conf").toString());
            swanctl(t, "ce1", ce1, "--load-conns", "--file", ce1.resolve("swanctl.conf").toString());
            // The same window as ours: initiations go out on one vici connection without waiting
            // (timeout -1), and the next one only when charon's log shows one more IKE SA up.
            long cpu0 = cpuTicks(ce1) + cpuTicks(ce2);
            try (Vici vici = new Vici(ce1.resolve("charon.vici"));
                 java.io.RandomAccessFile log = new java.io.RandomAccessFile(ce1.resolve("charon.log").toFile(), "r")) {
                int sent = 0;
                int up = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + count / 5);
                while (up < count && System.nanoTime() < deadline) {
                    while (sent - up < window && sent < count) {
                        vici.send("initiate", java.util.Map.of("child", "net", "ike", "c" + sent, "timeout", "-1"));
                        sent++;
                    }
                    Thread.sleep(2);
                    for (String line; (line = log.readLine()) != null; ) {
                        if (line.contains("IKE_SA c") && line.contains("established between")) {
                            up++;
                        }
                    }
                }
                for (int i = 0; i < sent; i++) {
                    vici.awaitResponse();
                }
            }
            // Until all are up, or nothing moved for 10 s.
            int seen = -1;
            long stalledSince = System.nanoTime();
            for (int n; (n = established(ce1)) < count; ) {
                if (n != seen) {
                    seen = n;
                    stalledSince = System.nanoTime();
                } else if (System.nanoTime() - stalledSince > TimeUnit.SECONDS.toNanos(10)) {
                    break;
                }
                Thread.sleep(200);
            }
            double cpuSeconds = (cpuTicks(ce1) + cpuTicks(ce2) - cpu0) / (double) CLOCK_TICKS;
            List<String> log = Files.readAllLines(ce1.resolve("charon.log"), StandardCharsets.ISO_8859_1);
            LocalTime first = null;
            LocalTime last = null;
            List<Double> completions = new ArrayList<>();
            int up = 0;
            for (String line : log) {
                Matcher m = STAMP.matcher(line);
                if (!m.find()) {
                    continue;
                }
                LocalTime at = LocalTime.parse(m.group(1), TIME);
                if (first == null && line.contains("initiating IKE_SA")) {
                    first = at;
                }
                if (line.contains("IKE_SA c") && line.contains("established between")) {
                    up++;
                    last = at;
                    if (first != null) {
                        completions.add(Duration.between(first, at).toNanos() / 1e9);
                    }
                }
            }
            if (first == null || last == null || up == 0) {
                throw new IOException("strongSwan made no IKE SA; log:\n" + String.join("\n", log.subList(Math.max(0, log.size() - 30), log.size())));
            }
            if (up < count) {
                System.out.println("strongswan group " + g.value() + ": only " + up + " of " + count + " handshakes completed");
            }
            return Rate.of(completions, cpuSeconds);
        }
    }

    /** USER_HZ: /proc/PID/stat counts CPU time in these (100 on every Linux we run on). */
    private static final long CLOCK_TICKS = 100;

    /** User + system CPU time charon has used so far, from /proc/PID/stat (fields 14 and 15). */
    private static long cpuTicks(Path charonDir) throws IOException {
        long pid = Long.parseLong(Files.readString(charonDir.resolve("charon.pid")).trim());
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static int established(Path dir) throws IOException {
        Path log = dir.resolve("charon.log");
        if (!Files.exists(log)) {
            return 0;
        }
        int n = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            if (line.contains("IKE_SA c") && line.contains("established between")) {
                n++;
            }
        }
        return n;
    }

    private static Path charon(TunnelTopology t, String node, String peer) throws Exception {
        Path d = t.workDir().resolve("ike-" + node);
        Files.createDirectories(d);
        Files.writeString(d.resolve("strongswan.conf"), """
                charon {
                  load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 pubkey kdf kernel-libipsec kernel-netlink socket-default vici
                  # Handshakes, not DoS protection: no per-peer half-open block (default 5), no cookies
                  # (default from 10 half-open), no routes for the children (kernel-libipsec still installs the SAs).
                  block_threshold = 1000000
                  cookie_threshold = 1000000
                  init_limit_half_open = 0
                  install_routes = no
                  plugins { vici { socket = unix://%s/charon.vici } }
                  filelog { log { path = %s/charon.log
                                  time_format = %%H:%%M:%%S
                                  time_add_ms = yes
                                  flush_line = yes
                                  default = 0
                                  ike = 0
                                  cfg = 0 } }
                }
                """.formatted(d, d));
        Process charon = new ProcessBuilder("ip", "netns", "exec", t.ns(node), "env", "STRONGSWAN_CONF=" + d.resolve("strongswan.conf"),
                "sh", "-c", "mount -t tmpfs tmpfs /run && exec /usr/lib/ipsec/charon")
                .redirectErrorStream(true).redirectOutput(d.resolve("charon.out").toFile()).start();
        t.adopt(charon);
        // ip netns exec, env and sh all exec: the process we started is charon itself.
        Files.writeString(d.resolve("charon.pid"), Long.toString(charon.pid()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(d.resolve("charon.vici"))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("charon in " + node + " did not start: " + Files.readString(d.resolve("charon.out")));
            }
            Thread.sleep(50);
        }
        return d;
    }

    private static void swanctl(TunnelTopology t, String node, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("swanctl"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + dir.resolve("charon.vici")));
        t.exec(node, 60, cmd.toArray(String[]::new));
    }
}

package org.cevpn.ipsec.ike.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.cevpn.ipsec.bench.TunnelTopology;
import org.cevpn.ipsec.ike.crypto.CertificateChainValidatorTest;
import org.cevpn.ipsec.ike.engine.IkeTunnelMain;
import org.cevpn.ipsec.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The interop matrix against strongSwan with OUR data plane carrying the traffic: h1 — ce1 — pe —
 * ce2 — h2 in network namespaces (one topology for all cases); on ce1 {@link IkeTunnelMain} (TUN,
 * ESP-in-UDP, IKE engine, supervisor), on ce2 charon with kernel-libipsec. Each case: ping and a
 * TCP transfer (iperf3) in both directions through the tunnel, after set-up and after every
 * rekey. PSK and certificates (a CA made here); AES-GCM and AES-CBC + HMAC-SHA2 for IKE and ESP;
 * child and IKE rekeys and DELETEs started from each side; liveness failure when either side is killed.
 */
class StrongSwanInteropMatrixTest {
    private static final String CHARON = "/usr/lib/ipsec/charon";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static TunnelTopology topology;
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void topology() throws Exception {
        ExternalTools.requireRoot("the strongSwan interop matrix");
        ExternalTools.require(Files.isExecutable(Path.of(CHARON)), CHARON + " not found (strongswan-charon, libcharon-extra-plugins)");
        ExternalTools.program("swanctl", "strongswan-swanctl");
        ExternalTools.program("iperf3", "iperf3");
        ExternalTools.program("ping", "iputils-ping");
        topology = TunnelTopology.startLinks();
        topology.addTun("ce1", "tun0", 1400, "10.2.0.0/24");
    }

    @AfterAll
    static void close() {
        if (topology != null) {
            topology.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---- the two CEs ----

    /** Our CE on ce1: commands in, event lines out. */
    final class Ours {
        final Process process;
        final Writer commands;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Ours(List<String> args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    IkeTunnelMain.class.getName(), "--tun", "tun0", "--local", "192.0.2.1", "--peer", "198.51.100.1",
                    "--local-id", "ce1.example.net", "--peer-id", "ce2.example.net",
                    "--local-ts", "10.1.0.0/24", "--remote-ts", "10.2.0.0/24"));
            cmd.addAll(args);
            process = topology.spawn("ce1", cmd.toArray(String[]::new));
            started.add(process);
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    lines.add("reader: " + e);
                }
            });
            await("ready", l -> l.startsWith("ready"), 20);
        }

        void command(String c) throws IOException {
            commands.write(c + "\n");
            commands.flush();
        }

        long count(Predicate<String> p) {
            synchronized (lines) {
                return lines.stream().filter(p).count();
            }
        }

        /** Waits until the count of lines matching {@code p} exceeds what it was before the call's action. */
        void awaitMore(String what, Predicate<String> p, long before, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (count(p) <= before) {
                if (System.nanoTime() > deadline || !process.isAlive() && count(p) <= before) {
                    throw new AssertionError("ours: no " + what + " within " + seconds + " s; output:\n" + String.join("\n", lines)
                            + "\ncharon:\n" + charonLogTail());
                }
                Thread.sleep(50);
            }
        }

        void await(String what, Predicate<String> p, int seconds) throws InterruptedException {
            awaitMore(what, p, 0, seconds);
        }
    }

    private Path charonDir;

    /** charon on ce2 with kernel-libipsec, configured for this case. */
    Process charon(String proposals, String espProposals, boolean certificates, String psk, Map<String, String> files,
                   String extraConnection) throws Exception {
        charonDir = Files.createTempDirectory("cevpn-interop-charon");
        Files.writeString(charonDir.resolve("strongswan.conf"), """
                charon {
                  load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 pkcs8 x509 pubkey kdf kernel-libipsec kernel-netlink socket-default vici
                  retransmit_tries = 2
                  retransmit_timeout = 1.0
                  retransmit_base = 1.4
                  filelog { log { path = %s
                                  flush_line = yes
                                  default = 1
                                  ike = 2
                                  chd = 2 } }
                  plugins { vici { socket = unix://%s } }
                }
                """.formatted(charonDir.resolve("charon.log"), charonDir.resolve("charon.vici")));
        String auth = certificates ? "pubkey" : "psk";
        Files.writeString(charonDir.resolve("swanctl.conf"), """
                connections { peer {
                  version = 2
                  local_addrs = 198.51.100.1
                  remote_addrs = 192.0.2.1
                  proposals = %s
                  %s
                  local { auth = %s
                          id = ce2.example.net
                          %s }
                  remote { auth = %s
                           id = ce1.example.net }
                  children { net { local_ts = 10.2.0.0/24
                                   remote_ts = 10.1.0.0/24
                                   esp_proposals = %s } }
                } }
                secrets { ike-1 { id-1 = ce1.example.net
                                  id-2 = ce2.example.net
                                  secret = 0x%s } }
                """.formatted(proposals, extraConnection, auth, certificates ? "certs = ce2.pem" : "", auth, espProposals, psk));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = charonDir.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.getValue());
        }
        Process p = topology.spawn("ce2", "env", "STRONGSWAN_CONF=" + charonDir.resolve("strongswan.conf"),
                "sh", "-c", "mount -t tmpfs tmpfs /run && exec " + CHARON);
        started.add(p);
        Path vici = charonDir.resolve("charon.vici");
        for (int i = 0; i < 200 && !Files.exists(vici); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(vici), "charon started");
        swanctl("--load-all", "--file", charonDir.resolve("swanctl.conf").toString());
        return p;
    }

    String swanctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("swanctl"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + charonDir.resolve("charon.vici")));
        return topology.exec("ce2", 30, cmd.toArray(String[]::new));
    }

    String charonLog() {
        try {
            Path log = charonDir == null ? null : charonDir.resolve("charon.log");
            return log != null && Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    String charonLogTail() {
        String log = charonLog();
        return log.substring(Math.max(0, log.length() - 4000));
    }

    void awaitCharon(String what, String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!charonLog().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("charon: no " + what + " within " + seconds + " s:\n" + charonLogTail());
            }
            Thread.sleep(50);
        }
    }

    // ---- traffic ----

    /** Ping and a TCP transfer in both directions through the tunnel. */
    void trafficBothWays(String when) throws Exception {
        ping("h1", "10.2.0.2", when);
        ping("h2", "10.1.0.2", when);
        tcp("h2", "10.2.0.2", "h1", false, when);
        tcp("h2", "10.2.0.2", "h1", true, when);
    }

    void ping(String from, String to, String when) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                topology.exec(from, 10, "ping", "-c", "2", "-i", "0.2", "-W", "1", to);
                return;
            } catch (IOException e) {
                last = e; // the far side may still be installing its SAs
                Thread.sleep(300);
            }
        }
        throw new AssertionError(when + ": ping " + from + " -> " + to + " failed: " + last + "\ncharon:\n" + charonLogTail());
    }

    /** 2 MB over TCP from the iperf3 client in {@code clientNode} to the server, or back with {@code reverse}. */
    void tcp(String serverNode, String serverAddress, String clientNode, boolean reverse, String when) throws Exception {
        Process server = topology.spawn(serverNode, "iperf3", "-s", "-1", "-p", "5202");
        try {
            Thread.sleep(200);
            List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", serverAddress, "-p", "5202", "-n", "2M", "--connect-timeout", "3000"));
            if (reverse) {
                cmd.add("-R");
            }
            try {
                topology.exec(clientNode, 30, cmd.toArray(String[]::new));
            } catch (IOException e) {
                throw new AssertionError(when + ": TCP " + (reverse ? "h2 -> h1" : "h1 -> h2") + " failed: " + e);
            }
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---- the cases ----

    private static String psk() {
        return HexFormat.of().formatHex(RANDOM.generateSeed(24));
    }

    private static final String GCM_IKE = "aes256gcm16-prfsha256-ecp256";
    private static final String GCM_ESP = "aes256gcm16-ecp256, aes256gcm16";
    private static final String CBC_IKE = "aes256-sha256-prfsha256-ecp256";
    private static final String CBC_ESP = "aes256-sha256-ecp256, aes256-sha256";

    private static boolean event(String l, String name) {
        return l.startsWith("event " + name);
    }

    @ParameterizedTest(name = "PSK {0}: we initiate; rekeys and DELETE from each side")
    @CsvSource({"gcm", "cbc"})
    void pskWeInitiateRekeyAndDeleteFromEachSide(String suite) throws Exception {
        String key = psk();
        boolean gcm = suite.equals("gcm");
        charon(gcm ? GCM_IKE : CBC_IKE, gcm ? GCM_ESP : CBC_ESP, false, key, Map.of(), "");
        Ours ours = new Ours(List.of("--psk", key, "--suite", suite, "--permanent"));
        ours.await("child SA", l -> event(l, "ChildSaUp"), 20);
        trafficBothWays("after set-up");

        long rekeys = ours.count(l -> event(l, "ChildSaRekeyed"));
        ours.command("rekey-child");
        ours.awaitMore("our child rekey", l -> event(l, "ChildSaRekeyed"), rekeys, 15);
        trafficBothWays("after our child rekey");

        rekeys = ours.count(l -> event(l, "ChildSaRekeyed"));
        swanctl("--rekey", "--child", "net");
        ours.awaitMore("strongSwan's child rekey", l -> event(l, "ChildSaRekeyed"), rekeys, 15);
        trafficBothWays("after strongSwan's child rekey (PFS)");

        long ikeRekeys = ours.count(l -> event(l, "IkeSaRekeyed"));
        ours.command("rekey-ike");
        ours.awaitMore("our IKE rekey", l -> event(l, "IkeSaRekeyed"), ikeRekeys, 15);
        trafficBothWays("after our IKE rekey");

        ikeRekeys = ours.count(l -> event(l, "IkeSaRekeyed"));
        swanctl("--rekey", "--ike", "peer");
        ours.awaitMore("strongSwan's IKE rekey", l -> event(l, "IkeSaRekeyed"), ikeRekeys, 15);
        trafficBothWays("after strongSwan's IKE rekey");

        // DELETE from strongSwan: our IKE SA goes; the permanent tunnel comes back after the retry minimum.
        long ups = ours.count(l -> event(l, "ChildSaUp"));
        swanctl("--terminate", "--ike", "peer");
        ours.await("the peer's DELETE", l -> l.contains("reason=deleted by the peer"), 15);
        ours.awaitMore("the permanent tunnel again", l -> event(l, "ChildSaUp"), ups, 20);
        trafficBothWays("after strongSwan's DELETE and our re-initiation");

        // DELETE from us: strongSwan sees it.
        ours.command("delete-ike");
        ours.await("our DELETE", l -> l.contains("reason=deleted by us"), 15);
        awaitCharon("our DELETE", "received DELETE for IKE_SA", 15);
    }

    @ParameterizedTest(name = "PSK {0}: strongSwan initiates")
    @CsvSource({"gcm", "cbc"})
    void pskStrongSwanInitiates(String suite) throws Exception {
        String key = psk();
        boolean gcm = suite.equals("gcm");
        charon(gcm ? GCM_IKE : CBC_IKE, gcm ? GCM_ESP : CBC_ESP, false, key, Map.of(), "");
        Ours ours = new Ours(List.of("--psk", key, "--suite", suite));
        swanctl("--initiate", "--child", "net", "--timeout", "15");
        ours.await("child SA", l -> event(l, "ChildSaUp"), 20);
        trafficBothWays("after strongSwan's initiation");
    }

    @ParameterizedTest(name = "certificates {0}, we initiate: {1}")
    @CsvSource({"gcm, true", "cbc, false"})
    void certificates(String suite, boolean weInitiate) throws Exception {
        Date from = new Date(System.currentTimeMillis() - 86_400_000L);
        Date to = new Date(System.currentTimeMillis() + 86_400_000L);
        KeyPair caKeys = ec();
        X509Certificate ca = CertificateChainValidatorTest.issue("CN=cevpn interop CA", caKeys, "CN=cevpn interop CA",
                caKeys.getPrivate(), true, from, to);
        KeyPair ourKeys = ec();
        X509Certificate ourCert = CertificateChainValidatorTest.issue("CN=ce1", ourKeys, "CN=cevpn interop CA", caKeys.getPrivate(),
                false, from, to, new GeneralName(GeneralName.dNSName, "ce1.example.net"));
        KeyPair theirKeys = ec();
        X509Certificate theirCert = CertificateChainValidatorTest.issue("CN=ce2", theirKeys, "CN=cevpn interop CA", caKeys.getPrivate(),
                false, from, to, new GeneralName(GeneralName.dNSName, "ce2.example.net"));
        boolean gcm = suite.equals("gcm");
        charon(gcm ? GCM_IKE : CBC_IKE, gcm ? GCM_ESP : CBC_ESP, true, psk(), Map.of("x509ca/ca.pem", pem(ca),
                "x509/ce2.pem", pem(theirCert), "private/ce2.pem", pem(new JcaPKCS8Generator(theirKeys.getPrivate(), null))), "");
        Path mine = Files.createTempDirectory("cevpn-interop-ours");
        Files.writeString(mine.resolve("ca.pem"), pem(ca));
        Files.writeString(mine.resolve("ce1.pem"), pem(ourCert));
        Files.writeString(mine.resolve("ce1.key"), pem(new JcaPKCS8Generator(ourKeys.getPrivate(), null)));
        try {
            List<String> args = new ArrayList<>(List.of("--cert", mine.resolve("ce1.pem").toString(), "--key", mine.resolve("ce1.key").toString(),
                    "--ca", mine.resolve("ca.pem").toString(), "--suite", suite));
            if (weInitiate) {
                args.add("--permanent");
            }
            Ours ours = new Ours(args);
            if (!weInitiate) {
                swanctl("--initiate", "--child", "net", "--timeout", "15");
            }
            ours.await("child SA", l -> event(l, "ChildSaUp"), 20);
            trafficBothWays("certificates, " + suite);
        } finally {
            for (String f : List.of("ca.pem", "ce1.pem", "ce1.key")) {
                Files.deleteIfExists(mine.resolve(f));
            }
            Files.deleteIfExists(mine);
        }
    }

    @Test
    void killedStrongSwanFailsOurLivenessAndKilledUsFailsStrongSwansDpd() throws Exception {
        String key = psk();
        Process charon = charon(GCM_IKE, GCM_ESP, false, key, Map.of(), "dpd_delay = 2s");
        Ours ours = new Ours(List.of("--psk", key, "--suite", "gcm", "--permanent", "--liveness", "2"));
        ours.await("child SA", l -> event(l, "ChildSaUp"), 20);
        ping("h1", "10.2.0.2", "before the kill");
        charon.destroyForcibly(); // SIGKILL: no DELETE, just silence
        charon.waitFor(10, TimeUnit.SECONDS);
        ours.await("liveness failure", l -> event(l, "IkeSaDown") && l.contains("no answer") && l.contains("children=1"), 30);

        // And the reverse: strongSwan's DPD finds us gone.
        charon = charon(GCM_IKE, GCM_ESP, false, key, Map.of(), "dpd_delay = 2s");
        ours.await("child SA with the new charon", l -> event(l, "ChildSaUp") && ours.count(x -> event(x, "ChildSaUp")) >= 2, 30);
        ping("h1", "10.2.0.2", "with the new charon");
        ours.process.destroyForcibly();
        ours.process.waitFor(10, TimeUnit.SECONDS);
        awaitCharon("DPD giving up", "giving up after", 30);
    }

    @Test
    void trafficForThePeersSiteStartsTheTunnelOnDemand() throws Exception {
        String key = psk();
        charon(GCM_IKE, GCM_ESP, false, key, Map.of(), "");
        Ours ours = new Ours(List.of("--psk", key, "--suite", "gcm"));
        Thread.sleep(1500);
        assertTrue(ours.count(l -> event(l, "ChildSaUp")) == 0, "a traffic-driven tunnel waits for traffic");
        try {
            topology.exec("h1", 10, "ping", "-c", "1", "-W", "1", "10.2.0.2"); // dropped (no SA): triggers IKE
        } catch (IOException expected) {
            // the triggering packet itself is dropped and counted
        }
        ours.await("child SA started by traffic", l -> event(l, "ChildSaUp"), 20);
        trafficBothWays("after on-demand set-up");
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }
}

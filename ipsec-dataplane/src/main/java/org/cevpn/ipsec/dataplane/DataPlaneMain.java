package org.cevpn.ipsec.dataplane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.cevpn.ipsec.esp.SaConfig;
import org.cevpn.ipsec.esp.SaEventListener;
import org.cevpn.ipsec.esp.SecurityAssociation;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.esp.StaticSaConfig;
import org.cevpn.ipsec.io.TunDevice;
import org.cevpn.ipsec.io.UdpSockets;

/**
 * A CE data plane with static SAs (the IKE-less case), for namespace tests and benchmarks:
 *
 * <pre>
 * DataPlaneMain --tun NAME --local ADDR --sa-file FILE [--natt-port 4500] [--ike-port 500] [--keepalive SECONDS] [--offload]
 * </pre>
 *
 * Attaches to (or creates) TUN interface NAME, binds UDP ADDR:4500 and ADDR:500, installs the SAs and
 * runs until terminated; prints "ready" once running and the counters on exit. No IKE engine runs
 * here: IKE datagrams are queued until the queue is full and then counted as drops.
 *
 * <p>{@code --offload} opens the TUN with TSO offloads; set the interface's gso_max_size to at most
 * {@link DataPlane#MAX_INNER_PACKET} ({@code ip link set NAME gso_max_size 65430}) so every
 * super-packet fits one ESP-in-UDP datagram (larger ones would be dropped as OVERSIZE).
 */
public final class DataPlaneMain {
    private DataPlaneMain() {}

    public static void main(String[] args) throws Exception {
        String tun = null;
        String local = null;
        Path saFile = null;
        int nattPort = 4500;
        int ikePort = 500;
        Duration keepalive = null;
        boolean offload = false;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--tun" -> tun = v;
                case "--local" -> local = v;
                case "--sa-file" -> saFile = Path.of(v);
                case "--natt-port" -> nattPort = Integer.parseInt(v);
                case "--ike-port" -> ikePort = Integer.parseInt(v);
                case "--keepalive" -> keepalive = Duration.ofSeconds(Long.parseLong(v));
                case "--offload" -> {
                    offload = true;
                    i--; // a flag without value
                    v = "";
                }
                default -> usage("unknown option " + args[i]);
            }
            if (v == null) {
                usage(args[i] + " needs a value");
            }
            i++;
        }
        if (tun == null || local == null || saFile == null) {
            usage("--tun, --local and --sa-file are required");
        }
        List<SaConfig> sas;
        try {
            sas = StaticSaConfig.read(saFile);
        } catch (IllegalArgumentException e) {
            System.err.println("dataplane: " + saFile + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        InetAddress addr = InetAddress.ofLiteral(local);
        SaEventListener log = e -> System.err.println("dataplane: SA event " + e);
        SecurityAssociationDatabase sad = new SecurityAssociationDatabase(log);
        for (SaConfig c : sas) {
            sad.install(c);
        }
        UdpSockets sockets = new UdpSockets(new InetSocketAddress(addr, nattPort), new InetSocketAddress(addr, ikePort));
        TunDevice device = TunDevice.open(tun, offload);
        DataPlane dp = new DataPlane(sad, device, sockets, new IkeQueue(64), null, keepalive);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                dp.close();
            } catch (Exception e) {
                System.err.println("dataplane: close: " + e);
            }
            System.err.println("dataplane: esp sent " + dp.espSent() + ", delivered " + dp.espDelivered() + ", " + dp.drops());
            System.err.println("dataplane: cpu-ms " + ProcessHandle.current().info().totalCpuDuration()
                    .map(java.time.Duration::toMillis).orElse(-1L));
            for (SecurityAssociation sa : sad.all()) {
                System.err.println("dataplane: " + sa + " " + sa.stats());
            }
            done.countDown();
        }));
        Warmup.run(sas.stream().map(SaConfig::encryption).collect(java.util.stream.Collectors.toSet()));
        dp.start();
        System.out.println("ready " + tun + " " + sockets.natTAddress() + " " + sas.size() + " SAs");
        System.out.flush();
        done.await();
    }

    private static void usage(String why) {
        System.err.println("dataplane: " + why);
        System.err.println("usage: DataPlaneMain --tun NAME --local ADDR --sa-file FILE [--natt-port N] [--ike-port N] [--keepalive S] [--offload]");
        System.exit(2);
    }
}

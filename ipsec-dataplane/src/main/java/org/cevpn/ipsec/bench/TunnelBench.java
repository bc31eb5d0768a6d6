package org.cevpn.ipsec.bench;

import java.util.Locale;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.esp.StaticSaConfig;

/**
 * {@code ./cevpn bench tunnel} (root): iperf3 TCP from h1 to h2 through our ESP data planes on ce1 and
 * ce2, and in the same run through the same five namespaces routed in the clear (the veth baseline).
 * Prints {@code tunnel-gbps: G} and {@code veth-gbps: V}. Options: {@code --seconds S} (default 10),
 * {@code --enc NAME} (default aes-gcm-16-256), {@code --mtu N} (TUN MTU, default 1400),
 * {@code --offload true|false} (TUN TSO offloads, default true).
 */
public final class TunnelBench {
    private TunnelBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int mtu = 1400;
        EncryptionAlgorithm alg = EncryptionAlgorithm.AES_GCM_16_256;
        boolean offload = true;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--enc" -> alg = StaticSaConfig.encryption(args[i + 1]);
                case "--mtu" -> mtu = Integer.parseInt(args[i + 1]);
                case "--offload" -> offload = Boolean.parseBoolean(args[i + 1]);
                default -> {
                    System.err.println("usage: TunnelBench [--seconds S] [--enc NAME] [--mtu N] [--offload true|false]");
                    System.exit(2);
                }
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("bench tunnel needs root (network namespaces, TUN devices)");
            System.exit(2);
        }
        try (TunnelTopology t = TunnelTopology.start(alg, mtu, offload)) {
            System.out.printf(Locale.ROOT, "# h1 - ce1 - pe - ce2 - h2, iperf3 TCP %d s, %s, TUN MTU %d, offload %s, %d CPUs, load %s%n",
                    seconds, alg, mtu, offload, Runtime.getRuntime().availableProcessors(), loadAverage());
            t.exec("h1", 10, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.2.0.2");
            double tunnel = t.iperf(seconds);
            t.useTunnel(false);
            double veth = t.iperf(seconds);
            t.useTunnel(true);
            System.out.printf(Locale.ROOT, "# reference: strongSwan kernel-libipsec through the same topology 0.276-0.282 Gbit/s; target 5x = 1.40%n");
            System.out.printf(Locale.ROOT, "tunnel-gbps: %.3f%n", tunnel);
            System.out.printf(Locale.ROOT, "veth-gbps: %.3f%n", veth);
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}

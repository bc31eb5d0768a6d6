package org.cevpn.ipsec.bench;

import java.util.Locale;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.esp.StaticSaConfig;

/**
 * {@code ./cevpn bench tunnel} (root): iperf3 TCP from h1 to h2 through our ESP data planes on ce1 and
 * ce2, and in the same run through the same five namespaces routed in the clear (the veth baseline).
 * Prints {@code tunnel-gbps: G} and {@code veth-gbps: V}. Options: {@code --seconds S} (default 10),
 * {@code --enc NAME} (default aes-gcm-16-256), {@code --mtu N} (TUN MTU, default 1400),
 * {@code --offload true|false} (TUN TSO offloads, default true),
 * {@code --super-packets true|false} (with offload: carry TCP super-packets whole, default true; false
 * segments them before ESP as for a peer that is not this data plane),
 * {@code --strongswan true|false} (measure strongSwan kernel-libipsec in the same run; default: if installed).
 */
public final class TunnelBench {
    private TunnelBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int mtu = 1400;
        EncryptionAlgorithm alg = EncryptionAlgorithm.AES_GCM_16_256;
        boolean offload = true;
        Boolean superPackets = null;
        boolean strongSwan = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/lib/ipsec/charon"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--enc" -> alg = StaticSaConfig.encryption(args[i + 1]);
                case "--mtu" -> mtu = Integer.parseInt(args[i + 1]);
                case "--offload" -> offload = Boolean.parseBoolean(args[i + 1]);
                case "--strongswan" -> strongSwan = Boolean.parseBoolean(args[i + 1]);
                case "--super-packets" -> superPackets = Boolean.parseBoolean(args[i + 1]);
                default -> {
                    System.err.println("usage: TunnelBench [--seconds S] [--enc NAME] [--mtu N] [--offload true|false] [--super-packets true|false] [--strongswan true|false]");
                    System.exit(2);
                }
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("bench tunnel needs root (network namespaces, TUN devices)");
            System.exit(2);
        }
        boolean whole = superPackets == null ? offload : superPackets && offload;
        TunnelTopology t = TunnelTopology.start(alg, mtu, offload, whole);
        try (t) {
            System.out.printf(Locale.ROOT, "# h1 - ce1 - pe - ce2 - h2, iperf3 TCP %d s (after 2 s omitted warm-up), %s, TUN MTU %d, offload %s, super-packets %s, %d CPUs, load %s%n",
                    seconds, alg, mtu, offload, whole, Runtime.getRuntime().availableProcessors(), loadAverage());
            t.exec("h1", 10, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.2.0.2");
            double tunnel = t.iperf(seconds);
            t.useTunnel(false);
            double veth = t.iperf(seconds);
            t.useTunnel(true);
            System.out.printf(Locale.ROOT, "# reference (design notes, quiet machine): strongSwan kernel-libipsec 0.276-0.282 Gbit/s; target 5x = 1.40%n");
            t.close();
            long cpuMs = cpuMillis(t.dataPlaneLog("ce1")) + cpuMillis(t.dataPlaneLog("ce2"));
            System.out.printf(Locale.ROOT, "# both data plane JVMs used %.1f CPU-seconds in total (start-up and the clear-text baseline included)%n",
                    cpuMs / 1000.0);
            if (strongSwan) {
                double s = strongSwan(seconds);
                System.out.printf(Locale.ROOT, "# same run, same topology, strongSwan charon + kernel-libipsec, AES-256-GCM: %.3f Gbit/s; ours/strongSwan %.1fx%n",
                        s, tunnel / s);
            }
            System.out.printf(Locale.ROOT, "tunnel-gbps: %.3f%n", tunnel);
            System.out.printf(Locale.ROOT, "veth-gbps: %.3f%n", veth);
        }
    }

    /** iperf3 through strongSwan's kernel-libipsec in a fresh copy of the topology; NaN if it cannot be set up. */
    private static double strongSwan(int seconds) {
        try (TunnelTopology s = TunnelTopology.startStrongSwan()) {
            s.exec("h1", 10, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.2.0.2");
            return s.iperf(seconds);
        } catch (Exception e) {
            System.out.println("# strongSwan comparison failed: " + e.getMessage());
            return Double.NaN;
        }
    }

    private static long cpuMillis(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cpu-ms (\\d+)").matcher(log);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}

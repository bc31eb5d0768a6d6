package org.cevpn.agent;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.ipsec.io.PacketPort;
import org.cevpn.ipsec.io.TunDevice;

/**
 * Runs one CE device agent until SIGTERM/SIGINT, when it deletes its tunnels (IKE DELETE) and stops.
 *
 * <pre>
 * ./cevpn agent --config ce1.properties
 *
 * netconf.host = 0.0.0.0          # NETCONF over SSH (RFC 6242)
 * netconf.port = 830
 * state.dir = /var/lib/cevpn/ce1  # running.xml, startup.xml, ssh_host_key
 * user.admin = PASSWORD           # one line per NETCONF user
 * recovery-users = admin          # optional, comma-separated: users NACM never restricts (default: every user);
 *                                 # the others get what running's /nacm allows (without a rule: read, no secrets)
 * sp.address = 192.0.2.1          # this CE's SP-space address: IKE and ESP-in-UDP
 * ike.port = 500
 * natt.port = 4500
 * vpn.port = tun:tun0             # or memory (no VPN-side interface: tests, dry runs)
 * pre-configuration = ce1-pre.xml # optional: /ce-device XML written to running on a first start
 * </pre>
 *
 * <p>With a pre-configuration in running the agent pulls its VPN configuration from the pre-configuration's
 * vpn-server (see {@link org.cevpn.agent.pull.PullClient}); a VPN server may also push to it over NETCONF.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--config")) {
            usage("--config FILE is required");
        }
        Path file = Path.of(args[1]);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            usage("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> users = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("user.")) {
                users.put(key.substring("user.".length()), p.getProperty(key));
            }
        }
        if (users.isEmpty()) {
            usage("at least one user.NAME = PASSWORD line is required");
        }
        Set<String> recovery = users.keySet();
        String recoveryList = p.getProperty("recovery-users");
        if (recoveryList != null) {
            recovery = Arrays.stream(recoveryList.split(",")).map(String::trim).filter(u -> !u.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
            if (!users.keySet().containsAll(recovery)) {
                usage("every recovery user needs a user.NAME = PASSWORD line");
            }
        }
        Path base = file.toAbsolutePath().getParent();
        Optional<String> pre = Optional.ofNullable(p.getProperty("pre-configuration"))
                .map(f -> {
                    try {
                        return Files.readString(base.resolve(f)).replaceAll("<\\?xml[^>]*\\?>", "").replaceAll("(?s)<!--.*?-->", "");
                    } catch (IOException e) {
                        usage("cannot read the pre-configuration: " + e.getMessage());
                        return null;
                    }
                });
        CeAgent.Settings settings = new CeAgent.Settings(p.getProperty("netconf.host", "0.0.0.0"),
                integer(p, "netconf.port", "830"), base.resolve(required(p, "state.dir")), users,
                address(required(p, "sp.address")), integer(p, "ike.port", "500"), integer(p, "natt.port", "4500"), pre,
                recovery);
        Files.createDirectories(settings.stateDir());
        String port = p.getProperty("vpn.port", "memory");
        PacketPort vpnSide = port.startsWith("tun:") ? TunDevice.open(port.substring(4), false)
                : port.equals("memory") ? new MemoryPacketPort("vpn", 1024) : null;
        if (vpnSide == null) {
            usage("vpn.port is tun:NAME or memory");
        }
        CeAgent agent = new CeAgent(settings, vpnSide);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.close(); // IKE DELETE to every peer first (draft §3.6)
            } catch (Exception e) {
                System.err.println("agent: stopping: " + e.getMessage());
            }
            stopped.countDown();
        }));
        System.out.println("agent ready: NETCONF on " + settings.netconfHost() + ":" + agent.netconfPort() + ", IKE on "
                + settings.spAddress().getHostAddress() + ":" + settings.ikePort() + "/" + settings.natTPort());
        System.out.flush();
        stopped.await();
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            usage(key + " is required");
        }
        return v.trim();
    }

    private static int integer(Properties p, String key, String def) {
        try {
            return Integer.parseInt(p.getProperty(key, def).trim());
        } catch (NumberFormatException e) {
            usage(key + " is not a number");
            return -1;
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            usage("sp.address is not an IP address literal");
            return null;
        }
    }

    private static void usage(String why) {
        System.err.println("agent: " + why);
        System.err.println("usage: ./cevpn agent --config FILE   (properties: netconf.host, netconf.port, state.dir, "
                + "user.NAME, recovery-users, sp.address, ike.port, natt.port, vpn.port = tun:NAME|memory, pre-configuration)");
        System.exit(2);
    }
}

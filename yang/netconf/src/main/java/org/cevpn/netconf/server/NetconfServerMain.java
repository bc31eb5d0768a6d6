package org.cevpn.netconf.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.Set;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.filter.WithDefaults;
import org.cevpn.netconf.nacm.Nacm;
import org.cevpn.netconf.notification.NotificationStream;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;

/**
 * A NETCONF-over-SSH server for manual use and as the agent's and controller's server:
 * <pre>
 * NetconfServerMain --port 8300 --state-dir DIR --user admin:secret [--user-hash admin:pbkdf2-sha256$...]
 *                   [--authorized-keys admin=~/.ssh/id_ed25519.pub] [--module cevpn-ce-device]...
 *                   [--host 0.0.0.0] [--max-message-size 16777216] [--recovery-user admin]...
 * </pre>
 * Without {@code --module}, all cevpn modules are served (with ietf-netconf and ietf-netconf-acm, which
 * NACM reads). The host key is {@code DIR/ssh_host_key}. NACM (RFC 8341) is on: with its defaults, only
 * recovery users may write until /nacm rules say otherwise.
 */
public final class NetconfServerMain {
    private NetconfServerMain() {
    }

    public static void main(final String[] args) throws Exception {
        int port = 830;
        String host = "0.0.0.0";
        Path stateDir = null;
        int maxMessageSize = 16 << 20;
        final var users = new SshUsers();
        final List<String> modules = new ArrayList<>();
        final var recoveryUsers = new java.util.HashSet<String>();
        for (int i = 0; i < args.length; i++) {
            final var value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--host" -> host = require(args[i], value);
                case "--state-dir" -> stateDir = Path.of(require(args[i], value));
                case "--max-message-size" -> maxMessageSize = Integer.parseInt(require(args[i], value));
                case "--user" -> {
                    final var v = require(args[i], value);
                    final int colon = v.indexOf(':');
                    if (colon <= 0) {
                        usage("--user takes NAME:PASSWORD");
                    }
                    users.withPassword(v.substring(0, colon), v.substring(colon + 1).toCharArray());
                }
                case "--user-hash" -> {
                    final var v = require(args[i], value);
                    final int colon = v.indexOf(':');
                    if (colon <= 0) {
                        usage("--user-hash takes NAME:HASH");
                    }
                    users.withPasswordHash(v.substring(0, colon), v.substring(colon + 1));
                }
                case "--authorized-keys" -> {
                    final var v = require(args[i], value);
                    final int eq = v.indexOf('=');
                    if (eq <= 0) {
                        usage("--authorized-keys takes NAME=FILE");
                    }
                    users.withAuthorizedKeys(v.substring(0, eq), Path.of(v.substring(eq + 1)));
                }
                case "--module" -> modules.add(require(args[i], value));
                case "--recovery-user" -> recoveryUsers.add(require(args[i], value));
                case "--hash-password" -> {
                    // A helper for writing --user-hash values: prints the hash of the given password.
                    System.out.println(SshUsers.hash(require(args[i], value).toCharArray()));
                    return;
                }
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (stateDir == null) {
            usage("--state-dir is required");
        }
        final var loader = new SchemaContextLoader(NetconfServerMain.class.getClassLoader());
        // ietf-netconf: NACM's default-deny-all marks on kill-session and delete-config; ietf-netconf-acm: /nacm.
        final var schema = loader.load(name -> name.startsWith("ietf-netconf@") || name.startsWith("ietf-netconf-acm")
            || name.startsWith("nc-notifications") || name.startsWith("notifications@")
            || (modules.isEmpty() ? SchemaContextLoader.CEVPN_MODULES.test(name)
                : modules.stream().anyMatch(m -> name.equals(m + ".yang") || name.startsWith(m + "@"))), List.of());
        final var limits = new Limits(maxMessageSize, Limits.DEFAULT.maxDepth());
        final var parser = new InstanceDocumentParser(schema, limits);
        final var rules = new Nacm(schema, Set.copyOf(recoveryUsers));
        final var nacm = new NacmAccessControl(rules, schema);
        final var scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        final var datastores = new Datastores(schema, parser, new DatastoreValidator(schema), stateDir, scheduler,
            nacm);
        nacm.follow(datastores);
        final var server = new NetconfServer(schema, datastores, nacm, new PolicyReadFilter(schema),
            new WithDefaults(schema), new RpcRegistry(), maxMessageSize)
            .withNotifications(new NotificationStream("NETCONF", "default NETCONF event stream", schema, rules,
                10_000, java.time.Clock.systemUTC(), scheduler));
        final var ssh = new SshTransport(server, host, port, stateDir.resolve("ssh_host_key"), users);
        System.out.println("NETCONF server listening on " + host + ":" + ssh.port() + " (state in " + stateDir + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                ssh.close();
            } catch (java.io.IOException e) {
                // exiting anyway
            }
        }));
        Thread.currentThread().join();
    }

    private static String require(final String option, final String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(final String problem) {
        System.err.println(problem);
        System.err.println("usage: NetconfServerMain --port N --state-dir DIR --user NAME:PASSWORD "
            + "[--user-hash NAME:HASH] [--authorized-keys NAME=FILE] [--module NAME]... [--host ADDR] "
            + "[--max-message-size BYTES] [--recovery-user NAME]... | --hash-password PASSWORD");
        System.exit(2);
    }
}

package org.cevpn.netconf.nacm;

import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.cevpn.netconf.filter.SubtreeFilter;
import org.cevpn.netconf.filter.WithDefaults;
import org.cevpn.netconf.filter.XPathFilter;
import org.cevpn.netconf.notification.NetconfNotification;
import org.cevpn.netconf.notification.NotificationSink;
import org.cevpn.netconf.notification.NotificationStream;
import org.cevpn.netconf.notification.NotificationXml;
import org.cevpn.netconf.notification.SubscriptionRequest;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/**
 * Not a test: prints what NACM, filtering and notification delivery cost on a hub CE's configuration (PEERS peers,
 * default 99 as in the scalability article; try 1000). Run from yang/netconf after a test-compile:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/runtime.classpath) \
 *     org.cevpn.netconf.nacm.PolicyBenchmark [PEERS]
 * </pre>
 */
public final class PolicyBenchmark {
    private static final int WARMUP = 5;
    private static final int RUNS = 15;

    private PolicyBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int peers = args.length > 0 ? Integer.parseInt(args[0]) : 99;
        final var schema = PolicyTestData.schema();
        final var xml = hub(PolicyTestData.example("valid/ce-vpn-configuration.xml"), peers);
        final var data = PolicyTestData.parse(PolicyTestData.body(NacmTest.nacm("permit", "deny", ""))
            + PolicyTestData.body(xml));
        final var changed = PolicyTestData.parse(PolicyTestData.body(NacmTest.nacm("permit", "deny", ""))
            + PolicyTestData.body(xml.replace("<pull-interval>900<", "<pull-interval>600<")));
        final var nacm = new Nacm(schema, Set.of());
        nacm.configure(data);
        final var operator = NacmUser.of("olivia");
        System.out.printf("hub CE with %d peers (%d bytes of XML)%n", peers, xml.length());
        System.out.printf("%-52s %10s%n", "operation", "median ms");
        time("NACM read filtering (operator, secrets hidden)", () -> nacm.filterRead(operator, data));
        time("NACM write check, one leaf changed (full diff)", () -> nacm.checkWrite(NacmUser.of("alice"), data, changed));
        time("NACM write check, same tree (shared subtrees)", () -> nacm.checkWrite(operator, data, data));
        final var subtree = new SubtreeFilter(schema, org.cevpn.netconf.filter.SubtreeFilterAccess.parse(
            "<filter xmlns='urn:ietf:params:xml:ns:netconf:base:1.0'><ce-device xmlns='" + NacmTest.CE
            + "'><vpn-configuration><peer><sp-address>10.0.0.50</sp-address></peer></vpn-configuration></ce-device></filter>"));
        time("subtree filter, one peer by content match", () -> subtree.apply(data));
        final var xpath = new XPathFilter(schema, "//c:peer[c:sp-address='10.0.0.50']", java.util.Map.of("c", NacmTest.CE));
        time("xpath filter, one peer by predicate", () -> {
            try {
                return xpath.apply(data);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        final var wd = new WithDefaults(schema);
        time("with-defaults report-all", () -> wd.apply(data, WithDefaults.Mode.REPORT_ALL, true));
        time("with-defaults trim", () -> wd.apply(data, WithDefaults.Mode.TRIM, true));

        final var module = schema.moduleByNamespace(NacmTest.CE).orElseThrow().getQNameModule();
        final var body = ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(QName.create(module, "tunnel-up")))
            .withChild(ImmutableNodes.leafNode(QName.create(module, "peer"), "192.0.2.7")).build();
        final var encoder = new NotificationXml(schema);
        final var event = new NetconfNotification(java.time.Instant.now(), body);
        time("encode 1000 notifications", () -> {
            for (int i = 0; i < 1000; i++) {
                encoder.encode(event);
            }
            return null;
        });
        final var timer = Executors.newSingleThreadScheduledExecutor();
        try {
            final var stream = new NotificationStream("NETCONF", "bench", schema, nacm, 10_000, Clock.systemUTC(), timer);
            final long[] delivered = { 0 };
            final NotificationSink sink = new NotificationSink() {
                @Override
                public void send(final NetconfNotification n) {
                    delivered[0]++;
                }

                @Override
                public void ended() {
                }
            };
            final var request = new SubscriptionRequest("NETCONF", new org.cevpn.netconf.filter.Filter.All(),
                java.util.Optional.empty(), java.util.Optional.empty());
            for (int i = 0; i < 100; i++) {
                stream.subscribe(request, operator, sink);
            }
            time("publish 1000 events to 100 subscribers (NACM on)", () -> {
                for (int i = 0; i < 1000; i++) {
                    stream.publish(body);
                }
                return null;
            });
            System.out.printf("(%d deliveries in all)%n", delivered[0]);
        } finally {
            timer.shutdownNow();
        }
    }

    private static void time(final String name, final Supplier<?> work) {
        final var ms = new double[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            final long t0 = System.nanoTime();
            work.get();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf("%-52s %10.3f%n", name, ms[RUNS / 2]);
    }

    /** The example CE configuration with its first peer copied {@code peers} times at 10.0.x.y addresses. */
    static String hub(final String example, final int peers) {
        final int start = example.indexOf("<peer>");
        final int end = example.indexOf("</peer>", start) + "</peer>".length();
        final var peer = example.substring(start, end);
        final var all = new StringBuilder();
        for (int i = 0; i < peers; i++) {
            all.append(peer.replace("192.0.2.2", "10.0." + (i / 250) + "." + (i % 250 + 1))
                .replace("<ce-id>ce2</ce-id>", "<ce-id>site" + i + "</ce-id>"));
        }
        final int lastEnd = example.lastIndexOf("</peer>") + "</peer>".length();
        return example.substring(0, start) + all + example.substring(lastEnd);
    }
}

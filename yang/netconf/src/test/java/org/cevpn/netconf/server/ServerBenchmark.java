package org.cevpn.netconf.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;

/**
 * Prints the latency of NETCONF operations through the whole server (framing, XML, edit, validation,
 * persistence) on the CE model's example configuration, over an in-memory pipe: edit-config of the full
 * configuration to the candidate, commit (validated, written with fsync), and get-config. Run after
 * {@code ./mvnw -pl yang/netconf -am install -DskipTests}:
 * <pre>
 * cd yang/netconf && java -cp target/test-classes:target/classes:$(cat target/runtime.classpath) \
 *     org.cevpn.netconf.server.ServerBenchmark [rounds] [state-dir]
 * </pre>
 * A benchmark, not a test: it never fails on a time.
 */
public final class ServerBenchmark {
    private ServerBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        final var dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("ncbench");
        final var schema = new SchemaContextLoader(ServerBenchmark.class.getClassLoader()).loadCevpnModels();
        final var example = Files.readString(Path.of("../models/examples/valid/ce-vpn-configuration.xml"))
            .replaceFirst("<\\?xml[^>]*\\?>", "");
        final var scheduler = Executors.newSingleThreadScheduledExecutor();
        for (var persistent : new boolean[] {false, true}) {
            final var datastores = new Datastores(schema, new InstanceDocumentParser(schema, Limits.DEFAULT),
                new DatastoreValidator(schema), persistent ? dir : null, scheduler);
            final var server = new NetconfServer(schema, datastores, AccessControl.PERMIT_ALL,
                ReadFilter.UNSUPPORTED, new RpcRegistry(), 16 << 20);
            final var edit = new long[rounds];
            final var commit = new long[rounds];
            final var get = new long[rounds];
            try (var client = new PipeClient(server, "bench")) {
                for (int i = -20; i < rounds; i++) { // 20 warm-up rounds
                    long t0 = System.nanoTime();
                    check(client.rpc("<edit-config><target><candidate/></target><default-operation>replace"
                        + "</default-operation><config>" + example + "</config></edit-config>"));
                    long t1 = System.nanoTime();
                    check(client.rpc("<commit/>"));
                    long t2 = System.nanoTime();
                    check(client.rpc("<get-config><source><running/></source></get-config>"));
                    long t3 = System.nanoTime();
                    if (i >= 0) {
                        edit[i] = t1 - t0;
                        commit[i] = t2 - t1;
                        get[i] = t3 - t2;
                    }
                }
            }
            System.out.printf("%s, %d rounds, CE example config (%d bytes):%n",
                persistent ? "running on disk (write-temp + fsync + rename + dir fsync)" : "in memory", rounds,
                example.length());
            print("edit-config candidate (replace)", edit);
            print("commit (validate + store)", commit);
            print("get-config running", get);
        }
        scheduler.shutdownNow();
    }

    private static void check(final String reply) {
        if (reply.contains("<rpc-error")) {
            throw new IllegalStateException(reply);
        }
    }

    private static void print(final String what, final long[] nanos) {
        final var sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("  %-34s median %7.2f ms  p90 %7.2f ms  max %7.2f ms%n", what, sorted[sorted.length / 2] / 1e6,
            sorted[(int) (sorted.length * 0.9)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }
}

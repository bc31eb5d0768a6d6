package org.cevpn.netconf.validation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: prints how long parsing and validating take for documents at the sizes we plan for (a hub CE
 * with 99 peers; a VPN database of 100 VPNs x 100 sites), with yanglint's time on the same file when it is
 * installed. Run from yang/netconf after a build:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/runtime.classpath) \
 *     org.cevpn.netconf.validation.ValidatorBenchmark [VPNS SITES]
 * </pre>
 */
public final class ValidatorBenchmark {
    private static final int WARMUP = 3;
    private static final int RUNS = 7;

    private ValidatorBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final var root = ModelExamplesTest.projectRoot();
        final var examples = root.resolve("yang/models/examples/valid");
        final var schema = new SchemaContextLoader(ValidatorBenchmark.class.getClassLoader()).loadCevpnModels();

        final var hub = hubCe(Files.readString(examples.resolve("ce-vpn-configuration.xml")), 99);
        final int vpns = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        final int sites = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        final var db = vpnDatabase(vpns, sites);
        System.out.printf("%-32s %10s %8s %12s %12s %12s%n", "document", "bytes", "entries", "parse ms",
            "validate ms", "yanglint ms");
        run(schema, root, "hub CE, 99 peers", hub, 99, "cevpn-ce-device");
        run(schema, root, "VPN database, " + vpns + " x " + sites + " sites", db, vpns * sites, "cevpn-vpn-database");
    }

    private static void run(final YangSchema schema, final Path root, final String name, final String doc,
            final int entries, final String module) throws Exception {
        final var bytes = doc.getBytes(StandardCharsets.UTF_8);
        final var parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        final var validator = new DatastoreValidator(schema);
        final var parse = new long[RUNS];
        final var validate = new long[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            final long t0 = System.nanoTime();
            final var data = parser.parse(new ByteArrayInputStream(bytes), InstanceDocumentParser.Format.XML);
            final long t1 = System.nanoTime();
            final var result = validator.validatePresentModules(data, DatastoreValidator.Scope.CONFIG);
            final long t2 = System.nanoTime();
            if (!result.isValid()) {
                throw new IllegalStateException(name + " is not valid: " + result.errors().getFirst());
            }
            if (i >= 0) {
                parse[i] = t1 - t0;
                validate[i] = t2 - t1;
            }
        }
        System.out.printf("%-32s %10d %8d %12.1f %12.1f %12s%n", name, bytes.length, entries, median(parse),
            median(validate), yanglint(root, doc, module));
    }

    private static double median(final long[] nanos) {
        final var sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    /** yanglint's wall time (process start included) on the same document, or "-" when not installed. */
    private static String yanglint(final Path root, final String doc, final String module) throws Exception {
        final var yanglint = Path.of("/usr/bin/yanglint");
        if (!Files.isExecutable(yanglint)) {
            return "-";
        }
        final var file = Files.createTempFile("cevpn-bench", ".xml");
        try {
            Files.writeString(file, doc);
            final var yang = root.resolve("yang/models/src/main/yang");
            final var command = List.of(yanglint.toString(), "-t", "config", "-p", yang.toString(), "-p",
                root.resolve("yang/models/target/dependency-yang").toString(),
                yang.resolve("cevpn-types.yang").toString(), yang.resolve(module + ".yang").toString(),
                file.toString());
            final long t0 = System.nanoTime();
            final var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(120, TimeUnit.SECONDS);
            final long t1 = System.nanoTime();
            return process.exitValue() == 0 ? String.format("%.1f", (t1 - t0) / 1e6) : "refused: " + output.strip();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The example CE configuration with its peers replaced by {@code peers} pre-shared-key peers. */
    static String hubCe(final String example, final int peers) {
        final int first = example.indexOf("    <peer>");
        final int last = example.lastIndexOf("</peer>") + "</peer>\n".length();
        final var sb = new StringBuilder(example.substring(0, first));
        for (int i = 0; i < peers; i++) {
            sb.append("    <peer>\n")
                .append("      <sp-address>198.51.").append(i / 250).append('.').append(i % 250 + 1)
                .append("</sp-address>\n")
                .append("      <ce-id>spoke-").append(i).append("</ce-id>\n")
                .append("      <vpn-id>acme</vpn-id>\n")
                .append("      <authentication-method>pre-shared</authentication-method>\n")
                .append("      <pre-shared-key>XBsOP5p9Lktvihw9Xn+bCixOb4obPV9+nAsqTW+OHDs=</pre-shared-key>\n")
                .append("      <tunnel-information>\n")
                .append("        <establishment>permanent</establishment>\n")
                .append("        <ipsec-mode>transport-ip-in-ip</ipsec-mode>\n")
                .append("        <dynamic-routing>true</dynamic-routing>\n")
                .append("      </tunnel-information>\n")
                .append("    </peer>\n");
        }
        return sb.append(example.substring(last)).toString();
    }

    /** A VPN database of {@code vpns} full-mesh VPNs with {@code sites} CE devices each. */
    static String vpnDatabase(final int vpns, final int sites) {
        final var sb = new StringBuilder("<vpn-database xmlns=\"urn:cevpn:params:xml:ns:yang:cevpn-vpn-database\">\n");
        for (int v = 0; v < vpns; v++) {
            sb.append("  <vpn><id>vpn-").append(v).append("</id><topology>full-mesh</topology>")
                .append("<authentication-method>pre-shared</authentication-method></vpn>\n");
        }
        for (int v = 0; v < vpns; v++) {
            for (int s = 0; s < sites; s++) {
                final int n = v * sites + s;
                sb.append("  <ce-device><id>ce-").append(n).append("</id><sp-address>10.")
                    .append(n / 65536).append('.').append(n / 256 % 256).append('.').append(n % 256)
                    .append("</sp-address><management><client-key>")
                    .append("AAAAC3NzaC1lZDI1NTE5AAAAIDhg6k38n8cQfaw4soVLJX0aqwYA6rGmshOPGK3NOOY0")
                    .append("</client-key></management><vpn-membership><vpn-id>vpn-").append(v)
                    .append("</vpn-id><local-prefix>172.16.").append(s).append(".0/24</local-prefix>")
                    .append("</vpn-membership></ce-device>\n");
            }
        }
        return sb.append("</vpn-database>\n").toString();
    }
}

package org.cevpn.yang.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.spi.source.FileYangTextSource;
import org.opendaylight.yangtools.yang.parser.api.YangParser;
import org.opendaylight.yangtools.yang.parser.impl.DefaultYangParserFactory;

/** Where the module's YANG sources, the imported standard modules and the examples live. */
final class ModelFiles {

    /** Surefire runs with the module directory as basedir. */
    static final Path BASE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    static final Path YANG = BASE.resolve("src/main/yang");
    /** Filled by maven-dependency-plugin (unpack-dependencies) in generate-resources. */
    static final Path DEPENDENCY_YANG = BASE.resolve("target/dependency-yang");
    static final Path VALID = BASE.resolve("examples/valid");
    static final Path INVALID = BASE.resolve("examples/invalid");
    static final Path OPERATIONS = BASE.resolve("examples/operations");

    static final List<String> OUR_MODULES = List.of("cevpn-types", "cevpn-ce-device", "cevpn-vpn-database");

    private ModelFiles() {
    }

    static List<Path> list(Path dir, String... suffixes) {
        try (Stream<Path> files = Files.list(dir)) {
            return files
                .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                .sorted()
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static EffectiveModelContext effectiveModel;

    /** Our modules and the standard ones they import, built once by yangtools' default parser. */
    static synchronized EffectiveModelContext effectiveModel() throws Exception {
        if (effectiveModel == null) {
            effectiveModel = parserWithAllSources().buildEffectiveModel();
        }
        return effectiveModel;
    }

    static YangParser parserWithAllSources() throws Exception {
        YangParser parser = new DefaultYangParserFactory().createParser();
        for (Path file : ourModules()) {
            parser.addSource(new FileYangTextSource(file));
        }
        for (Path file : list(DEPENDENCY_YANG, ".yang")) {
            parser.addLibSource(new FileYangTextSource(file));
        }
        return parser;
    }

    static List<Path> ourModules() {
        return list(YANG, ".yang");
    }

    /** The yanglint search path of ./cevpn lint: our modules, then the standard ones we import. */
    static List<String> yanglintSearchPath() {
        return List.of("-p", YANG.toString(), "-p", DEPENDENCY_YANG.toString());
    }
}

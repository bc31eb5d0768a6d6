package org.cevpn.netconf.validation;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.source.SourceIdentifier;
import org.opendaylight.yangtools.yang.model.spi.source.URLYangTextSource;
import org.opendaylight.yangtools.yang.parser.api.YangParserConfiguration;
import org.opendaylight.yangtools.yang.parser.api.YangParserException;
import org.opendaylight.yangtools.yang.parser.impl.DefaultYangParserFactory;

/**
 * Builds the schema (yangtools' EffectiveModelContext) from YANG files.
 *
 * <p>The <em>main</em> modules are always part of the schema; every other module found (the classpath's
 * {@code META-INF/yang} of the IETF model jars and yangtools' own) is offered as a library and enters the
 * schema only when a main module imports it. That keeps unrelated modules (and their conflicts) out.
 */
public final class SchemaContextLoader {
    private static final String CLASSPATH_YANG_DIR = "META-INF/yang";

    /** The cevpn modules are the main ones by default. */
    public static final Predicate<String> CEVPN_MODULES = fileName -> fileName.startsWith("cevpn-");

    private final ClassLoader classLoader;

    public SchemaContextLoader(final ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** The cevpn models from the classpath (the cevpn-yang-models jar), with their imports. */
    public YangSchema loadCevpnModels() throws SchemaLoadException {
        return load(CEVPN_MODULES, List.of());
    }

    /**
     * Loads the schema: YANG files on the classpath whose file name {@code isMain} accepts, plus every
     * {@code .yang} file in {@code extraMainFiles} (files or directories), with classpath modules as libraries.
     */
    public YangSchema load(final Predicate<String> isMain, final List<Path> extraMainFiles)
            throws SchemaLoadException {
        final var main = new LinkedHashMap<String, URL>();
        final var libs = new LinkedHashMap<String, URL>();
        for (var entry : classpathYangFiles().entrySet()) {
            (isMain.test(entry.getKey()) ? main : libs).putIfAbsent(entry.getKey(), entry.getValue());
        }
        dropUnrevisionedDuplicates(main);
        dropUnrevisionedDuplicates(libs);
        for (var path : extraMainFiles) {
            for (var file : yangFilesIn(path)) {
                try {
                    final var name = file.getFileName().toString();
                    main.put(name, file.toUri().toURL());
                    libs.remove(name);
                } catch (IOException e) {
                    throw new SchemaLoadException("cannot read " + file, e);
                }
            }
        }
        if (main.isEmpty()) {
            throw new SchemaLoadException("no main YANG modules found (classpath " + CLASSPATH_YANG_DIR
                + ", extra " + extraMainFiles + ")");
        }
        return new YangSchema(build(main, libs));
    }

    /**
     * A jar may carry a module twice, as {@code name.yang} and {@code name@revision.yang} (the models jar
     * packs its sources and yang-maven-plugin adds its own copy): the parser would see a namespace collision,
     * so keep the revisioned file only.
     */
    private static void dropUnrevisionedDuplicates(final Map<String, URL> files) {
        final var revisioned = new java.util.HashSet<String>();
        for (var name : files.keySet()) {
            final int at = name.indexOf('@');
            if (at > 0) {
                revisioned.add(name.substring(0, at));
            }
        }
        files.keySet().removeIf(name -> name.indexOf('@') < 0
            && revisioned.contains(name.substring(0, name.length() - ".yang".length())));
    }

    // DefaultYangParserFactory is deprecated in 14.0.21+ in favour of a Dagger component, which would pull the
    // Dagger runtime in; it stays the plain constructor-built factory until we move yangtools.
    @SuppressWarnings("removal")
    private static EffectiveModelContext build(final Map<String, URL> main, final Map<String, URL> libs)
            throws SchemaLoadException {
        final var parser = new DefaultYangParserFactory().createParser(YangParserConfiguration.DEFAULT);
        try {
            for (var e : main.entrySet()) {
                parser.addSource(source(e.getKey(), e.getValue()));
            }
            for (var e : libs.entrySet()) {
                parser.addLibSource(source(e.getKey(), e.getValue()));
            }
            return parser.buildEffectiveModel();
        } catch (IOException | YangParserException | RuntimeException e) {
            final var why = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
                why.append(": ").append(t.getMessage());
            }
            throw new SchemaLoadException("YANG modules do not build a schema: " + why, e);
        }
    }

    private static URLYangTextSource source(final String fileName, final URL url) {
        return new URLYangTextSource(SourceIdentifier.ofYangFileName(fileName), url,
            java.nio.charset.StandardCharsets.UTF_8);
    }

    /** File name to URL of every {@code META-INF/yang/*.yang} resource on the classpath (first one wins). */
    private Map<String, URL> classpathYangFiles() throws SchemaLoadException {
        final var found = new LinkedHashMap<String, URL>();
        try {
            for (var dir : Collections.list(classLoader.getResources(CLASSPATH_YANG_DIR))) {
                switch (dir.getProtocol()) {
                    case "jar" -> {
                        final var conn = (JarURLConnection) dir.openConnection();
                        conn.setUseCaches(false);
                        try (var jar = conn.getJarFile()) {
                            for (var entry : Collections.list(jar.entries())) {
                                final var name = entry.getName();
                                if (name.startsWith(CLASSPATH_YANG_DIR + "/") && name.endsWith(".yang")
                                        && name.indexOf('/', CLASSPATH_YANG_DIR.length() + 1) < 0) {
                                    found.putIfAbsent(name.substring(CLASSPATH_YANG_DIR.length() + 1),
                                        java.net.URI.create("jar:" + conn.getJarFileURL() + "!/" + name).toURL());
                                }
                            }
                        }
                    }
                    case "file" -> {
                        for (var file : yangFilesIn(Path.of(dir.toURI()))) {
                            found.putIfAbsent(file.getFileName().toString(), file.toUri().toURL());
                        }
                    }
                    default -> throw new SchemaLoadException("unsupported classpath location " + dir);
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new SchemaLoadException("cannot scan the classpath for YANG modules", e);
        }
        return found;
    }

    private static List<Path> yangFilesIn(final Path path) throws SchemaLoadException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return new ArrayList<>(files.filter(f -> f.toString().endsWith(".yang")).sorted().toList());
        } catch (IOException e) {
            throw new SchemaLoadException("cannot list " + path, e);
        }
    }
}

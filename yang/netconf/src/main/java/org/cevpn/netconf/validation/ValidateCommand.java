package org.cevpn.netconf.validation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./cevpn validate FILE...}: validates each XML or JSON file (by extension) as a configuration
 * datastore document against the cevpn YANG models. Prints {@code FILE: valid} or the rpc-errors; exits 0 when
 * every file is valid, 1 when any is invalid, 2 on usage errors (no file, unreadable file, bad option).
 *
 * <p>Each file is a standalone document: only the modules it has data of are checked for mandatory
 * top-level content (a VPN database file is not required to hold a CE configuration).
 *
 * <p>{@code --yang DIR} (repeatable) validates against the modules in DIR instead of the cevpn models;
 * {@code --state} accepts state (config false) data as well.
 */
public final class ValidateCommand {
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    private ValidateCommand() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) {
        final var files = new ArrayList<Path>();
        final var yangDirs = new ArrayList<Path>();
        var scope = DatastoreValidator.Scope.CONFIG;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    usage(out);
                    return VALID;
                }
                case "--state" -> scope = DatastoreValidator.Scope.CONFIG_AND_STATE;
                case "--yang" -> {
                    if (++i == args.length) {
                        err.println("validate: --yang needs a directory");
                        return USAGE;
                    }
                    yangDirs.add(Path.of(args[i]));
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        err.println("validate: unknown option " + args[i]);
                        usage(err);
                        return USAGE;
                    }
                    files.add(Path.of(args[i]));
                }
            }
        }
        if (files.isEmpty()) {
            usage(err);
            return USAGE;
        }
        for (var file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("validate: cannot read " + file);
                return USAGE;
            }
        }
        final YangSchema schema;
        try {
            final var loader = new SchemaContextLoader(ValidateCommand.class.getClassLoader());
            schema = yangDirs.isEmpty() ? loader.loadCevpnModels() : loader.load(name -> false, yangDirs);
        } catch (SchemaLoadException e) {
            err.println("validate: " + e.getMessage());
            return USAGE;
        }
        final var parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        final var validator = new DatastoreValidator(schema);
        int status = VALID;
        for (var file : files) {
            final List<org.cevpn.netconf.RpcError> errors;
            try (var in = Files.newInputStream(file)) {
                final var root = parser.parse(in, InstanceDocumentParser.Format.ofFileName(file.toString()));
                errors = validator.validatePresentModules(root, scope).errors();
            } catch (ValidationException e) {
                print(out, file, e.errors());
                status = INVALID;
                continue;
            } catch (IOException e) {
                err.println("validate: cannot read " + file + ": " + e.getMessage());
                return USAGE;
            }
            if (errors.isEmpty()) {
                out.println(file + ": valid");
            } else {
                print(out, file, errors);
                status = INVALID;
            }
        }
        return status;
    }

    private static void print(final PrintStream out, final Path file, final List<org.cevpn.netconf.RpcError> errors) {
        out.println(file + ": invalid (" + errors.size() + (errors.size() == 1 ? " error)" : " errors)"));
        for (var error : errors) {
            out.println(error.toXml());
        }
    }

    private static void usage(final PrintStream out) {
        out.println("usage: cevpn validate [--state] [--yang DIR]... FILE...");
        out.println("  validates XML (.xml) or JSON (.json) instance documents as configuration data");
        out.println("  against the cevpn YANG models (or the modules in each --yang DIR)");
        out.println("  exit status: 0 all valid, 1 some invalid, 2 usage error");
    }
}

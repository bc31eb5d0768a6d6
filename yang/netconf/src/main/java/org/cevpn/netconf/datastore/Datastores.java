package org.cevpn.netconf.datastore;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * The running, candidate and startup datastores of one NETCONF server, with their locks, commit and
 * confirmed commit (RFC 6241 §7, §8.3, §8.4, §8.7). Every datastore is an immutable NormalizedNode root
 * with a version that grows with each change; running and startup live in files (see {@link DatastoreFile})
 * and are written before they replace the in-memory root, so a failed write changes nothing.
 *
 * <p>Running is valid at all times: every change to it (commit, edit-config or copy-config with target
 * running, a confirmed-commit rollback) passes the shared DatastoreValidator first. The candidate is
 * validated on edit-config unless test-option is {@code set}, and always on validate and commit.
 *
 * <p>All operations are serialized on this object: a NETCONF server's datastore changes are rare and small,
 * and one lock makes "check the lock, validate, write the file, swap the root" a single step.
 */
public final class Datastores {
    private static final Logger LOG = LoggerFactory.getLogger(Datastores.class);
    /** RFC 6241 §8.4.5.1: confirm-timeout defaults to 600 seconds. */
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(600);

    /** A datastore's content at one moment. */
    public record Snapshot(ContainerNode root, long version) {
    }

    /** Who holds a lock, and since when (for netconf-state). */
    public record LockInfo(long sessionId, java.time.Instant since) {
    }

    /** Where a copy-config takes its content from (RFC 6241 §7.3: a datastore or an inline config). */
    public sealed interface Source {
        record Stored(Datastore datastore) implements Source {
        }

        record Inline(Element config) implements Source {
        }
    }

    /**
     * The parameters of {@code <commit>}: confirmed, confirm-timeout, persist and persist-id (RFC 6241 §8.4.5.1).
     */
    public record CommitOptions(boolean confirmed, Duration confirmTimeout, String persist, String persistId) {
        public static final CommitOptions PLAIN = new CommitOptions(false, DEFAULT_CONFIRM_TIMEOUT, null, null);
    }

    /** A confirmed commit waiting for its confirmation: the running root to go back to if it never comes. */
    private record PendingConfirm(long sessionId, String persist, ContainerNode rollbackTo,
            ScheduledFuture<?> timeout) {
    }

    private final YangSchema schema;
    private final DatastoreValidator validator;
    private final EditConfig editConfig;
    private final InstanceDocumentParser parser;
    private final DataXml dataXml;
    private final ScheduledExecutorService scheduler;
    private final WriteGuard writeGuard;
    private final Map<Datastore, Snapshot> stores = new EnumMap<>(Datastore.class);
    private final Map<Datastore, LockInfo> locks = new EnumMap<>(Datastore.class);
    private final Map<Datastore, DatastoreFile> files = new EnumMap<>(Datastore.class);
    private final DatastoreFile rollbackFile;
    private final List<Consumer<Snapshot>> runningListeners = new CopyOnWriteArrayList<>();
    private PendingConfirm pending;

    /**
     * Opens the datastores kept in {@code stateDir} ({@code running.xml}, {@code startup.xml}); running starts
     * as the last committed configuration, else as startup, else empty. A confirmed commit that was never
     * confirmed before a restart is rolled back here: its confirmation cannot arrive any more.
     *
     * @param stateDir  where running and startup are kept, or null to keep them in memory only
     * @param scheduler runs confirmed-commit timeouts
     * @throws IOException when a file cannot be read, or holds data that is not a valid configuration
     */
    public Datastores(final YangSchema schema, final InstanceDocumentParser parser, final DatastoreValidator validator,
            final Path stateDir, final ScheduledExecutorService scheduler) throws IOException {
        this(schema, parser, validator, stateDir, scheduler, WriteGuard.PERMIT_ALL);
    }

    /** As above, with the access check that every session's write passes (NACM). */
    public Datastores(final YangSchema schema, final InstanceDocumentParser parser, final DatastoreValidator validator,
            final Path stateDir, final ScheduledExecutorService scheduler, final WriteGuard writeGuard)
            throws IOException {
        this.writeGuard = writeGuard;
        this.schema = schema;
        this.parser = parser;
        this.validator = validator;
        this.scheduler = scheduler;
        editConfig = new EditConfig(schema, parser);
        dataXml = new DataXml(schema);
        if (stateDir != null) {
            files.put(Datastore.RUNNING, new DatastoreFile(stateDir.resolve("running.xml")));
            files.put(Datastore.STARTUP, new DatastoreFile(stateDir.resolve("startup.xml")));
            rollbackFile = new DatastoreFile(stateDir.resolve("confirmed-commit-rollback.xml"));
            for (var file : files.values()) {
                file.removeStaleTemporaries();
            }
        } else {
            rollbackFile = null;
        }
        final var startup = load(Datastore.STARTUP);
        var running = load(Datastore.RUNNING);
        if (rollbackFile != null) {
            final var rollback = rollbackFile.read();
            if (rollback.isPresent()) {
                LOG.warn("a confirmed commit was not confirmed before the restart: rolling running back");
                running = Optional.of(parse(rollback.orElseThrow(), rollbackFile.path()));
                files.get(Datastore.RUNNING).write(rollback.orElseThrow());
                rollbackFile.delete();
            }
        }
        final var runningRoot = running.or(() -> startup).orElse(EditConfig.emptyRoot());
        stores.put(Datastore.RUNNING, new Snapshot(runningRoot, 1));
        stores.put(Datastore.CANDIDATE, new Snapshot(runningRoot, 1));
        stores.put(Datastore.STARTUP, new Snapshot(startup.orElse(runningRoot), 1));
    }

    private Optional<ContainerNode> load(final Datastore ds) throws IOException {
        final var file = files.get(ds);
        if (file == null) {
            return Optional.empty();
        }
        final var bytes = file.read();
        return bytes.isEmpty() ? Optional.empty() : Optional.of(parse(bytes.orElseThrow(), file.path()));
    }

    private ContainerNode parse(final byte[] bytes, final Path from) throws IOException {
        try {
            final var root = parser.parseXml(bytes);
            validator.validate(root, DatastoreValidator.Scope.CONFIG).orThrow();
            return root;
        } catch (ValidationException e) {
            throw new IOException(from + " is not a valid configuration: " + e.errors(), e);
        }
    }

    /** Called with every new running datastore, inside the datastore lock: keep it short (hand work off). */
    public void addRunningListener(final Consumer<Snapshot> listener) {
        runningListeners.add(listener);
    }

    public YangSchema schema() {
        return schema;
    }

    public synchronized Snapshot snapshot(final Datastore ds) {
        return stores.get(ds);
    }

    /** The datastore as {@code <data>} XML (what our files hold). */
    public byte[] toXml(final Datastore ds) {
        return dataXml.toXml(snapshot(ds).root(), "data");
    }

    public synchronized Map<Datastore, LockInfo> locks() {
        return Map.copyOf(locks);
    }

    /** True when the candidate differs from running: changes that were neither committed nor discarded. */
    public synchronized boolean candidateModified() {
        return !stores.get(Datastore.CANDIDATE).root().equals(stores.get(Datastore.RUNNING).root());
    }

    public synchronized boolean confirmedCommitPending() {
        return pending != null;
    }

    // ---- edit-config, copy-config, delete-config, validate ----

    public synchronized void editConfig(final long session, final Datastore target, final Element config,
            final EditOperation defaultOperation, final TestOption testOption, final ErrorOption errorOption)
            throws RpcException {
        if (target == Datastore.STARTUP) {
            // RFC 6241 §8.7: startup is written with copy-config only.
            throw RpcException.protocol(ErrorTag.OPERATION_NOT_SUPPORTED,
                "edit-config cannot target startup: use copy-config");
        }
        checkNotLockedByOther(session, target);
        final var result = editConfig.apply(stores.get(target).root(), config, defaultOperation, errorOption);
        if (target == Datastore.RUNNING || testOption != TestOption.SET) {
            final var invalid = validator.validate(result.root(), DatastoreValidator.Scope.CONFIG);
            if (!invalid.isValid()) {
                final var all = new ArrayList<>(result.errors());
                all.addAll(invalid.errors());
                throw new RpcException(all);
            }
        }
        writeGuard.check(session, target, stores.get(target).root(), result.root());
        if (testOption != TestOption.TEST_ONLY) {
            store(target, result.root());
        }
        if (!result.errors().isEmpty()) {
            // stop-on-error / continue-on-error: the steps that succeeded stay applied (RFC 6241 §7.2).
            throw new RpcException(result.errors());
        }
    }

    /** validate (RFC 6241 §8.6) of a stored datastore. */
    public void validate(final Datastore source) throws RpcException {
        final var errors = validator.validate(snapshot(source).root(), DatastoreValidator.Scope.CONFIG);
        if (!errors.isValid()) {
            throw new RpcException(errors.errors());
        }
    }

    /** validate (RFC 6241 §8.6) of an inline {@code <config>}. */
    public void validate(final Element config) throws RpcException {
        final var root = parseInline(config);
        final var errors = validator.validate(root, DatastoreValidator.Scope.CONFIG);
        if (!errors.isValid()) {
            throw new RpcException(errors.errors());
        }
    }

    public synchronized void copyConfig(final long session, final Datastore target, final Source source)
            throws RpcException {
        checkNotLockedByOther(session, target);
        final ContainerNode root = switch (source) {
            case Source.Stored stored -> {
                if (stored.datastore() == target) {
                    throw RpcException.protocol(ErrorTag.INVALID_VALUE, "copy-config source and target are the same");
                }
                yield stores.get(stored.datastore()).root();
            }
            case Source.Inline inline -> parseInline(inline.config());
        };
        if (target != Datastore.CANDIDATE) {
            final var errors = validator.validate(root, DatastoreValidator.Scope.CONFIG);
            if (!errors.isValid()) {
                throw new RpcException(errors.errors());
            }
        }
        writeGuard.check(session, target, stores.get(target).root(), root);
        store(target, root);
    }

    /** delete-config (RFC 6241 §7.4): startup or candidate (emptied); never running. */
    public synchronized void deleteConfig(final long session, final Datastore target) throws RpcException {
        if (target == Datastore.RUNNING) {
            throw RpcException.protocol(ErrorTag.OPERATION_NOT_SUPPORTED, "the running datastore cannot be deleted");
        }
        checkNotLockedByOther(session, target);
        writeGuard.check(session, target, stores.get(target).root(), EditConfig.emptyRoot());
        store(target, EditConfig.emptyRoot());
    }

    private ContainerNode parseInline(final Element config) throws RpcException {
        try {
            return parser.parseXml(config);
        } catch (ValidationException e) {
            throw new RpcException(e.errors());
        }
    }

    // ---- locks (RFC 6241 §7.5, §7.6) ----

    public synchronized void lock(final long session, final Datastore ds) throws RpcException {
        final var held = locks.get(ds);
        if (held != null) {
            throw lockDenied(held.sessionId(), "the " + ds.xmlName() + " datastore is locked by session "
                + held.sessionId());
        }
        if (ds == Datastore.CANDIDATE && candidateModified()) {
            // §8.3.5.2: a lock on a candidate holding someone's uncommitted changes would hide them from him.
            throw lockDenied(0, "the candidate has changes that were neither committed nor discarded");
        }
        locks.put(ds, new LockInfo(session, java.time.Instant.now()));
    }

    public synchronized void unlock(final long session, final Datastore ds) throws RpcException {
        final var held = locks.get(ds);
        if (held == null || held.sessionId() != session) {
            throw RpcException.protocol(ErrorTag.OPERATION_FAILED,
                "this session holds no lock on the " + ds.xmlName() + " datastore");
        }
        locks.remove(ds);
    }

    private static RpcException lockDenied(final long holder, final String message) {
        return new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.LOCK_DENIED, ErrorSeverity.ERROR, null,
            null, message, List.of(new ErrorInfo(ErrorInfo.NETCONF_BASE, "session-id", Long.toString(holder),
                Map.of()))));
    }

    private void checkNotLockedByOther(final long session, final Datastore ds) throws RpcException {
        final var held = locks.get(ds);
        if (held != null && held.sessionId() != session) {
            throw new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.IN_USE, ErrorSeverity.ERROR, null, null,
                "the " + ds.xmlName() + " datastore is locked by session " + held.sessionId(),
                List.of(new ErrorInfo(ErrorInfo.NETCONF_BASE, "session-id", Long.toString(held.sessionId()),
                    Map.of()))));
        }
    }

    // ---- candidate: commit, discard-changes, confirmed commit (RFC 6241 §8.3, §8.4) ----

    public synchronized void discardChanges(final long session) throws RpcException {
        checkNotLockedByOther(session, Datastore.CANDIDATE);
        store(Datastore.CANDIDATE, stores.get(Datastore.RUNNING).root());
    }

    public synchronized void commit(final long session, final CommitOptions options) throws RpcException {
        checkNotLockedByOther(session, Datastore.RUNNING);
        checkNotLockedByOther(session, Datastore.CANDIDATE);
        if (pending != null) {
            checkMayConfirm(session, options.persistId(), "commit");
        } else if (options.persistId() != null) {
            throw RpcException.protocol(ErrorTag.INVALID_VALUE, "persist-id given but no confirmed commit is pending");
        }
        final var candidate = stores.get(Datastore.CANDIDATE).root();
        validate(Datastore.CANDIDATE);
        final var before = stores.get(Datastore.RUNNING).root();
        writeGuard.check(session, Datastore.RUNNING, before, candidate);
        if (options.confirmed()) {
            final ContainerNode rollbackTo;
            if (pending == null) {
                rollbackTo = before;
                writeRollbackPoint(before);
            } else {
                // A follow-up confirmed commit extends the wait; the rollback point stays the first one.
                rollbackTo = pending.rollbackTo();
                pending.timeout().cancel(false);
            }
            final var persist = options.persist() != null ? options.persist()
                : pending != null ? pending.persist() : null;
            store(Datastore.RUNNING, candidate);
            final var token = new Object[1];
            final var timeout = scheduler.schedule(() -> timedOut(token), options.confirmTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
            pending = new PendingConfirm(session, persist, rollbackTo, timeout);
            token[0] = pending;
            LOG.info("confirmed commit by session {}: running changes back unless confirmed within {} s", session,
                options.confirmTimeout().toSeconds());
        } else {
            store(Datastore.RUNNING, candidate);
            if (pending != null) {
                pending.timeout().cancel(false);
                pending = null;
                deleteRollbackPoint();
                LOG.info("confirmed commit confirmed by session {}", session);
            }
        }
    }

    public synchronized void cancelCommit(final long session, final String persistId) throws RpcException {
        if (pending == null) {
            throw RpcException.protocol(ErrorTag.OPERATION_FAILED, "no confirmed commit is pending");
        }
        checkMayConfirm(session, persistId, "cancel-commit");
        rollBack("cancel-commit by session " + session);
    }

    /** Tells the datastores that a session is gone: its locks go, its unconfirmed commit is rolled back. */
    public synchronized void sessionEnded(final long session) {
        final boolean heldCandidate = locks.containsKey(Datastore.CANDIDATE)
            && locks.get(Datastore.CANDIDATE).sessionId() == session;
        locks.values().removeIf(lock -> lock.sessionId() == session);
        if (pending != null && pending.persist() == null && pending.sessionId() == session) {
            try {
                rollBack("session " + session + " ended before confirming its commit");
            } catch (RpcException e) {
                LOG.error("rollback after the loss of session {} failed: {}", session, e.errors());
            }
        }
        if (heldCandidate && candidateModified()) {
            // The changes were made under this session's lock and nobody else may rely on them: drop them.
            try {
                store(Datastore.CANDIDATE, stores.get(Datastore.RUNNING).root());
            } catch (RpcException e) {
                LOG.error("discarding the candidate of session {} failed: {}", session, e.errors());
            }
        }
    }

    private void checkMayConfirm(final long session, final String persistId, final String what)
            throws RpcException {
        if (pending.persist() != null) {
            if (!pending.persist().equals(persistId)) {
                throw RpcException.protocol(ErrorTag.INVALID_VALUE, what
                    + ": a persistent confirmed commit is pending and persist-id does not match it");
            }
        } else if (persistId != null) {
            throw RpcException.protocol(ErrorTag.INVALID_VALUE, what
                + ": persist-id given but the pending confirmed commit has no persist");
        } else if (pending.sessionId() != session) {
            throw new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.IN_USE, ErrorSeverity.ERROR, null,
                null, what + ": a confirmed commit of session " + pending.sessionId() + " is pending",
                List.of(new ErrorInfo(ErrorInfo.NETCONF_BASE, "session-id", Long.toString(pending.sessionId()),
                    Map.of()))));
        }
    }

    private synchronized void timedOut(final Object[] token) {
        if (pending != null && token[0] == pending) {
            try {
                rollBack("confirm-timeout expired");
            } catch (RpcException e) {
                LOG.error("rollback after confirm-timeout failed: {}", e.errors());
            }
        }
    }

    private void rollBack(final String why) throws RpcException {
        final var to = pending.rollbackTo();
        pending.timeout().cancel(false);
        pending = null;
        store(Datastore.RUNNING, to);
        deleteRollbackPoint();
        LOG.warn("confirmed commit rolled back: {}", why);
    }

    private void writeRollbackPoint(final ContainerNode root) throws RpcException {
        if (rollbackFile != null) {
            try {
                rollbackFile.write(dataXml.toXml(root, "data"));
            } catch (IOException e) {
                throw RpcException.application(ErrorTag.OPERATION_FAILED,
                    "cannot keep the rollback point of the confirmed commit: " + e.getMessage());
            }
        }
    }

    private void deleteRollbackPoint() {
        if (rollbackFile != null) {
            try {
                rollbackFile.delete();
            } catch (IOException e) {
                LOG.error("cannot delete {}: {} (a restart would roll running back)", rollbackFile.path(),
                    e.getMessage());
            }
        }
    }

    /** Writes the file (if the datastore has one), then swaps the root: a failed write changes nothing. */
    private void store(final Datastore ds, final ContainerNode root) throws RpcException {
        final var file = files.get(ds);
        if (file != null) {
            try {
                file.write(dataXml.toXml(root, "data"));
            } catch (IOException e) {
                throw RpcException.application(ErrorTag.OPERATION_FAILED,
                    "cannot write the " + ds.xmlName() + " datastore: " + e.getMessage());
            }
        }
        final var previous = stores.get(ds);
        final var next = new Snapshot(root, previous.version() + 1);
        stores.put(ds, next);
        if (ds == Datastore.RUNNING) {
            // An unmodified candidate is running (RFC 6241 §8.3.1: it starts as a copy, discard-changes makes it one
            // again). When running changes under it — a :writable-running edit, a rollback, the device writing its
            // pre-configuration — it follows; a stale copy would make the next candidate edit fail against data
            // that is gone, or the next commit silently undo the change. A locked candidate is its holder's: left.
            final var candidate = stores.get(Datastore.CANDIDATE);
            if (candidate.root().equals(previous.root()) && !candidate.root().equals(root)
                    && !locks.containsKey(Datastore.CANDIDATE)) {
                stores.put(Datastore.CANDIDATE, new Snapshot(root, candidate.version() + 1));
            }
            for (var listener : runningListeners) {
                listener.accept(next);
            }
        }
    }
}

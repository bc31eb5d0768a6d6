package org.cevpn.netconf.datastore;

import static org.cevpn.netconf.datastore.DsTestSchema.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.cevpn.netconf.ErrorTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locks, commit, confirmed commit and persistence of the three datastores (RFC 6241 §7, §8.3, §8.4). */
class DatastoresTest {
    private static final long S1 = 1;
    private static final long S2 = 2;

    @TempDir
    Path dir;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private Datastores open() throws IOException {
        return new Datastores(DsTestSchema.schema(), DsTestSchema.parser(), DsTestSchema.validator(), dir, scheduler);
    }

    private static void edit(final Datastores ds, final long session, final Datastore target, final String body)
            throws RpcException {
        ds.editConfig(session, target, config(body), EditOperation.MERGE, TestOption.TEST_THEN_SET,
            ErrorOption.ROLLBACK_ON_ERROR);
    }

    private static String text(final Datastores ds, final Datastore which) {
        return new String(ds.toXml(which), StandardCharsets.UTF_8);
    }

    @Test
    void candidateChangesReachRunningOnlyByCommitAndSurviveARestart() throws Exception {
        var ds = open();
        edit(ds, S1, Datastore.CANDIDATE, "<name>ce1</name>");
        assertFalse(text(ds, Datastore.RUNNING).contains("ce1"));
        assertTrue(ds.candidateModified());
        final long before = ds.snapshot(Datastore.RUNNING).version();
        ds.commit(S1, Datastores.CommitOptions.PLAIN);
        assertTrue(text(ds, Datastore.RUNNING).contains("ce1"));
        assertEquals(before + 1, ds.snapshot(Datastore.RUNNING).version());
        assertFalse(ds.candidateModified());
        // the file holds keys: readable by the owner only (the temporary file's 0600 survives the rename)
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("running.xml"))));
        ds = open();
        assertTrue(text(ds, Datastore.RUNNING).contains("ce1"), "running is reloaded from its file");
        assertTrue(text(ds, Datastore.CANDIDATE).contains("ce1"), "the candidate starts as running");
    }

    @Test
    void anUnmodifiedCandidateFollowsRunningAModifiedOneDoesNot() throws Exception {
        final var ds = open();
        edit(ds, S1, Datastore.RUNNING, "<name>direct</name>");
        assertTrue(text(ds, Datastore.CANDIDATE).contains("direct"), "the unmodified candidate follows running");
        assertFalse(ds.candidateModified());
        // a commit of a later candidate edit keeps the direct change instead of undoing it
        edit(ds, S2, Datastore.CANDIDATE, "<mtu>1400</mtu>");
        ds.commit(S2, Datastores.CommitOptions.PLAIN);
        assertTrue(text(ds, Datastore.RUNNING).contains("direct") && text(ds, Datastore.RUNNING).contains("1400"));
        // once modified, the candidate is the editor's: a direct write to running leaves it alone
        edit(ds, S2, Datastore.CANDIDATE, "<mtu>1300</mtu>");
        edit(ds, S1, Datastore.RUNNING, "<name>again</name>");
        assertFalse(text(ds, Datastore.CANDIDATE).contains("again"));
        assertTrue(text(ds, Datastore.CANDIDATE).contains("1300"));
        // so is a locked one, modified or not
        ds.discardChanges(S2);
        ds.lock(S2, Datastore.CANDIDATE);
        edit(ds, S1, Datastore.RUNNING, "<name>third</name>");
        assertFalse(text(ds, Datastore.CANDIDATE).contains("third"));
    }

    @Test
    void invalidResultsNeverReplaceADatastore() throws Exception {
        final var ds = open();
        // leafref to a peer that does not exist: refused by the shared validator
        final var e = assertThrows(RpcException.class, () -> edit(ds, S1, Datastore.RUNNING, "<primary>nope</primary>"));
        assertEquals(ErrorTag.DATA_MISSING, e.errors().get(0).tag());
        assertFalse(text(ds, Datastore.RUNNING).contains("primary"));
        // test-option set lets the candidate hold it; commit then refuses
        ds.editConfig(S1, Datastore.CANDIDATE, config("<primary>nope</primary>"), EditOperation.MERGE, TestOption.SET,
            ErrorOption.ROLLBACK_ON_ERROR);
        assertThrows(RpcException.class, () -> ds.validate(Datastore.CANDIDATE));
        assertThrows(RpcException.class, () -> ds.commit(S1, Datastores.CommitOptions.PLAIN));
        assertFalse(text(ds, Datastore.RUNNING).contains("primary"));
        // test-only changes nothing even when valid
        ds.discardChanges(S1);
        final var v = ds.snapshot(Datastore.CANDIDATE).version();
        ds.editConfig(S1, Datastore.CANDIDATE, config("<name>x</name>"), EditOperation.MERGE, TestOption.TEST_ONLY,
            ErrorOption.ROLLBACK_ON_ERROR);
        assertEquals(v, ds.snapshot(Datastore.CANDIDATE).version());
    }

    @Test
    void locksExcludeOtherSessionsAndGoWithTheSession() throws Exception {
        final var ds = open();
        ds.lock(S1, Datastore.RUNNING);
        final var denied = assertThrows(RpcException.class, () -> ds.lock(S2, Datastore.RUNNING));
        assertEquals(ErrorTag.LOCK_DENIED, denied.errors().get(0).tag());
        assertEquals("1", denied.errors().get(0).info().get(0).text(), "error-info session-id names the holder");
        final var inUse = assertThrows(RpcException.class, () -> edit(ds, S2, Datastore.RUNNING, "<name>x</name>"));
        assertEquals(ErrorTag.IN_USE, inUse.errors().get(0).tag());
        assertThrows(RpcException.class, () -> ds.unlock(S2, Datastore.RUNNING));
        edit(ds, S1, Datastore.RUNNING, "<name>x</name>");
        ds.sessionEnded(S1);
        ds.lock(S2, Datastore.RUNNING);
    }

    @Test
    void candidateLockIsRefusedWhileItHoldsUncommittedChanges() throws Exception {
        final var ds = open();
        edit(ds, S1, Datastore.CANDIDATE, "<name>x</name>");
        final var e = assertThrows(RpcException.class, () -> ds.lock(S2, Datastore.CANDIDATE));
        assertEquals(ErrorTag.LOCK_DENIED, e.errors().get(0).tag());
        ds.discardChanges(S1);
        ds.lock(S2, Datastore.CANDIDATE);
    }

    @Test
    void confirmedCommitRollsBackOnTimeout() throws Exception {
        final var ds = open();
        edit(ds, S1, Datastore.CANDIDATE, "<name>old</name>");
        ds.commit(S1, Datastores.CommitOptions.PLAIN);
        edit(ds, S1, Datastore.CANDIDATE, "<name>new</name>");
        ds.commit(S1, new Datastores.CommitOptions(true, Duration.ofMillis(300), null, null));
        assertTrue(text(ds, Datastore.RUNNING).contains("new"));
        assertTrue(Files.exists(dir.resolve("confirmed-commit-rollback.xml")));
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (ds.confirmedCommitPending() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(ds.confirmedCommitPending());
        assertTrue(text(ds, Datastore.RUNNING).contains("old"), text(ds, Datastore.RUNNING));
        assertFalse(Files.exists(dir.resolve("confirmed-commit-rollback.xml")));
        assertTrue(text(ds, Datastore.CANDIDATE).contains("old"), "the untouched candidate follows the rollback");
    }

    @Test
    void confirmingCommitKeepsTheChangeAndOtherSessionsCannotConfirm() throws Exception {
        final var ds = open();
        edit(ds, S1, Datastore.CANDIDATE, "<name>new</name>");
        ds.commit(S1, new Datastores.CommitOptions(true, Duration.ofMillis(300), null, null));
        final var other = assertThrows(RpcException.class, () -> ds.commit(S2, Datastores.CommitOptions.PLAIN));
        assertEquals(ErrorTag.IN_USE, other.errors().get(0).tag());
        ds.commit(S1, Datastores.CommitOptions.PLAIN);
        Thread.sleep(600);
        assertTrue(text(ds, Datastore.RUNNING).contains("new"));
    }

    @Test
    void losingTheSessionRollsBackButAPersistentConfirmedCommitSurvivesIt() throws Exception {
        final var ds = open();
        edit(ds, S1, Datastore.CANDIDATE, "<name>new</name>");
        ds.commit(S1, new Datastores.CommitOptions(true, Duration.ofSeconds(600), null, null));
        ds.sessionEnded(S1);
        assertFalse(text(ds, Datastore.RUNNING).contains("new"));

        edit(ds, S1, Datastore.CANDIDATE, "<name>kept</name>");
        ds.commit(S1, new Datastores.CommitOptions(true, Duration.ofSeconds(600), "token-1", null));
        ds.sessionEnded(S1);
        assertTrue(text(ds, Datastore.RUNNING).contains("kept"));
        final var wrong = assertThrows(RpcException.class,
            () -> ds.commit(S2, new Datastores.CommitOptions(false, Duration.ZERO, null, "token-2")));
        assertEquals(ErrorTag.INVALID_VALUE, wrong.errors().get(0).tag());
        ds.commit(S2, new Datastores.CommitOptions(false, Duration.ZERO, null, "token-1"));
        assertFalse(ds.confirmedCommitPending());
    }

    @Test
    void cancelCommitRestoresRunning() throws Exception {
        final var ds = open();
        edit(ds, S1, Datastore.CANDIDATE, "<name>new</name>");
        assertThrows(RpcException.class, () -> ds.cancelCommit(S1, null));
        ds.commit(S1, new Datastores.CommitOptions(true, Duration.ofSeconds(600), null, null));
        ds.cancelCommit(S1, null);
        assertFalse(text(ds, Datastore.RUNNING).contains("new"));
    }

    @Test
    void anUnconfirmedCommitIsRolledBackAtTheNextStart() throws Exception {
        var ds = open();
        edit(ds, S1, Datastore.CANDIDATE, "<name>new</name>");
        ds.commit(S1, new Datastores.CommitOptions(true, Duration.ofSeconds(600), null, null));
        ds = open(); // as if the process had died here
        assertFalse(text(ds, Datastore.RUNNING).contains("new"));
        assertFalse(Files.exists(dir.resolve("confirmed-commit-rollback.xml")));
    }

    @Test
    void startupIsWrittenByCopyConfigAndUsedWhenThereIsNoRunningFile() throws Exception {
        var ds = open();
        edit(ds, S1, Datastore.RUNNING, "<name>boot</name>");
        assertThrows(RpcException.class, () -> edit(ds, S1, Datastore.STARTUP, "<name>x</name>"));
        ds.copyConfig(S1, Datastore.STARTUP, new Datastores.Source.Stored(Datastore.RUNNING));
        assertThrows(RpcException.class, () -> ds.deleteConfig(S1, Datastore.RUNNING));
        Files.delete(dir.resolve("running.xml"));
        final var reopened = open();
        assertTrue(text(reopened, Datastore.RUNNING).contains("boot"));
        reopened.deleteConfig(S1, Datastore.STARTUP);
        assertFalse(text(reopened, Datastore.STARTUP).contains("boot"));
    }

    @Test
    void aCorruptFileStopsTheStartWithAClearError() throws Exception {
        Files.writeString(dir.resolve("running.xml"), "<data xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><top");
        final var e = assertThrows(IOException.class, this::open);
        assertTrue(e.getMessage().contains("running.xml"), e.getMessage());
    }
}

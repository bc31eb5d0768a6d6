package org.cevpn.netconf.datastore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One datastore's file, replaced atomically so that a crash at any instant (kill -9, power loss) leaves either
 * the old content or the new, never a mix: write a temporary file in the same directory, fsync it, rename it
 * over the old one (atomic on POSIX), then fsync the directory so the rename itself is durable.
 */
public final class DatastoreFile {
    private final Path file;

    public DatastoreFile(final Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    /** The content, or empty if the file was never written. */
    public Optional<byte[]> read() throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public void write(final byte[] content) throws IOException {
        final var dir = file.getParent();
        Files.createDirectories(dir);
        // A unique temporary name: a stale one left by a crash is never reused half-written. createTempFile
        // makes it 0600 on POSIX, and the rename keeps that: the datastores hold pre-shared and private keys.
        final var tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                final var buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    public void delete() throws IOException {
        if (Files.deleteIfExists(file)) {
            syncDirectory(file.getParent());
        }
    }

    /** Removes temporary files a crash left behind (they never hold committed state). */
    public void removeStaleTemporaries() throws IOException {
        final var prefix = "." + file.getFileName() + ".";
        try (var entries = Files.newDirectoryStream(file.getParent(), prefix + "*.tmp")) {
            for (var entry : entries) {
                Files.deleteIfExists(entry);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no directory yet: nothing to clean
        }
    }

    private static void syncDirectory(final Path dir) throws IOException {
        // Linux lets a directory be opened read-only and fsync'ed; that makes the rename durable.
        try (var ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

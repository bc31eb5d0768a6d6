package org.cevpn.netconf.server;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.AuthorizedKeyEntry;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.KeyUtils;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The SSH users of a NETCONF server: each with a password hash (PBKDF2-HMAC-SHA256, salted; the password
 * itself is never kept) and/or public keys from an OpenSSH authorized_keys file. A key authenticates only
 * the user it was given to.
 */
public final class SshUsers {
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> passwordHashes = new ConcurrentHashMap<>();
    private final Map<String, List<PublicKey>> keys = new ConcurrentHashMap<>();

    /** Adds a user with a password (hashed here). */
    public SshUsers withPassword(final String user, final char[] password) {
        passwordHashes.put(user, hash(password));
        return this;
    }

    /** Adds a user with an already computed hash ({@code pbkdf2-sha256$iterations$salt$hash}). */
    public SshUsers withPasswordHash(final String user, final String hash) {
        if (!hash.startsWith(SCHEME + "$") || hash.split("\\$").length != 4) {
            throw new IllegalArgumentException("password hash of " + user + " is not " + SCHEME + "$iter$salt$hash");
        }
        passwordHashes.put(user, hash);
        return this;
    }

    /** Adds every key of an OpenSSH authorized_keys file to the user. */
    public SshUsers withAuthorizedKeys(final String user, final Path authorizedKeys) throws IOException {
        final var list = new ArrayList<PublicKey>();
        try {
            for (var entry : AuthorizedKeyEntry.readAuthorizedKeys(authorizedKeys)) {
                list.add(entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read a key of " + authorizedKeys + ": " + e.getMessage(), e);
        }
        keys.computeIfAbsent(user, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).addAll(list);
        return this;
    }

    /** Sets the user's public keys, replacing any it had (e.g. from a database of client keys). */
    public SshUsers setPublicKeys(final String user, final List<PublicKey> publicKeys) {
        if (publicKeys.isEmpty()) {
            keys.remove(user);
        } else {
            keys.put(user, new java.util.concurrent.CopyOnWriteArrayList<>(publicKeys));
        }
        return this;
    }

    boolean checkPassword(final String user, final String password) {
        final var stored = passwordHashes.get(user);
        if (stored == null) {
            // Spend the same time as for a real user, so timing does not tell which users exist.
            hash(password.toCharArray());
            return false;
        }
        final var parts = stored.split("\\$");
        final var computed = pbkdf2(password.toCharArray(), Base64.getDecoder().decode(parts[2]),
            Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(computed, Base64.getDecoder().decode(parts[3]));
    }

    boolean checkKey(final String user, final PublicKey key) {
        return keys.getOrDefault(user, List.of()).stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
    }

    /** A new salted hash of a password, in the form {@link #withPasswordHash} takes. */
    public static String hash(final char[] password) {
        final var salt = new byte[16];
        RANDOM.nextBytes(salt);
        final var hash = pbkdf2(password, salt, ITERATIONS);
        return SCHEME + "$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
            + Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] pbkdf2(final char[] password, final byte[] salt, final int iterations) {
        try {
            final KeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        // Names only: hashes and keys stay out of logs.
        return "SshUsers" + new java.util.TreeSet<>(passwordHashes.keySet()) + new java.util.TreeSet<>(keys.keySet());
    }
}

package org.cevpn.ipsec.ike.task;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Stateless IKE_SA_INIT cookies (RFC 7296 §2.6): Cookie = VersionIDofSecret | Hash(Ni | IPi |
 * SPIi | secret), SHA-256, with a four-octet version. The secret rotates; cookies made with the
 * previous secret stay valid until the next rotation, so a rotation never rejects an initiator
 * that is just retrying. Thread-safe.
 */
public final class Cookies {
    /** RFC 7296 §2.6: a cookie is 1 to 64 octets; ours is 4 + 32. */
    public static final int MAX_LENGTH = 64;

    private final SecureRandom random;
    private Secret current;
    private Secret previous;

    private record Secret(int version, byte[] value) {
    }

    public Cookies(SecureRandom random) {
        this.random = random;
        this.current = new Secret(random.nextInt(), fresh());
        this.previous = current;
    }

    private byte[] fresh() {
        byte[] s = new byte[32];
        random.nextBytes(s);
        return s;
    }

    public synchronized void rotate() {
        previous = current;
        current = new Secret(current.version() + 1, fresh());
    }

    public synchronized byte[] issue(byte[] ni, InetAddress initiator, long spiI) {
        return make(current, ni, initiator, spiI);
    }

    public boolean verify(byte[] cookie, byte[] ni, InetAddress initiator, long spiI) {
        if (cookie.length != 36) {
            return false;
        }
        int version = (cookie[0] & 0xff) << 24 | (cookie[1] & 0xff) << 16 | (cookie[2] & 0xff) << 8 | cookie[3] & 0xff;
        Secret s;
        synchronized (this) {
            s = version == current.version() ? current : version == previous.version() ? previous : null;
        }
        return s != null && MessageDigest.isEqual(cookie, make(s, ni, initiator, spiI));
    }

    private static byte[] make(Secret s, byte[] ni, InetAddress initiator, long spiI) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ni);
            sha.update(initiator.getAddress());
            for (int i = 7; i >= 0; i--) {
                sha.update((byte) (spiI >>> (8 * i)));
            }
            sha.update(s.value());
            byte[] hash = sha.digest();
            byte[] out = Arrays.copyOf(new byte[] {(byte) (s.version() >>> 24), (byte) (s.version() >>> 16),
                    (byte) (s.version() >>> 8), (byte) s.version()}, 4 + hash.length);
            System.arraycopy(hash, 0, out, 4, hash.length);
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "Cookies[version " + current.version() + "]";
    }
}

package org.cevpn.agent.config;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Key material from the configuration (a pre-shared key, a private key). A value: two secrets with the
 * same octets are equal, so that a changed key is a changed peer tuple. Never printed.
 */
public final class Secret {
    private final byte[] octets;

    public Secret(byte[] octets) {
        this.octets = octets.clone();
    }

    /** A copy of the octets, for the IKE engine's credentials. */
    public byte[] octets() {
        return octets.clone();
    }

    public int length() {
        return octets.length;
    }

    @Override
    public boolean equals(Object o) {
        // Constant time: the comparison must not leak how much of a key matched.
        return o instanceof Secret other && MessageDigest.isEqual(octets, other.octets);
    }

    @Override
    public int hashCode() {
        // Not derived from the key: hash codes can end up in logs and heap dumps.
        return octets.length;
    }

    @Override
    public String toString() {
        return "Secret[" + octets.length + " octets, hidden]";
    }

    /** Forgets the key material. */
    public void destroy() {
        Arrays.fill(octets, (byte) 0);
    }
}

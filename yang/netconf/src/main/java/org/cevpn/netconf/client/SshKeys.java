package org.cevpn.netconf.client;

import java.security.PublicKey;
import org.opendaylight.netconf.shaded.sshd.common.SshException;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.KeyUtils;
import org.opendaylight.netconf.shaded.sshd.common.util.buffer.ByteArrayBuffer;

/** SSH public keys in the RFC 4253 §6.6 blob form our models use (cvt:ssh-public-key). */
public final class SshKeys {
    private SshKeys() {
    }

    /** The blob of a key (the base64 part of an OpenSSH public key line, decoded). */
    public static byte[] blob(final PublicKey key) {
        final var buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        return buffer.getCompactData();
    }

    /** The key a blob holds; {@link IllegalArgumentException} when it is not one we can read. */
    public static PublicKey decode(final byte[] blob) {
        try {
            return new ByteArrayBuffer(blob).getRawPublicKey();
        } catch (SshException | RuntimeException e) {
            throw new IllegalArgumentException("not an SSH public key blob (RFC 4253 section 6.6): " + e.getMessage(), e);
        }
    }

    /** OpenSSH's SHA256 fingerprint, for messages. */
    public static String fingerprint(final PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    public static String fingerprint(final byte[] blob) {
        try {
            return fingerprint(decode(blob));
        } catch (IllegalArgumentException e) {
            return "unreadable key (" + blob.length + " octets)";
        }
    }
}

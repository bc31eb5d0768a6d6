package org.cevpn.netconf.client;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.PublicKey;
import org.opendaylight.netconf.shaded.sshd.common.SshException;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.KeyUtils;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.OpenSshCertificate;
import org.opendaylight.netconf.shaded.sshd.common.signature.BuiltinSignatures;

/** Whether the host key a server presented is the one {@link ServerAuthentication} accepts, and if not, why. */
final class HostKeyCheck {
    private HostKeyCheck() {
    }

    /**
     * Null when {@code key} is acceptable from {@code host}; else the reason, for the
     * {@link ServerAuthenticationException}.
     */
    static String refusal(final ServerAuthentication server, final String host, final PublicKey key) {
        return switch (server) {
            case ServerAuthentication.PinnedHostKey pinned -> {
                // A certificate changes nothing here: the key exchange was signed with the key it certifies.
                final PublicKey hostKey = key instanceof OpenSshCertificate cert ? cert.getCertPubKey() : key;
                yield MessageDigest.isEqual(SshKeys.blob(hostKey), pinned.blob()) ? null
                    : "the server's SSH host key " + SshKeys.fingerprint(hostKey) + " is not the pinned key "
                        + SshKeys.fingerprint(pinned.blob()) + ": connection refused";
            }
            case ServerAuthentication.CertificateAuthority ca -> certificate(ca, host, key);
        };
    }

    /*
     * MINA checks a certificate during the DH and ECDH key exchanges (ABORT_ON_INVALID_CERTIFICATE), but its
     * group-exchange variant checks none, and it accepts an empty principal list: everything is checked here,
     * the CA's signature first, since no field is worth anything before it.
     */
    private static String certificate(final ServerAuthentication.CertificateAuthority ca, final String host,
            final PublicKey key) {
        if (!(key instanceof OpenSshCertificate cert)) {
            return "the server presented the bare host key " + SshKeys.fingerprint(key) + ", not a host certificate from"
                + " the configured CA " + SshKeys.fingerprint(ca.caKeyBlob());
        }
        final String id = "host certificate '" + cert.getId() + "'";
        if (!MessageDigest.isEqual(SshKeys.blob(cert.getCaPubKey()), ca.caKeyBlob())) {
            return "the server's " + id + " is signed by the CA " + SshKeys.fingerprint(cert.getCaPubKey())
                + ", not the configured CA " + SshKeys.fingerprint(ca.caKeyBlob());
        }
        if (!signedByItsCa(cert)) {
            return "the server's " + id + " does not carry a valid signature of the CA " + SshKeys.fingerprint(ca.caKeyBlob());
        }
        if (cert.getType() != OpenSshCertificate.Type.HOST) {
            return "the server's " + id + " is a " + cert.getType() + " certificate, not a host certificate";
        }
        if (!OpenSshCertificate.isValidNow(cert)) {
            return "the server's " + id + " is not valid now";
        }
        if (cert.getPrincipals().isEmpty()) {
            return "the server's " + id + " names no principals: a certificate for any host is not accepted";
        }
        if (!cert.getPrincipals().contains(host)) {
            return "the server's " + id + " is for " + cert.getPrincipals() + ", not for " + host;
        }
        // PROTOCOL.certkeys: an unrecognised critical option makes the certificate invalid; none exist for hosts.
        if (cert.getCriticalOptions() != null && !cert.getCriticalOptions().isEmpty()) {
            return "the server's " + id + " has critical options " + cert.getCriticalOptionsMap().keySet() + " this client does not know";
        }
        return null;
    }

    private static boolean signedByItsCa(final OpenSshCertificate cert) {
        final String algorithm = cert.getSignatureAlgorithm();
        final PublicKey ca = cert.getCaPubKey();
        // The algorithm must be one of the CA key's own type (rsa-sha2-512 for an ssh-rsa key, never another type).
        if (algorithm == null || !KeyUtils.getKeyType(ca).equals(KeyUtils.getCanonicalKeyType(algorithm))) {
            return false;
        }
        final var factory = BuiltinSignatures.fromFactoryName(algorithm);
        if (factory == null || !factory.isSupported()) {
            return false;
        }
        try {
            final var verifier = factory.create();
            verifier.initVerifier(null, ca);
            verifier.update(null, cert.getMessage());
            return verifier.verify(null, cert.getSignature());
        } catch (Exception e) {
            return false; // a malformed signature or key is as unverified as a wrong one
        }
    }

    /**
     * With a CA configured, MINA refuses an invalid host certificate during key exchange, before any verifier
     * runs (CoreModuleProperties.ABORT_ON_INVALID_CERTIFICATE): its SshException says why. Null when {@code e}
     * is not that.
     */
    static String certificateRefusal(final ServerAuthentication server, final IOException e) {
        if (!(server instanceof ServerAuthentication.CertificateAuthority)) {
            return null;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            final String m = t.getMessage();
            if (t instanceof SshException && m != null && (m.startsWith("KeyExchange") || m.contains("certificate"))) {
                return "the server's host certificate was refused: " + m;
            }
        }
        return null;
    }
}

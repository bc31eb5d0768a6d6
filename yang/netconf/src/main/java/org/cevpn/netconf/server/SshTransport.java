package org.cevpn.netconf.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.OpenSshCertificate;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.PublicKeyEntry;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.PublicKeyEntryResolver;
import org.opendaylight.netconf.shaded.sshd.server.Environment;
import org.opendaylight.netconf.shaded.sshd.server.ExitCallback;
import org.opendaylight.netconf.shaded.sshd.server.SshServer;
import org.opendaylight.netconf.shaded.sshd.server.channel.ChannelSession;
import org.opendaylight.netconf.shaded.sshd.server.command.Command;
import org.opendaylight.netconf.shaded.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.opendaylight.netconf.shaded.sshd.server.subsystem.SubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NETCONF over SSH (RFC 6242): an SSH server whose only service is the {@code netconf} subsystem, each channel
 * served by {@link NetconfServer#serve} on its own virtual thread.
 *
 * <p>Built on OpenDaylight's shaded Apache MINA SSHD directly rather than on ODL's transport-ssh /
 * netconf-server: those bring their own session negotiation, hello and monitoring service (which advertises
 * capabilities we do not implement) and are wired for MD-SAL; we need only the SSH layer.
 * No shell, no exec, no port forwarding: the factories for them are simply not installed.
 */
public final class SshTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshTransport.class);

    private final SshServer sshd;
    private final java.security.PublicKey hostKey;

    /**
     * @param hostKeyFile the server's host key: generated (EC P-256) on first start, kept (mode 0600) after
     */
    public SshTransport(final NetconfServer server, final String host, final int port, final Path hostKeyFile,
            final SshUsers users) throws IOException {
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost(host);
        sshd.setPort(port);
        Files.createDirectories(hostKeyFile.toAbsolutePath().getParent());
        final var keys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
        keys.setAlgorithm("EC");
        keys.setKeySize(256);
        sshd.setKeyPairProvider(keys);
        // Load (or create) the key now, so its file exists with tight permissions before anyone connects.
        hostKey = keys.loadKeys(null).iterator().next().getPublic();
        restrictToOwner(hostKeyFile);
        sshd.setPasswordAuthenticator((user, password, session) -> users.checkPassword(user, password));
        sshd.setPublickeyAuthenticator((user, key, session) -> users.checkKey(user, key));
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setSubsystemFactories(List.of(new NetconfSubsystemFactory(server)));
        sshd.start();
        LOG.info("NETCONF over SSH on {}:{}", host, port());
    }

    /** The bound port (useful when 0 was asked for). */
    public int port() {
        return sshd.getBoundAddresses().stream().filter(InetSocketAddress.class::isInstance)
            .map(a -> ((InetSocketAddress) a).getPort()).findFirst().orElse(sshd.getPort());
    }

    /**
     * Presents an OpenSSH host certificate for the host key from now on (PROTOCOL.certkeys), so that clients
     * configured with the issuing CA (the CE's {@code vpn-server/ssh-certificate-authority}) accept this server
     * without pinning its key. {@code certificateLine} is the {@code -cert.pub} line {@code ssh-keygen -s CA -h}
     * writes.
     *
     * @throws IllegalArgumentException the line is not a host certificate of this server's host key
     */
    public void hostCertificate(final String certificateLine) {
        final OpenSshCertificate cert;
        try {
            if (!(PublicKeyEntry.parsePublicKeyEntry(certificateLine.strip()).resolvePublicKey(null, java.util.Map.of(),
                    PublicKeyEntryResolver.FAILING) instanceof OpenSshCertificate c)) {
                throw new IllegalArgumentException("not an OpenSSH certificate");
            }
            cert = c;
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("host certificate: " + e.getMessage(), e);
        }
        if (cert.getType() != OpenSshCertificate.Type.HOST) {
            throw new IllegalArgumentException("host certificate: '" + cert.getId() + "' is a " + cert.getType() + " certificate");
        }
        if (!cert.getCertPubKey().equals(hostKey)) {
            throw new IllegalArgumentException("host certificate: '" + cert.getId() + "' certifies another key than this server's");
        }
        sshd.setHostKeyCertificateProvider(session -> List.of(cert));
        LOG.info("presenting host certificate '{}' for {}", cert.getId(), cert.getPrincipals());
    }

    /** The server's host key, for clients to pin (cvt:ssh-public-key is its RFC 4253 blob). */
    public java.security.PublicKey hostKey() {
        return hostKey;
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    private static void restrictToOwner(final Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.warn("cannot restrict permissions of {}: not a POSIX file system", file);
        }
    }

    /** Creates one {@link NetconfSubsystem} per channel that asks for {@code netconf}. */
    private record NetconfSubsystemFactory(NetconfServer server) implements SubsystemFactory {
        @Override
        public String getName() {
            return "netconf";
        }

        @Override
        public Command createSubsystem(final ChannelSession channel) {
            return new NetconfSubsystem(server);
        }
    }

    /** The netconf subsystem of one SSH channel. */
    private static final class NetconfSubsystem implements Command {
        private final NetconfServer server;
        private InputStream in;
        private OutputStream out;
        private ExitCallback exit;
        private volatile Thread thread;

        NetconfSubsystem(final NetconfServer server) {
            this.server = server;
        }

        @Override
        public void setInputStream(final InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(final OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(final OutputStream err) {
            // NETCONF has no use for stderr
        }

        @Override
        public void setExitCallback(final ExitCallback callback) {
            exit = callback;
        }

        @Override
        public void start(final ChannelSession channel, final Environment env) {
            final var session = channel.getSession();
            final var user = session.getUsername();
            final var remote = session.getClientAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(session.getClientAddress());
            final var closed = new java.util.concurrent.atomic.AtomicBoolean();
            thread = Thread.ofVirtual().name("netconf-" + user).start(() -> server.serve(user, remote, in, out,
                () -> {
                    if (closed.compareAndSet(false, true)) {
                        try {
                            out.close();
                        } catch (IOException e) {
                            // already closed
                        }
                        exit.onExit(0);
                    }
                }));
        }

        @Override
        public void destroy(final ChannelSession channel) {
            final var t = thread;
            if (t != null) {
                t.interrupt();
            }
            try {
                in.close();
            } catch (IOException e) {
                // the channel is gone either way
            }
        }
    }
}

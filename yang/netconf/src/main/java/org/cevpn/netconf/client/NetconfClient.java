package org.cevpn.netconf.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cevpn.netconf.DomElements;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.server.Capabilities;
import org.cevpn.netconf.server.Framing;
import org.cevpn.netconf.validation.HardenedXml;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.ValidationException;
import org.opendaylight.netconf.shaded.sshd.client.SshClient;
import org.opendaylight.netconf.shaded.sshd.client.auth.password.UserAuthPasswordFactory;
import org.opendaylight.netconf.shaded.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.opendaylight.netconf.shaded.sshd.client.channel.ChannelSubsystem;
import org.opendaylight.netconf.shaded.sshd.client.session.ClientSession;
import org.opendaylight.netconf.shaded.sshd.common.keyprovider.KeyIdentityProvider;
import org.opendaylight.netconf.shaded.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * One NETCONF session as a client (RFC 6241 over SSH, RFC 6242): SSH with a pinned server host key and public
 * key (or password) client authentication, the {@code netconf} subsystem, the hello exchange (base:1.1 chunked framing when
 * the server offers it, else base:1.0), then RPCs by message-id and notifications to {@link Events}.
 *
 * <p>One reader thread (virtual) takes every message off the stream: replies complete the waiting
 * {@link #rpc} call, notifications go to {@link Events#notification} on that thread (keep it short). RPCs may be
 * sent from any thread.
 */
public final class NetconfClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetconfClient.class);
    private static final String BASE = ErrorInfo.NETCONF_BASE;
    public static final String NOTIFICATION_NS = "urn:ietf:params:xml:ns:netconf:notification:1.0";
    private static final int MAX_MESSAGE = 16 << 20;

    /**
     * Where and as whom to connect.
     *
     * @param user    the SSH user (a CE uses its ce-id)
     * @param timeout for the connection, authentication, hello and each RPC's reply
     */
    public record Settings(String host, int port, String user, ServerAuthentication server, ClientCredential credential,
            Duration timeout) {
        /** With a key pair, the usual case. */
        public Settings(final String host, final int port, final String user, final ServerAuthentication server,
                final ClientKey key, final Duration timeout) {
            this(host, port, user, server, new ClientCredential.Key(key), timeout);
        }

        @Override
        public String toString() {
            return "NetconfClient.Settings[" + user + "@" + host + ":" + port + ", " + server + ", " + credential + "]";
        }
    }

    /** What the session tells its owner besides replies. */
    public interface Events {
        /** A {@code <notification>} (RFC 5277 §4), on the reader thread. */
        default void notification(final Element notification) {
        }

        /** The session ended without {@link #close} (the server closed it, the transport broke). */
        default void closed(final String why) {
        }
    }

    private final Settings settings;
    private final Events events;
    private final Limits limits = new Limits(MAX_MESSAGE, Limits.DEFAULT.maxDepth());
    private final AtomicLong messageIds = new AtomicLong();
    private final ConcurrentHashMap<String, CompletableFuture<Element>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Set<String>> hello = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicLong droppedMessages = new AtomicLong();
    private volatile boolean closing;
    private volatile String endReason;
    private SshClient ssh;
    private ClientSession session;
    private ChannelSubsystem channel;
    private InputStream in;
    private OutputStream out;
    private volatile Framing framing;
    private Set<String> serverCapabilities = Set.of();
    private long sessionId;

    private NetconfClient(final Settings settings, final Events events) {
        this.settings = settings;
        this.events = events;
    }

    /**
     * Connects, authenticates both sides and exchanges hellos.
     *
     * @throws ServerAuthenticationException the server's host key is not the pinned one, or the settings ask for
     *     an authentication this client does not implement (X.509 host certificates)
     * @throws IOException anything else: unreachable, client key refused, no hello
     */
    public static NetconfClient connect(final Settings settings, final Events events) throws IOException {
        final var client = new NetconfClient(settings, events);
        try {
            client.open();
            return client;
        } catch (IOException | RuntimeException e) {
            client.closing = true;
            client.shutdownTransport();
            throw e;
        }
    }

    private void open() throws IOException {
        final var refusal = new AtomicReference<String>();
        final long timeout = settings.timeout().toMillis();
        ssh = SshClient.setUpDefaultClient();
        // Only what the settings give: no ~/.ssh identities, no passwords, no known_hosts.
        ssh.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        ssh.setUserAuthFactories(settings.credential() instanceof ClientCredential.Password
            ? List.of(UserAuthPasswordFactory.INSTANCE) : List.of(UserAuthPublicKeyFactory.INSTANCE));
        if (settings.server() instanceof ServerAuthentication.CertificateAuthority) {
            // MINA checks a host certificate during key exchange (host type, validity, the CA's signature, the
            // connect host among the principals); by default it would fall back to the bare key of an invalid one.
            CoreModuleProperties.ABORT_ON_INVALID_CERTIFICATE.set(ssh, true);
        }
        ssh.setServerKeyVerifier((s, address, key) -> {
            final String why = HostKeyCheck.refusal(settings.server(), settings.host(), key);
            refusal.set(why);
            return why == null;
        });
        ssh.start();
        try {
            session = ssh.connect(settings.user(), settings.host(), settings.port()).verify(timeout).getSession();
            switch (settings.credential()) {
                case ClientCredential.Key k -> session.addPublicKeyIdentity(k.key().keyPair());
                case ClientCredential.Password p -> session.addPasswordIdentity(p.password());
            }
            session.auth().verify(timeout);
        } catch (IOException e) {
            if (refusal.get() != null) {
                throw new ServerAuthenticationException(refusal.get());
            }
            final String certificate = HostKeyCheck.certificateRefusal(settings.server(), e);
            if (certificate != null) {
                throw new ServerAuthenticationException(certificate);
            }
            throw new IOException("SSH to " + settings.host() + ":" + settings.port() + " as " + settings.user() + ": "
                + e.getMessage(), e);
        }
        channel = session.createSubsystemChannel("netconf");
        channel.open().verify(timeout);
        in = channel.getInvertedOut();
        out = channel.getInvertedIn();
        final var eom = new Framing.EndOfMessage(MAX_MESSAGE);
        framing = eom;
        eom.write(out, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hello xmlns=\"" + BASE + "\"><capabilities>"
            + "<capability>" + Capabilities.BASE_1_0 + "</capability><capability>" + Capabilities.BASE_1_1
            + "</capability></capabilities></hello>").getBytes(StandardCharsets.UTF_8));
        Thread.ofVirtual().name("netconf-client-" + settings.host()).start(this::readLoop);
        try {
            serverCapabilities = hello.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no hello from " + settings.host() + " within " + timeout + " ms");
        } catch (ExecutionException e) {
            throw new IOException("hello from " + settings.host() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the hello");
        }
    }

    private void readLoop() {
        try {
            final var first = framing.read(in);
            if (first == null) {
                throw new IOException("the server closed the session before its hello");
            }
            readHello(HardenedXml.parse(first, limits).getDocumentElement());
            while (true) {
                final var message = framing.read(in);
                if (message == null) {
                    end("the server closed the session");
                    return;
                }
                dispatch(HardenedXml.parse(message, limits).getDocumentElement());
            }
        } catch (ValidationException e) {
            end("the server sent a message that is not acceptable XML: " + e.errors().get(0).message());
        } catch (IOException e) {
            end(closing ? "closed" : "transport: " + e.getMessage());
        }
    }

    private void readHello(final Element element) throws IOException {
        if (!"hello".equals(element.getLocalName()) || !BASE.equals(element.getNamespaceURI())) {
            throw new IOException("the server's first message is not a <hello>");
        }
        final var caps = new HashSet<String>();
        final var capabilities = DomElements.child(element, "capabilities");
        if (capabilities != null) {
            DomElements.children(capabilities).forEach(c -> caps.add(c.getTextContent().strip()));
        }
        final var id = DomElements.child(element, "session-id");
        if (id == null) {
            throw new IOException("the server's hello has no session-id");
        }
        try {
            sessionId = Long.parseLong(id.getTextContent().strip());
        } catch (NumberFormatException e) {
            throw new IOException("the server's hello has a malformed session-id");
        }
        if (caps.contains(Capabilities.BASE_1_1)) {
            // RFC 6242 §4.1: chunked framing from the message after the hellos on, when both offer base:1.1.
            framing = new Framing.Chunked(MAX_MESSAGE, 64 * 1024);
        } else if (!caps.contains(Capabilities.BASE_1_0)) {
            throw new IOException("the server offers neither base:1.0 nor base:1.1");
        }
        hello.complete(Set.copyOf(caps));
    }

    private void dispatch(final Element message) {
        if ("rpc-reply".equals(message.getLocalName()) && BASE.equals(message.getNamespaceURI())) {
            final var waiting = pending.remove(message.getAttribute("message-id"));
            if (waiting == null) {
                droppedMessages.incrementAndGet();
                LOG.warn("{}: rpc-reply for message-id '{}' that nobody waits for: dropped", settings.host(),
                    message.getAttribute("message-id"));
                return;
            }
            waiting.complete(message);
        } else if ("notification".equals(message.getLocalName()) && NOTIFICATION_NS.equals(message.getNamespaceURI())) {
            try {
                events.notification(message);
            } catch (RuntimeException e) {
                LOG.error("{}: notification listener failed", settings.host(), e);
            }
        } else {
            droppedMessages.incrementAndGet();
            LOG.warn("{}: unexpected <{}> from the server: dropped", settings.host(), message.getLocalName());
        }
    }

    /** The session is over (whoever ended it): fail the waiting RPCs, tell the owner unless it closed it. */
    private void end(final String why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        endReason = why;
        hello.completeExceptionally(new IOException(why));
        final var failure = new IOException("the NETCONF session ended: " + why);
        pending.values().forEach(f -> f.completeExceptionally(failure));
        pending.clear();
        shutdownTransport();
        if (!closing) {
            LOG.info("NETCONF session {} to {} ended: {}", sessionId, settings.host(), why);
            try {
                events.closed(why);
            } catch (RuntimeException e) {
                LOG.error("{}: close listener failed", settings.host(), e);
            }
        }
    }

    /** Sends one operation ({@code <get/>}, {@code <edit-config>...}) in an {@code <rpc>} and waits for its reply. */
    public RpcReply rpc(final String operation) throws IOException {
        return rpc(operation, settings.timeout());
    }

    public RpcReply rpc(final String operation, final Duration timeout) throws IOException {
        if (ended.get()) {
            throw new IOException("the NETCONF session ended: " + endReason);
        }
        final var id = Long.toString(messageIds.incrementAndGet());
        final var reply = new CompletableFuture<Element>();
        pending.put(id, reply);
        final var message = "<rpc xmlns=\"" + BASE + "\" message-id=\"" + id + "\">" + operation + "</rpc>";
        try {
            synchronized (writeLock) {
                framing.write(out, message.getBytes(StandardCharsets.UTF_8));
            }
            return RpcReply.parse(reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw new IOException("no rpc-reply from " + settings.host() + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for an rpc-reply");
        } finally {
            pending.remove(id);
        }
    }

    /** create-subscription (RFC 5277 §2.1.1) on the default NETCONF stream. */
    public void createSubscription() throws IOException, RpcException {
        rpc("<create-subscription xmlns=\"" + NOTIFICATION_NS + "\"/>").orThrow();
    }

    public Set<String> serverCapabilities() {
        return serverCapabilities;
    }

    public long sessionId() {
        return sessionId;
    }

    public boolean isOpen() {
        return !ended.get();
    }

    /** Messages from the server that answered nothing we asked and were not notifications. */
    public long droppedMessages() {
        return droppedMessages.get();
    }

    /** close-session (best effort, briefly), then the SSH connection. */
    @Override
    public void close() {
        if (ended.get()) {
            return;
        }
        closing = true;
        try {
            rpc("<close-session/>", Duration.ofSeconds(2));
        } catch (IOException e) {
            // the server may already be gone; the transport is closed below either way
        }
        end("closed by the client");
    }

    private void shutdownTransport() {
        try {
            if (channel != null) {
                channel.close(true);
            }
            if (session != null) {
                session.close(true);
            }
        } finally {
            if (ssh != null) {
                ssh.stop();
            }
        }
    }
}

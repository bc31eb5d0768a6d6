package org.cevpn.netconf.server;

import static org.cevpn.netconf.DomElements.child;
import static org.cevpn.netconf.DomElements.children;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.validation.HardenedXml;
import org.cevpn.netconf.validation.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;

/**
 * One NETCONF session: the hello exchange (RFC 6241 §8.1), then request by request — read one framed
 * message, parse it with the hardened XML reader, dispatch its operation, write the rpc-reply. Requests are
 * served in order, one at a time, on the session's own thread.
 */
final class NetconfSession {
    private static final Logger LOG = LoggerFactory.getLogger(NetconfSession.class);
    private static final String BASE = ErrorInfo.NETCONF_BASE;

    private final NetconfServer server;
    private final long id;
    private final String user;
    private final String sourceHost;
    private final InputStream in;
    private final OutputStream out;
    private final Runnable closeTransport;
    private final Instant loginTime = Instant.now();
    private final Monitoring.SessionCounters counters = new Monitoring.SessionCounters();
    private final Operations operations;
    private volatile boolean closing;
    private volatile Framing framing;
    /** Replies and notifications both write to the stream: one message at a time. */
    private final Object writeLock = new Object();
    private org.cevpn.netconf.notification.Subscription subscription;
    private NotificationOutbox outbox;
    private boolean startOutboxAfterReply;

    NetconfSession(final NetconfServer server, final long id, final String user, final String sourceHost,
            final InputStream in, final OutputStream out, final Runnable closeTransport) {
        this.server = server;
        this.id = id;
        this.user = user;
        this.sourceHost = sourceHost;
        this.in = in;
        this.out = out;
        this.closeTransport = closeTransport;
        operations = new Operations(server, this);
    }

    long id() {
        return id;
    }

    String user() {
        return user;
    }

    Monitoring.SessionInfo info() {
        return new Monitoring.SessionInfo(id, user, sourceHost, loginTime, counters);
    }

    /** Ends the session after the current reply (close-session). */
    void close() {
        closing = true;
    }

    /** Ends the session now, from another session (kill-session). */
    void kill() {
        closing = true;
        LOG.info("session {} ({}) killed", id, user);
        closeTransport.run();
    }

    void run() {
        try {
            final var eom = new Framing.EndOfMessage(server.maxMessageSize());
            eom.write(out, hello().getBytes(StandardCharsets.UTF_8));
            final var clientHello = eom.read(in);
            if (clientHello == null) {
                return;
            }
            final boolean base11 = readHello(clientHello);
            // RFC 6242 §4.1: chunked framing once both sides advertise base:1.1, right after the hellos.
            framing = base11 ? new Framing.Chunked(server.maxMessageSize(), 64 * 1024) : eom;
            LOG.info("session {} ({}) from {}: {}", id, user, sourceHost, base11 ? "base:1.1" : "base:1.0");
            while (!closing) {
                final var message = framing.read(in);
                if (message == null) {
                    LOG.info("session {} ({}): client closed the stream", id, user);
                    server.statistics().droppedSessions.incrementAndGet();
                    return;
                }
                final var reply = handle(message);
                if (reply != null) {
                    write(reply);
                }
                if (startOutboxAfterReply) {
                    startOutboxAfterReply = false;
                    outbox.start(notification -> {
                        synchronized (writeLock) {
                            // counted before the bytes leave, so a client that has seen it also sees it counted
                            counters.outNotifications.incrementAndGet();
                            server.statistics().outNotifications.incrementAndGet();
                            write(notification);
                        }
                    });
                }
            }
            LOG.info("session {} ({}) closed", id, user);
        } catch (FramingException e) {
            // No message boundary can be trusted any more: the only safe answer is to end the session.
            LOG.warn("session {} ({}): framing error, ending the session: {}", id, user, e.getMessage());
            server.statistics().droppedSessions.incrementAndGet();
        } catch (BadHello e) {
            LOG.warn("session {} ({}): bad hello, ending the session: {}", id, user, e.getMessage());
            server.statistics().inBadHellos.incrementAndGet();
        } catch (IOException e) {
            if (!closing) {
                LOG.info("session {} ({}): transport ended: {}", id, user, e.getMessage());
                server.statistics().droppedSessions.incrementAndGet();
            }
        } finally {
            if (subscription != null) {
                subscription.cancel();
            }
            if (outbox != null) {
                outbox.stop();
            }
            closeTransport.run();
        }
    }

    private void write(final String message) throws IOException {
        synchronized (writeLock) {
            framing.write(out, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * create-subscription (RFC 5277 §2.1.1): one subscription per session at a time; its notifications are
     * held back until the reply has been written.
     */
    void subscribe(final org.cevpn.netconf.notification.SubscriptionRequest request,
            final org.cevpn.netconf.notification.NotificationStream stream) throws org.cevpn.netconf.datastore.RpcException {
        if (outbox != null && outbox.active()) {
            throw org.cevpn.netconf.datastore.RpcException.protocol(ErrorTag.OPERATION_FAILED,
                "this session already has a subscription");
        }
        if (outbox != null) {
            outbox.stop();
        }
        outbox = new NotificationOutbox(new org.cevpn.netconf.notification.NotificationXml(server.schema()), id,
            10_000);
        subscription = stream.subscribe(request, org.cevpn.netconf.nacm.NacmUser.of(user), outbox);
        startOutboxAfterReply = true;
    }

    private String hello() {
        final var x = new StringBuilder(2048);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hello xmlns=\"").append(BASE).append("\"><capabilities>");
        server.capabilities().forEach(c -> x.append("<capability>").append(Monitoring.esc(c)).append("</capability>"));
        x.append("</capabilities><session-id>").append(id).append("</session-id></hello>");
        return x.toString();
    }

    /** Thrown when the client's hello is unusable: RFC 6241 §8.1 has the session end then. */
    private static final class BadHello extends IOException {
        private static final long serialVersionUID = 1L;

        BadHello(final String message) {
            super(message);
        }
    }

    /** Checks the client hello; true when it offers base:1.1. */
    private boolean readHello(final byte[] bytes) throws BadHello {
        final Element hello;
        try {
            hello = HardenedXml.parse(bytes, server.xmlLimits()).getDocumentElement();
        } catch (ValidationException e) {
            throw new BadHello(e.errors().get(0).message());
        }
        if (!"hello".equals(hello.getLocalName()) || !BASE.equals(hello.getNamespaceURI())) {
            throw new BadHello("first message is not a <hello>");
        }
        if (child(hello, "session-id") != null) {
            throw new BadHello("a client hello must not carry a session-id");
        }
        final var caps = child(hello, "capabilities");
        if (caps == null) {
            throw new BadHello("hello without capabilities");
        }
        boolean base10 = false;
        boolean base11 = false;
        for (var cap : children(caps)) {
            final var uri = cap.getTextContent().strip();
            base10 |= Capabilities.BASE_1_0.equals(uri);
            base11 |= Capabilities.BASE_1_1.equals(uri);
        }
        if (!base10 && !base11) {
            throw new BadHello("client offers neither base:1.0 nor base:1.1");
        }
        return base11;
    }

    /** The rpc-reply for one message; never throws for bad input (that is an rpc-error). */
    String handle(final byte[] message) {
        server.statistics().inRpcs.incrementAndGet();
        counters.inRpcs++;
        final Element rpc;
        try {
            rpc = HardenedXml.parse(message, server.xmlLimits()).getDocumentElement();
        } catch (ValidationException e) {
            return badRpc(null, e.errors());
        }
        if (!"rpc".equals(rpc.getLocalName()) || !BASE.equals(rpc.getNamespaceURI())) {
            return badRpc(null, List.of(RpcError.malformedMessage(
                "expected an <rpc> in the NETCONF base namespace")));
        }
        if (!rpc.hasAttribute("message-id")) {
            return badRpc(rpc, List.of(new RpcError(ErrorType.RPC, ErrorTag.MISSING_ATTRIBUTE, ErrorSeverity.ERROR,
                null, null, "an <rpc> needs a message-id attribute", List.of(
                    new ErrorInfo(BASE, "bad-attribute", "message-id", Map.of()), ErrorInfo.badElement("rpc")))));
        }
        final var ops = children(rpc);
        if (ops.size() != 1) {
            return badRpc(rpc, List.of(RpcError.malformedMessage(
                "an <rpc> holds exactly one operation, this one holds " + ops.size())));
        }
        final var op = ops.get(0);
        try {
            server.accessControl().checkExecute(user, String.valueOf(op.getNamespaceURI()), op.getLocalName());
            final var body = operations.dispatch(op);
            return reply(rpc, body == null ? "<ok/>" : body);
        } catch (RpcException e) {
            counters.outRpcErrors++;
            server.statistics().outRpcErrors.incrementAndGet();
            return reply(rpc, errorsXml(e.errors()));
        } catch (RuntimeException e) {
            // A bug of ours must not end the session or leak internals: log it, answer operation-failed.
            LOG.error("session {}: {} failed", id, op.getLocalName(), e);
            counters.outRpcErrors++;
            server.statistics().outRpcErrors.incrementAndGet();
            return reply(rpc, errorsXml(List.of(RpcError.application(ErrorTag.OPERATION_FAILED, null, null,
                "internal error while serving " + op.getLocalName()))));
        }
    }

    private String badRpc(final Element rpc, final List<RpcError> errors) {
        counters.inBadRpcs++;
        counters.outRpcErrors++;
        server.statistics().inBadRpcs.incrementAndGet();
        server.statistics().outRpcErrors.incrementAndGet();
        return reply(rpc, errorsXml(errors));
    }

    private static String errorsXml(final List<RpcError> errors) {
        final var x = new StringBuilder();
        errors.forEach(e -> x.append(e.toXml()));
        return x.toString();
    }

    /** RFC 6241 §4.2: the rpc-reply carries every attribute of the rpc (message-id and any others). */
    private static String reply(final Element rpc, final String body) {
        final var x = new StringBuilder(body.length() + 256);
        x.append("<rpc-reply xmlns=\"").append(BASE).append('"');
        if (rpc != null) {
            final var attrs = rpc.getAttributes();
            for (int i = 0; i < attrs.getLength(); i++) {
                final var a = (Attr) attrs.item(i);
                if ("xmlns".equals(a.getName())) {
                    continue; // the default namespace is ours, above
                }
                x.append(' ').append(a.getName()).append("=\"").append(Monitoring.esc(a.getValue())).append('"');
            }
        }
        return x.append('>').append(body).append("</rpc-reply>").toString();
    }

}

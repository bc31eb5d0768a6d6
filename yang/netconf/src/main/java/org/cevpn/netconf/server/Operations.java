package org.cevpn.netconf.server;

import static org.cevpn.netconf.DomElements.child;
import static org.cevpn.netconf.DomElements.children;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.datastore.DataXml;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.datastore.EditOperation;
import org.cevpn.netconf.datastore.ErrorOption;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.datastore.TestOption;
import org.cevpn.netconf.filter.WithDefaults;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.w3c.dom.Element;

/**
 * The operations of one session: the base operations of RFC 6241 §7 and §8 by name, get-schema (RFC 6022),
 * and the application RPCs of our modules through the {@link RpcRegistry}. Each returns the reply body, or
 * null for {@code <ok/>}, or throws the rpc-errors.
 */
final class Operations {
    private static final String BASE = ErrorInfo.NETCONF_BASE;

    /** One base operation. */
    @FunctionalInterface
    private interface Operation {
        String apply(Element op) throws RpcException;
    }

    private final NetconfServer server;
    private final NetconfSession session;
    private final Datastores ds;
    private final DataXml dataXml;
    private final Map<String, Operation> base;

    Operations(final NetconfServer server, final NetconfSession session) {
        this.server = server;
        this.session = session;
        ds = server.datastores();
        dataXml = new DataXml(server.schema());
        base = Map.ofEntries(
            Map.entry("get", this::get),
            Map.entry("get-config", this::getConfig),
            Map.entry("edit-config", this::editConfig),
            Map.entry("copy-config", this::copyConfig),
            Map.entry("delete-config", this::deleteConfig),
            Map.entry("lock", op -> {
                ds.lock(session.id(), target(op, "target"));
                return null;
            }),
            Map.entry("unlock", op -> {
                ds.unlock(session.id(), target(op, "target"));
                return null;
            }),
            Map.entry("close-session", op -> {
                session.close();
                return null;
            }),
            Map.entry("kill-session", this::killSession),
            Map.entry("validate", this::validate),
            Map.entry("commit", this::commit),
            Map.entry("discard-changes", op -> {
                ds.discardChanges(session.id());
                return null;
            }),
            Map.entry("cancel-commit", op -> {
                ds.cancelCommit(session.id(), text(op, "persist-id"));
                return null;
            }));
    }

    String dispatch(final Element op) throws RpcException {
        final var ns = op.getNamespaceURI();
        if (BASE.equals(ns)) {
            final var handler = base.get(op.getLocalName());
            if (handler == null) {
                throw notSupported(op);
            }
            return handler.apply(op);
        }
        if (org.cevpn.netconf.notification.SubscriptionRequest.NAMESPACE.equals(ns)
                && "create-subscription".equals(op.getLocalName()) && server.notifications() != null) {
            final var stream = server.notifications();
            try {
                session.subscribe(org.cevpn.netconf.notification.SubscriptionRequest.parse(server.schema(), op,
                    java.time.Instant.now(), java.util.Set.of(stream.name()), server.readFilter().supportsXPath()),
                    stream);
            } catch (org.cevpn.netconf.validation.ValidationException e) {
                throw new RpcException(e.errors());
            }
            return null;
        }
        if (Actions.YANG_NS.equals(ns) && "action".equals(op.getLocalName())) {
            return new Actions(server, session).invoke(op);
        }
        if (Capabilities.MONITORING_NS.equals(ns)) {
            if (!"get-schema".equals(op.getLocalName())) {
                throw notSupported(op);
            }
            return server.monitoring().getSchema(text(op, "identifier"), text(op, "version"), text(op, "format"));
        }
        final var module = ns == null ? null : server.schema().moduleByNamespace(ns).orElse(null);
        if (module == null) {
            throw new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.UNKNOWN_NAMESPACE, ErrorSeverity.ERROR,
                null, null, "no module of this server has the namespace of operation " + op.getLocalName(),
                List.of(ErrorInfo.badElement(op.getLocalName()),
                    new ErrorInfo(BASE, "bad-namespace", String.valueOf(ns), Map.of()))));
        }
        final var rpc = QName.create(module.getQNameModule(), op.getLocalName());
        final var handler = server.rpcs().find(rpc);
        if (handler.isEmpty()) {
            throw notSupported(op);
        }
        final var input = new RpcInputParser(server.schema()).parse(rpc, op);
        return handler.orElseThrow().invoke(session.id(), session.user(), input, op);
    }

    private static RpcException notSupported(final Element op) {
        return new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.OPERATION_NOT_SUPPORTED,
            ErrorSeverity.ERROR, null, null, "operation " + op.getLocalName() + " is not supported",
            List.of(ErrorInfo.badElement(op.getLocalName()))));
    }

    private String get(final Element op) throws RpcException {
        final var mode = withDefaultsMode(op);
        final var filter = child(op, "filter");
        var running = ds.snapshot(Datastore.RUNNING).root();
        if (server.stateData() != null) {
            running = server.stateData().addState(running);
        }
        if (server.notifications() != null) {
            // /netconf/streams (RFC 5277 §3.4) is state data of get, beside the configuration
            running = org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(running.name()).withValue(running.body())
                .withChild(server.notifications().streamsData()).build();
        }
        var data = server.accessControl().readable(session.user(), running);
        if (filter != null) {
            data = server.readFilter().select(filter, data);
        }
        if (mode != null) {
            data = server.withDefaults().apply(data, mode, false);
        }
        final var xml = render(data, mode);
        // State data written by hand (netconf-state, yang-library: their modules are not in our schema) comes only
        // with an unfiltered get: the filters work on the schema's NormalizedNode trees.
        final var state = filter == null ? server.monitoring().netconfState(ds, server.sessionInfos(),
            server.statistics()) + server.monitoring().yangLibrary() : "";
        return xml.substring(0, xml.length() - "</data>".length()) + state + "</data>";
    }

    private String getConfig(final Element op) throws RpcException {
        final var mode = withDefaultsMode(op);
        final var source = target(op, "source");
        final var filter = child(op, "filter");
        ContainerNode data = server.accessControl().readable(session.user(), ds.snapshot(source).root());
        if (filter != null) {
            data = server.readFilter().select(filter, data);
        }
        if (mode != null) {
            data = server.withDefaults().apply(data, mode, true);
        }
        return render(data, mode);
    }

    /** {@code <data>} with the nodes; in report-all-tagged mode, default leaves carry wd:default (RFC 6243 §3.4). */
    private String render(final ContainerNode data, final WithDefaults.Mode mode) throws RpcException {
        if (mode != WithDefaults.Mode.REPORT_ALL_TAGGED) {
            return dataXml.toXmlString(data, "data");
        }
        try {
            final var doc = org.cevpn.netconf.validation.HardenedXml.parse(dataXml.toXml(data, "data"),
                new org.cevpn.netconf.validation.Limits(Integer.MAX_VALUE, 1024));
            server.withDefaults().tagDefaults(doc.getDocumentElement());
            final var out = new java.io.StringWriter();
            final var t = javax.xml.transform.TransformerFactory.newDefaultInstance().newTransformer();
            t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.transform(new javax.xml.transform.dom.DOMSource(doc.getDocumentElement()),
                new javax.xml.transform.stream.StreamResult(out));
            return out.toString();
        } catch (org.cevpn.netconf.validation.ValidationException | javax.xml.transform.TransformerException e) {
            throw new IllegalStateException("cannot tag defaults in our own XML", e);
        }
    }

    /** The {@code <with-defaults>} mode asked for (RFC 6243 §4.5), or null for the basic mode (explicit). */
    private WithDefaults.Mode withDefaultsMode(final Element op) throws RpcException {
        final var element = child(op, "with-defaults");
        if (element == null) {
            return null;
        }
        if (server.withDefaults() == null) {
            throw RpcException.protocol(ErrorTag.OPERATION_NOT_SUPPORTED, ":with-defaults is not supported");
        }
        try {
            final var mode = WithDefaults.Mode.of(element.getTextContent());
            return mode == WithDefaults.Mode.EXPLICIT ? null : mode;
        } catch (org.cevpn.netconf.validation.ValidationException e) {
            throw new RpcException(e.errors());
        }
    }

    private String editConfig(final Element op) throws RpcException {
        final var target = target(op, "target");
        final var defaultOp = option(op, "default-operation", EditOperation::ofDefaultOperation, EditOperation.MERGE);
        final var testOption = option(op, "test-option", TestOption::ofXmlValue, TestOption.TEST_THEN_SET);
        final var errorOption = option(op, "error-option", ErrorOption::ofXmlValue, ErrorOption.STOP_ON_ERROR);
        final var config = child(op, "config");
        if (config == null) {
            if (child(op, "url") != null) {
                throw RpcException.protocol(ErrorTag.OPERATION_NOT_SUPPORTED, ":url is not supported");
            }
            throw missing("config");
        }
        ds.editConfig(session.id(), target, config, defaultOp, testOption, errorOption);
        return null;
    }

    private String copyConfig(final Element op) throws RpcException {
        final var target = target(op, "target");
        ds.copyConfig(session.id(), target, source(op));
        return null;
    }

    private String deleteConfig(final Element op) throws RpcException {
        ds.deleteConfig(session.id(), target(op, "target"));
        return null;
    }

    private String validate(final Element op) throws RpcException {
        switch (source(op)) {
            case Datastores.Source.Stored stored -> ds.validate(stored.datastore());
            case Datastores.Source.Inline inline -> ds.validate(inline.config());
        }
        return null;
    }

    private String killSession(final Element op) throws RpcException {
        final var text = text(op, "session-id");
        if (text == null) {
            throw missing("session-id");
        }
        final long victim;
        try {
            victim = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw RpcException.protocol(ErrorTag.INVALID_VALUE, "session-id must be a number");
        }
        if (victim == session.id()) {
            throw RpcException.protocol(ErrorTag.INVALID_VALUE, "a session cannot kill itself: use close-session");
        }
        if (!server.kill(victim)) {
            throw RpcException.protocol(ErrorTag.INVALID_VALUE, "no session " + victim);
        }
        return null;
    }

    private String commit(final Element op) throws RpcException {
        final boolean confirmed = child(op, "confirmed") != null;
        var timeout = Datastores.DEFAULT_CONFIRM_TIMEOUT;
        final var timeoutText = text(op, "confirm-timeout");
        if (timeoutText != null) {
            try {
                final long seconds = Long.parseLong(timeoutText.strip());
                if (seconds < 1 || seconds > 4294967295L) {
                    throw new NumberFormatException();
                }
                timeout = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                throw RpcException.protocol(ErrorTag.INVALID_VALUE, "confirm-timeout must be 1 to 4294967295 seconds");
            }
        }
        ds.commit(session.id(), new Datastores.CommitOptions(confirmed, timeout, text(op, "persist"),
            text(op, "persist-id")));
        return null;
    }

    /** {@code <source>} holding a datastore element or a {@code <config>}. */
    private Datastores.Source source(final Element op) throws RpcException {
        final var source = child(op, "source");
        if (source == null) {
            throw missing("source");
        }
        final var config = child(source, "config");
        if (config != null) {
            return new Datastores.Source.Inline(config);
        }
        return new Datastores.Source.Stored(target(op, "source"));
    }

    /** The datastore named inside {@code <target>} or {@code <source>}: {@code <running/>} etc. */
    private static Datastore target(final Element op, final String which) throws RpcException {
        final var holder = child(op, which);
        if (holder == null) {
            throw missing(which);
        }
        final var named = children(holder);
        if (named.size() != 1) {
            throw new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.MISSING_ELEMENT, ErrorSeverity.ERROR,
                null, null, "<" + which + "> names exactly one datastore", List.of(ErrorInfo.badElement(which))));
        }
        final var name = named.get(0).getLocalName();
        if ("url".equals(name)) {
            throw RpcException.protocol(ErrorTag.OPERATION_NOT_SUPPORTED, ":url is not supported");
        }
        return Datastore.ofXmlName(name).orElseThrow(() -> new RpcException(new RpcError(ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE, ErrorSeverity.ERROR, null, null, "no datastore named " + name,
            List.of(ErrorInfo.badElement(name)))));
    }

    private static <T> T option(final Element op, final String name,
            final java.util.function.Function<String, java.util.Optional<T>> parse, final T absent)
            throws RpcException {
        final var text = text(op, name);
        if (text == null) {
            return absent;
        }
        return parse.apply(text.strip()).orElseThrow(() -> new RpcException(new RpcError(ErrorType.PROTOCOL,
            ErrorTag.INVALID_VALUE, ErrorSeverity.ERROR, null, null, "bad value of " + name,
            List.of(ErrorInfo.badElement(name)))));
    }

    private static String text(final Element op, final String name) {
        final var e = child(op, name);
        return e == null ? null : e.getTextContent();
    }

    private static RpcException missing(final String name) {
        return new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.MISSING_ELEMENT, ErrorSeverity.ERROR, null,
            null, "<" + name + "> is required", List.of(ErrorInfo.badElement(name))));
    }
}

package org.cevpn.netconf.server;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.export.DeclaredStatementFormatter;

/**
 * RFC 6022 NETCONF monitoring: the {@code /netconf-state} tree (capabilities, datastores with their locks,
 * schemas, sessions, statistics) written as XML, and {@code get-schema} answered with the YANG text of our
 * modules (rendered from the parsed model, so it is the module the server actually runs).
 */
final class Monitoring {
    /** Counters of one session (RFC 6022 §2.1.4 session list). */
    static final class SessionCounters {
        volatile long inRpcs;
        volatile long inBadRpcs;
        volatile long outRpcErrors;
        final java.util.concurrent.atomic.AtomicLong outNotifications = new java.util.concurrent.atomic.AtomicLong();
    }

    /** What netconf-state/sessions shows of a session. */
    record SessionInfo(long id, String user, String sourceHost, Instant loginTime, SessionCounters counters) {
    }

    /** Server-wide statistics (RFC 6022 §2.1.5). */
    static final class Statistics {
        final Instant startTime = Instant.now();
        final java.util.concurrent.atomic.AtomicLong inBadHellos = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong inSessions = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong droppedSessions = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong inRpcs = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong inBadRpcs = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong outRpcErrors = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong outNotifications = new java.util.concurrent.atomic.AtomicLong();
    }

    private final YangSchema schema;
    private final List<String> capabilities;

    Monitoring(final YangSchema schema, final List<String> capabilities) {
        this.schema = schema;
        this.capabilities = capabilities;
    }

    String netconfState(final Datastores datastores, final List<SessionInfo> sessions, final Statistics stats) {
        final var x = new StringBuilder(4096);
        x.append("<netconf-state xmlns=\"").append(Capabilities.MONITORING_NS).append("\">");
        x.append("<capabilities>");
        capabilities.forEach(c -> x.append("<capability>").append(esc(c)).append("</capability>"));
        x.append("</capabilities><datastores>");
        final Map<Datastore, Datastores.LockInfo> locks = datastores.locks();
        for (var ds : Datastore.values()) {
            x.append("<datastore><name>").append(ds.xmlName()).append("</name>");
            final var lock = locks.get(ds);
            if (lock != null) {
                x.append("<locks><global-lock><locked-by-session>").append(lock.sessionId())
                    .append("</locked-by-session><locked-time>").append(lock.since())
                    .append("</locked-time></global-lock></locks>");
            }
            x.append("</datastore>");
        }
        x.append("</datastores><schemas>");
        for (var m : modules()) {
            x.append("<schema><identifier>").append(esc(m.getName())).append("</identifier><version>")
                .append(m.getRevision().map(Object::toString).orElse("")).append("</version>")
                .append("<format>yang</format><namespace>").append(esc(m.getNamespace().toString()))
                .append("</namespace><location>NETCONF</location></schema>");
        }
        x.append("</schemas><sessions>");
        for (var s : sessions) {
            x.append("<session><session-id>").append(s.id()).append("</session-id>")
                .append("<transport xmlns:ncm=\"").append(Capabilities.MONITORING_NS)
                .append("\">ncm:netconf-ssh</transport><username>").append(esc(s.user())).append("</username>");
            if (s.sourceHost() != null) {
                x.append("<source-host>").append(esc(s.sourceHost())).append("</source-host>");
            }
            x.append("<login-time>").append(s.loginTime()).append("</login-time><in-rpcs>")
                .append(s.counters().inRpcs).append("</in-rpcs><in-bad-rpcs>").append(s.counters().inBadRpcs)
                .append("</in-bad-rpcs><out-rpc-errors>").append(s.counters().outRpcErrors)
                .append("</out-rpc-errors><out-notifications>").append(s.counters().outNotifications.get())
                .append("</out-notifications></session>");
        }
        x.append("</sessions><statistics><netconf-start-time>").append(stats.startTime)
            .append("</netconf-start-time><in-bad-hellos>").append(stats.inBadHellos.get())
            .append("</in-bad-hellos><in-sessions>").append(stats.inSessions.get())
            .append("</in-sessions><dropped-sessions>").append(stats.droppedSessions.get())
            .append("</dropped-sessions><in-rpcs>").append(stats.inRpcs.get()).append("</in-rpcs><in-bad-rpcs>")
            .append(stats.inBadRpcs.get()).append("</in-bad-rpcs><out-rpc-errors>")
            .append(stats.outRpcErrors.get()).append("</out-rpc-errors><out-notifications>")
            .append(stats.outNotifications.get()).append("</out-notifications>")
            .append("</statistics></netconf-state>");
        return x.toString();
    }

    static final String YANG_LIBRARY_NS = "urn:ietf:params:xml:ns:yang:ietf-yang-library";
    static final String DATASTORES_NS = "urn:ietf:params:xml:ns:yang:ietf-datastores";

    /**
     * A content-id for the yang-library (RFC 8525 §3): it changes exactly when the set of modules does, since
     * it is a digest of their names, revisions and namespaces.
     */
    String contentId() {
        final var text = new StringBuilder();
        modules().forEach(m -> text.append(m.getName()).append('@').append(m.getRevision().map(Object::toString)
            .orElse("")).append(' ').append(m.getNamespace()).append('\n'));
        try {
            final var digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code /yang-library} (RFC 8525): one module set with every module of the schema, one schema, and our
     * three datastores all using it. Every module is listed as implemented (the schema does not tell
     * import-only modules apart) with the features we support; deviations: we have none.
     */
    String yangLibrary() {
        final var x = new StringBuilder(4096);
        x.append("<yang-library xmlns=\"").append(YANG_LIBRARY_NS).append("\" xmlns:ds=\"").append(DATASTORES_NS)
            .append("\"><module-set><name>all</name>");
        for (var m : modules()) {
            x.append("<module><name>").append(esc(m.getName())).append("</name>");
            m.getRevision().ifPresent(r -> x.append("<revision>").append(r).append("</revision>"));
            x.append("<namespace>").append(esc(m.getNamespace().toString())).append("</namespace>");
            // the same features the hello's module capability names (ietf-netconf's follow the protocol capabilities)
            Capabilities.features(m, capabilities).forEach(f -> x.append("<feature>").append(esc(f)).append("</feature>"));
            x.append("</module>");
        }
        x.append("</module-set><schema><name>all</name><module-set>all</module-set></schema>");
        for (var ds : org.cevpn.netconf.datastore.Datastore.values()) {
            x.append("<datastore><name>ds:").append(ds.xmlName()).append("</name><schema>all</schema></datastore>");
        }
        x.append("<content-id>").append(contentId()).append("</content-id></yang-library>");
        return x.toString();
    }

    /** get-schema (RFC 6022 §3.1): the YANG text of a module by name and optional revision. */
    String getSchema(final String identifier, final String version, final String format) throws RpcException {
        if (format != null && !format.strip().endsWith("yang")) {
            throw RpcException.protocol(ErrorTag.INVALID_VALUE, "only the yang format is available");
        }
        final var matches = modules().stream().filter(m -> m.getName().equals(identifier))
            .filter(m -> version == null || version.isEmpty()
                || m.getRevision().map(Object::toString).orElse("").equals(version))
            .toList();
        if (matches.isEmpty()) {
            throw RpcException.protocol(ErrorTag.INVALID_VALUE, "no such schema");
        }
        if (matches.size() > 1) {
            // RFC 6022 §3.1: several versions and none named is an error with error-app-tag data-not-unique.
            throw new RpcException(new org.cevpn.netconf.RpcError(org.cevpn.netconf.ErrorType.PROTOCOL,
                ErrorTag.OPERATION_FAILED, org.cevpn.netconf.ErrorSeverity.ERROR, "data-not-unique", null,
                "several versions of this schema: give <version>", List.of()));
        }
        final var module = matches.get(0);
        final var effective = module.asEffectiveStatement();
        final var text = new StringBuilder();
        DeclaredStatementFormatter.defaultInstance().toYangTextSnippet(effective, effective.getDeclared())
            .forEach(text::append);
        return "<data xmlns=\"" + Capabilities.MONITORING_NS + "\">" + esc(text.toString()) + "</data>";
    }

    private List<? extends Module> modules() {
        return schema.context().getModules().stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList();
    }

    static String esc(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

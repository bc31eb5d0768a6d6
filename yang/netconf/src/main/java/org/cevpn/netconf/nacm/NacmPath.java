package org.cevpn.netconf.nacm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;

/**
 * The {@code path} of a data-node rule (RFC 8341 {@code node-instance-identifier}): an absolute path of
 * data node names, each optionally with {@code [key='value']} predicates. It matches the node it names and
 * every descendant; "/" matches all data.
 *
 * <p>Prefixes: the datastore keeps the path as a string, so the XML prefix bindings of the edit that wrote it
 * are gone. A prefix is therefore resolved as a module's own YANG prefix or as a module name (the JSON form);
 * an unprefixed name belongs to the module of the step before it (or, first, to the rule's module-name).
 */
public record NacmPath(List<Step> steps) {
    /** One step: a data node name and the key (or leaf-list value, under ".") predicates it requires. */
    public record Step(QName name, Map<String, String> predicates) {
        public Step {
            predicates = Map.copyOf(predicates);
        }
    }

    public NacmPath {
        steps = List.copyOf(steps);
    }

    /** Parses a path; throws IllegalArgumentException naming what is wrong (never the predicate values). */
    public static NacmPath parse(final String text, final String ruleModule, final YangSchema schema) {
        final var s = text.trim();
        if (s.equals("/")) {
            return new NacmPath(List.of());
        }
        if (!s.startsWith("/")) {
            throw new IllegalArgumentException("path is not absolute");
        }
        final var steps = new ArrayList<Step>();
        QNameModule current = schema.moduleByName(ruleModule).map(m -> m.getQNameModule()).orElse(null);
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) != '/') {
                throw new IllegalArgumentException("expected '/' at offset " + i);
            }
            i++;
            int start = i;
            while (i < s.length() && s.charAt(i) != '/' && s.charAt(i) != '[') {
                i++;
            }
            final var name = s.substring(start, i).trim();
            final int colon = name.indexOf(':');
            if (colon >= 0) {
                current = resolve(name.substring(0, colon), schema);
            }
            if (current == null) {
                throw new IllegalArgumentException("step '" + name + "' has no module");
            }
            final var localName = colon >= 0 ? name.substring(colon + 1) : name;
            if (localName.isEmpty()) {
                throw new IllegalArgumentException("empty step");
            }
            final var predicates = new LinkedHashMap<String, String>();
            while (i < s.length() && s.charAt(i) == '[') {
                final int eq = s.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException("predicate without '='");
                }
                var key = s.substring(i + 1, eq).trim();
                key = key.substring(key.indexOf(':') + 1);
                int q = eq + 1;
                while (q < s.length() && Character.isWhitespace(s.charAt(q))) {
                    q++;
                }
                if (q >= s.length() || (s.charAt(q) != '\'' && s.charAt(q) != '"')) {
                    throw new IllegalArgumentException("predicate value is not quoted");
                }
                final int close = s.indexOf(s.charAt(q), q + 1);
                final int end = close < 0 ? -1 : s.indexOf(']', close);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated predicate");
                }
                predicates.put(key, s.substring(q + 1, close));
                i = end + 1;
            }
            steps.add(new Step(QName.create(current, localName), predicates));
        }
        return new NacmPath(steps);
    }

    private static QNameModule resolve(final String prefix, final YangSchema schema) {
        final var byName = schema.moduleByName(prefix);
        if (byName.isPresent()) {
            return byName.orElseThrow().getQNameModule();
        }
        return schema.context().getModules().stream().filter(m -> m.getPrefix().equals(prefix))
            .map(m -> m.getQNameModule()).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown prefix '" + prefix + "'"));
    }

    /** True when this path names {@code node} or one of its ancestors. */
    boolean matches(final List<DataStep> node) {
        if (steps.size() > node.size()) {
            return false;
        }
        for (int i = 0; i < steps.size(); i++) {
            final var want = steps.get(i);
            final var have = node.get(i);
            if (!want.name().getLocalName().equals(have.name().getLocalName())
                    || !want.name().getNamespace().equals(have.name().getNamespace())) {
                return false;
            }
            for (var predicate : want.predicates().entrySet()) {
                final Object actual = predicate.getKey().equals(".") ? have.value()
                    : have.keys().entrySet().stream().filter(k -> k.getKey().getLocalName().equals(predicate.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                if (actual == null || !valueText(actual).equals(predicate.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Key values compare by their XML text; identityref values by local name (the prefix is the writer's). */
    private static String valueText(final Object value) {
        return value instanceof QName q ? q.getLocalName() : String.valueOf(value);
    }
}

package org.cevpn.netconf.validation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodecFactory;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodecFactorySupplier;
import org.opendaylight.yangtools.yang.data.codec.xml.XmlCodecFactory;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.Module;

/**
 * A loaded YANG schema: the EffectiveModelContext with the codecs built for it and the module lookups the
 * validator needs (namespace to module, module to a prefix that is unique within this schema).
 */
public final class YangSchema {
    private final EffectiveModelContext context;
    private final XmlCodecFactory xmlCodecs;
    private final JSONCodecFactory jsonCodecs;
    private final Map<String, Module> moduleByNamespace = new HashMap<>();
    private final Map<String, Module> moduleByName = new HashMap<>();
    private final Map<QNameModule, String> prefixByModule = new HashMap<>();
    private final Map<String, String> namespaceByPrefix = new HashMap<>();

    public YangSchema(final EffectiveModelContext context) {
        this.context = context;
        xmlCodecs = XmlCodecFactory.create(context);
        jsonCodecs = JSONCodecFactorySupplier.RFC7951.getShared(context);
        for (var module : context.getModules()) {
            final var ns = module.getNamespace().toString();
            final var known = moduleByNamespace.get(ns);
            // Several revisions of one module: the newest one describes the data.
            if (known == null || known.getRevision().map(r -> module.getRevision().map(r2 -> r2.compareTo(r) > 0)
                    .orElse(false)).orElse(true)) {
                moduleByNamespace.put(ns, module);
                moduleByName.put(module.getName(), module);
            }
        }
        // Each module's own prefix, made unique across the schema (two modules may both call themselves "t").
        moduleByNamespace.values().stream().sorted((a, b) -> a.getName().compareTo(b.getName())).forEach(module -> {
            var prefix = module.getPrefix();
            for (int n = 2; namespaceByPrefix.containsKey(prefix); n++) {
                prefix = module.getPrefix() + n;
            }
            namespaceByPrefix.put(prefix, module.getNamespace().toString());
            prefixByModule.put(module.getQNameModule(), prefix);
        });
    }

    public EffectiveModelContext context() {
        return context;
    }

    public XmlCodecFactory xmlCodecs() {
        return xmlCodecs;
    }

    public JSONCodecFactory jsonCodecs() {
        return jsonCodecs;
    }

    public Optional<Module> moduleByNamespace(final String namespace) {
        return Optional.ofNullable(moduleByNamespace.get(namespace));
    }

    public Optional<Module> moduleByName(final String name) {
        return Optional.ofNullable(moduleByName.get(name));
    }

    /** The schema-unique prefix for a module's namespace (its own YANG prefix unless that clashes). */
    public String prefixOf(final String namespace) {
        final var module = moduleByNamespace.get(namespace);
        final var prefix = module == null ? null : prefixByModule.get(module.getQNameModule());
        if (prefix == null) {
            throw new IllegalArgumentException("namespace not in schema: " + namespace);
        }
        return prefix;
    }

    /** Schema-unique prefix to namespace, for every module. */
    public Map<String, String> globalPrefixes() {
        return Map.copyOf(namespaceByPrefix);
    }
}

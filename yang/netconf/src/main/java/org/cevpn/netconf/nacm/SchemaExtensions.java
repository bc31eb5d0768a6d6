package org.cevpn.netconf.nacm;

import org.opendaylight.yangtools.yang.model.api.meta.EffectiveStatement;

/**
 * Reads NACM's YANG extensions off schema nodes (RFC 8341 §3.1.3). Looked up by the extension's name and
 * namespace. yangtools 14 has statement support only for the 2012 (RFC 6536) revision of ietf-netconf-acm;
 * with the 2018 revision our models import, the extension is an unrecognized statement that only the declared
 * model keeps, so both the effective and the declared substatements are searched.
 */
final class SchemaExtensions {
    static final String DEFAULT_DENY_ALL = "default-deny-all";
    static final String DEFAULT_DENY_WRITE = "default-deny-write";

    private SchemaExtensions() {
    }

    static boolean has(final Object schemaNode, final String extension) {
        if (!(schemaNode instanceof EffectiveStatement<?, ?> statement)) {
            return false;
        }
        for (var sub : statement.effectiveSubstatements()) {
            final var name = sub.statementDefinition().getStatementName();
            if (extension.equals(name.getLocalName()) && NacmConfig.NAMESPACE.equals(name.getNamespace().toString())) {
                return true;
            }
        }
        final var declared = statement.getDeclared();
        if (declared != null) {
            for (var sub : declared.declaredSubstatements()) {
                if (matches(sub.statementDefinition().getStatementName(), extension)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(final org.opendaylight.yangtools.yang.common.QName name, final String extension) {
        return extension.equals(name.getLocalName()) && NacmConfig.NAMESPACE.equals(name.getNamespace().toString());
    }
}

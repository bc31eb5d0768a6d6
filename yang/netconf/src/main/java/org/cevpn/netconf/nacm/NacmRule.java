package org.cevpn.netconf.nacm;

import java.util.Set;

/**
 * One {@code rule} of a rule-list (RFC 8341 §3.2.4.2).
 *
 * @param name       rule name (for logs)
 * @param moduleName module the rule is about, or "*"
 * @param target     rpc / notification / data-node target, or {@link RuleTarget.Any}
 * @param operations access operations the rule covers
 * @param permit     action: true for permit, false for deny
 */
public record NacmRule(String name, String moduleName, RuleTarget target, Set<AccessOperation> operations,
        boolean permit) {
    public NacmRule {
        operations = Set.copyOf(operations);
    }

    boolean coversModule(final String module) {
        return "*".equals(moduleName) || moduleName.equals(module);
    }
}

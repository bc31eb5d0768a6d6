package org.cevpn.netconf.nacm;

import java.util.List;
import java.util.Set;

/** One {@code rule-list}: the groups it applies to ("*" for all) and its rules in order (RFC 8341 §3.2.4.1). */
public record RuleList(String name, Set<String> groups, List<NacmRule> rules) {
    public RuleList {
        groups = Set.copyOf(groups);
        rules = List.copyOf(rules);
    }

    boolean appliesTo(final Set<String> userGroups) {
        return groups.contains("*") || userGroups.stream().anyMatch(groups::contains);
    }
}

package org.cevpn.netconf.nacm;

import java.util.Objects;
import java.util.Set;

/**
 * The user a NETCONF session runs as (RFC 8341 §2.4: the SSH user name), with the groups its transport
 * reported (RFC 8341 §2.5 "external groups"; used only when {@code enable-external-groups} is true).
 */
public record NacmUser(String name, Set<String> externalGroups) {
    public NacmUser {
        Objects.requireNonNull(name);
        externalGroups = Set.copyOf(externalGroups);
    }

    public static NacmUser of(final String name) {
        return new NacmUser(name, Set.of());
    }
}

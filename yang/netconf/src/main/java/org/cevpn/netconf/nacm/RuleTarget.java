package org.cevpn.netconf.nacm;

/** What a NACM rule applies to: the {@code rule-type} choice of RFC 8341 §3.2.4.2 (absent: everything). */
public sealed interface RuleTarget {
    /** No rule-type: the rule matches every operation, notification and data node of its module. */
    record Any() implements RuleTarget {
    }

    /** {@code rpc-name}: one protocol operation by name, or "*" for all. */
    record Rpc(String name) implements RuleTarget {
    }

    /** {@code notification-name}: one notification by name, or "*" for all. */
    record Notification(String name) implements RuleTarget {
    }

    /** {@code path}: a data node and its descendants. */
    record DataNode(NacmPath path) implements RuleTarget {
    }
}

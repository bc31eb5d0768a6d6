package org.cevpn.agent.reconcile;

import java.net.InetAddress;

/**
 * The notifications of cevpn-ce-device a CE sends (tunnel-up, tunnel-down, negotiation-alarm, configuration-applied,
 * configuration-rejected).
 */
public sealed interface AgentNotification {
    record TunnelUp(InetAddress peer, String peerCeId, String vpnId, String ipsecMode) implements AgentNotification {
    }

    /** @param reason a cvt:tunnel-down-reason enum name */
    record TunnelDown(InetAddress peer, String peerCeId, String vpnId, String reason, String detail)
            implements AgentNotification {
    }

    /** @param severity a cvt:alarm-severity enum name: "major" when raised, "cleared" when cleared */
    record NegotiationAlarm(InetAddress peer, String peerCeId, String severity, int failureCount, String text)
            implements AgentNotification {
    }

    record ConfigurationApplied(long configurationVersion, String source) implements AgentNotification {
    }

    /** A VPN configuration the CE refused (a pulled one that failed validation); the values are the first rpc-error's. */
    record ConfigurationRejected(java.util.Optional<Long> configurationVersion, String errorTag,
                                 java.util.Optional<String> errorAppTag, java.util.Optional<String> errorPath,
                                 String errorMessage) implements AgentNotification {
    }
}

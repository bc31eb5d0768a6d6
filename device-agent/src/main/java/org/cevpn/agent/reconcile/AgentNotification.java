package org.cevpn.agent.reconcile;

import java.net.InetAddress;

/** The notifications of cevpn-ce-device a CE sends (tunnel-up, tunnel-down, negotiation-alarm, configuration-applied). */
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
}

package org.cevpn.agent.config;

import java.net.InetAddress;
import java.time.Duration;

/**
 * What the CE is provisioned with before it joins a VPN (draft §3.2) that the tunnel machinery needs: its
 * SP-space address (source of IKE and of its tunnels) and the timers of §3.4 and §3.5. The VPN server's
 * location and the client key are the pull client's business and are not read here.
 *
 * @param minRetryWait     the wait after a failed negotiation before the first retry
 * @param retryInterval    t1: the wait after the next failure, doubled after every further failure
 * @param backoffLimit     the longest wait between retries
 * @param alarmThreshold   consecutive failures after which the negotiation alarm is raised
 * @param livenessInterval idle time before a liveness check; {@link Duration#ZERO}: off
 */
public record PreConfiguration(InetAddress spAddress, Duration pullInterval, Duration minRetryWait,
                               Duration retryInterval, Duration backoffLimit, int alarmThreshold,
                               Duration livenessInterval) {
}

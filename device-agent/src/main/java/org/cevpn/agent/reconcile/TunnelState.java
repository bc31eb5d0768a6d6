package org.cevpn.agent.reconcile;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The operational state of the tunnel with one peer, as the engine's events made it: the
 * {@code ike-sa} and {@code child-sa} containers of cevpn-ce-device. Immutable; replaced on every change.
 *
 * @param state a cvt:ike-sa-state enum name (idle, connecting, established, backing-off, alarmed)
 */
public record TunnelState(InetAddress peer, String peerCeId, String vpnId, String state, long initiatorSpi,
                          long responderSpi, boolean localInitiator, Optional<Instant> establishedAt, int retryCount,
                          Optional<String> lastError, List<Child> children) {
    public TunnelState {
        children = List.copyOf(children);
    }

    /**
     * A child SA pair; the counters are read from the SAD when state is served. {@code ipsecMode}: the
     * cvt:ipsec-mode name, tunnel or transport-ip-in-ip.
     */
    public record Child(int inboundSpi, int outboundSpi, Instant establishedAt, String ipsecMode) {
    }

    static TunnelState idle(InetAddress peer, String ceId, String vpnId) {
        return new TunnelState(peer, ceId, vpnId, "idle", 0, 0, false, Optional.empty(), 0, Optional.empty(), List.of());
    }

    TunnelState withState(String s) {
        return new TunnelState(peer, peerCeId, vpnId, s, initiatorSpi, responderSpi, localInitiator, establishedAt, retryCount,
                lastError, children);
    }

    TunnelState up(long spiI, long spiR, boolean weInitiated, Instant at) {
        return new TunnelState(peer, peerCeId, vpnId, "established", spiI, spiR, weInitiated, Optional.of(at), 0,
                lastError, children);
    }

    TunnelState down(String s, int retries, Optional<String> error) {
        return new TunnelState(peer, peerCeId, vpnId, s, 0, 0, false, Optional.empty(), retries, error, List.of());
    }

    TunnelState withError(String error) {
        return new TunnelState(peer, peerCeId, vpnId, state, initiatorSpi, responderSpi, localInitiator, establishedAt,
                retryCount, Optional.of(error), children);
    }

    TunnelState withChildren(List<Child> c) {
        return new TunnelState(peer, peerCeId, vpnId, state, initiatorSpi, responderSpi, localInitiator, establishedAt,
                retryCount, lastError, c);
    }
}

package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.cevpn.ipsec.ike.task.ChildSaResult;

/** What the engine tells the rest of the CE (the ESP data plane, the operational state). */
public sealed interface IkeEvent {
    record IkeSaUp(InetAddress peer, long initiatorSpi, long responderSpi, boolean weInitiated) implements IkeEvent {
    }

    /** A child SA to install in the ESP data plane. */
    record ChildSaUp(InetAddress peer, ChildSaResult child) implements IkeEvent {
    }

    /** A child SA to remove from the data plane (deleted by either side, or replaced by a rekey). */
    record ChildSaDown(InetAddress peer, ChildSaResult child) implements IkeEvent {
    }

    /**
     * The IKE SA is gone: deleted, refused, or the peer stopped answering. {@code children} are the
     * child SAs that went with it (none when a rekey had moved them to the new IKE SA).
     */
    record IkeSaDown(InetAddress peer, long initiatorSpi, String reason, List<ChildSaResult> children) implements IkeEvent {
        public IkeSaDown {
            children = List.copyOf(children);
        }
    }

    /** An exchange we started was refused or failed; the IKE SA stays (e.g. a child rekey refused). */
    record ExchangeFailed(InetAddress peer, String reason) implements IkeEvent {
    }

    /** The peer answered our liveness check (RFC 7296 §2.4). */
    record PeerAlive(InetAddress peer) implements IkeEvent {
    }

    /**
     * The IKE SA {@code oldInitiatorSpi} was replaced by a rekey (either side's); an {@link IkeSaUp}
     * for the new one came just before. The child SAs moved over and are not reported again.
     */
    record IkeSaRekeyed(InetAddress peer, long oldInitiatorSpi, long newInitiatorSpi, long newResponderSpi) implements IkeEvent {
    }

    /**
     * A child SA was rekeyed (either side's CREATE_CHILD_SA with REKEY_SA): {@code replacement} is
     * up (its {@link ChildSaUp} came just before); {@code old} goes down when its delete completes.
     */
    record ChildSaRekeyed(InetAddress peer, ChildSaResult old, ChildSaResult replacement) implements IkeEvent {
    }

    /**
     * IKE_AUTH failed on authentication: the peer's AUTH did not verify or its identity is not the
     * configured one, or the peer refused ours (AUTHENTICATION_FAILED). No IKE SA results.
     */
    record AuthenticationFailed(InetAddress peer, String reason) implements IkeEvent {
    }

    /**
     * Someone who is not a configured peer tried to set up an IKE SA with us: the draft's trigger
     * (§3.5) for a CE to pull its configuration from the VPN server, since a new site may have been
     * added. Reported at most once per address per {@link IkeEngine#UNKNOWN_PEER_REPORT_INTERVAL}.
     */
    record UnknownPeer(InetSocketAddress from, String reason) implements IkeEvent {
    }

    /**
     * Negotiation with a peer failed so often that the backoff reached its configured limit
     * (draft §3.4): human interaction is needed. Retries continue at the limit's pace.
     */
    record Alarm(InetAddress peer, int failures, String lastReason) implements IkeEvent {
    }
}

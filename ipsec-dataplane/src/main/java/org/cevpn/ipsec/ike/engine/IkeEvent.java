package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
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
}

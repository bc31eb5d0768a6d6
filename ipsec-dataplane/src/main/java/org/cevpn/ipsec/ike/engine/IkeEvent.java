package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import org.cevpn.ipsec.ike.task.ChildSaResult;

/** What the engine tells the rest of the CE (the ESP data plane, the operational state). */
public sealed interface IkeEvent {
    record IkeSaUp(InetAddress peer, long initiatorSpi, long responderSpi, boolean weInitiated) implements IkeEvent {
    }

    /** A child SA to install in the ESP data plane. */
    record ChildSaUp(InetAddress peer, ChildSaResult child) implements IkeEvent {
    }

    /** The IKE SA (and its child SAs) is gone: deleted, refused, or the peer stopped answering. */
    record IkeSaDown(InetAddress peer, long initiatorSpi, String reason) implements IkeEvent {
    }
}

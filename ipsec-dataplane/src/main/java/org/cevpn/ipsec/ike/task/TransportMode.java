package org.cevpn.ipsec.ike.task;

import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Payload;

/**
 * The USE_TRANSPORT_MODE rule both child SA exchanges share (RFC 7296 §1.3.1). A responder may decline
 * transport mode and answer with a tunnel-mode SA; this engine is stricter in one direction only: a
 * child configured for transport mode (IP-in-IP between the CE addresses, RFC 3884) is never set up in
 * tunnel mode, because its selectors (protocol 4 between two hosts) would then mean something else to
 * the two sides.
 */
final class TransportMode {
    private TransportMode() {
    }

    /** Responder: whether the request's mode is one our configuration accepts. */
    static boolean agreed(ChildSaConfig config, List<Payload> request) {
        // Transport requested but tunnel configured: we answer without the notify, i.e. tunnel mode (allowed).
        return !config.transportMode() || requested(request);
    }

    /** Initiator: the response's mode against what we asked for; empty when they agree. */
    static Optional<String> check(ChildSaConfig config, List<Payload> response) {
        boolean answered = requested(response);
        if (config.transportMode() && !answered) {
            return Optional.of("responder declined transport mode (no USE_TRANSPORT_MODE in its answer)");
        }
        if (!config.transportMode() && answered) {
            return Optional.of("responder answered USE_TRANSPORT_MODE, which we did not ask for");
        }
        return Optional.empty();
    }

    private static boolean requested(List<Payload> payloads) {
        return payloads.stream().anyMatch(p -> p instanceof Payload.Notify n && n.is(NotifyType.USE_TRANSPORT_MODE));
    }
}

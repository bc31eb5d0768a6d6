package org.cevpn.ipsec.ike.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.ProtocolId;

/**
 * INFORMATIONAL exchanges (RFC 7296 §1.4): deleting child SAs or the IKE SA, and the empty
 * liveness check (§2.4: a peer that answers is alive). Requests are built here; a received
 * request is answered here; what the answers mean for the SA tables is the caller's to apply.
 */
public final class Informational {
    private Informational() {
    }

    /** An empty INFORMATIONAL request: the liveness check. */
    public static List<Payload> liveness() {
        return List.of();
    }

    public static List<Payload> deleteIkeSa() {
        return List.of(Payload.Delete.ikeSa());
    }

    /** Deletes child SAs, named by our inbound SPIs (§3.11: the SPI the receiver sends to). */
    public static List<Payload> deleteChildSas(List<Integer> inboundSpis) {
        return List.of(new Payload.Delete(ProtocolId.ESP.value(), 4, inboundSpis.stream().map(Informational::octets).toList()));
    }

    /**
     * The answer to a received INFORMATIONAL request.
     *
     * @param response         the inner payloads to send back
     * @param deleteIkeSa      the peer deletes the IKE SA (and with it every child SA)
     * @param deletedChildren  our child SAs the peer deleted; we delete their inbound half too,
     *                         and the response says so (§1.4.1)
     * @param errors           error notifies the peer sent (e.g. AUTHENTICATION_FAILED after IKE_AUTH)
     */
    public record Answer(List<Payload> response, boolean deleteIkeSa, List<ChildSaResult> deletedChildren,
                         List<NotifyType> errors) {
    }

    /** @param childByOutboundSpi our child SAs by the SPI we send to, which is what the peer's Delete names */
    public static Answer respond(List<Payload> request, IntFunction<Optional<ChildSaResult>> childByOutboundSpi) {
        boolean deleteIke = false;
        List<ChildSaResult> deleted = new ArrayList<>();
        List<NotifyType> errors = new ArrayList<>();
        for (Payload p : request) {
            switch (p) {
                case Payload.Delete d when d.protocolId() == ProtocolId.IKE.value() -> deleteIke = true;
                case Payload.Delete d when d.protocolId() == ProtocolId.ESP.value() -> {
                    for (Octets spi : d.spis()) {
                        childByOutboundSpi.apply(value(spi)).filter(c -> !deleted.contains(c)).ifPresent(deleted::add);
                    }
                }
                case Payload.Notify n when n.isError() -> NotifyType.of(n.notifyType()).ifPresent(errors::add);
                default -> {
                    // other payloads (AH deletes, status notifies) need no answer
                }
            }
        }
        if (deleteIke) {
            // §1.4.1: the IKE SA goes with an empty response; child SAs go with it.
            return new Answer(List.of(), true, List.of(), errors);
        }
        List<Payload> response = deleted.isEmpty() ? List.of()
                : deleteChildSas(deleted.stream().map(ChildSaResult::inboundSpi).toList());
        return new Answer(response, false, List.copyOf(deleted), errors);
    }

    /** Our child SAs the peer's response to our Delete named (by the SPIs we send to). */
    public static List<Integer> deletedByPeer(List<Payload> response) {
        List<Integer> out = new ArrayList<>();
        for (Payload p : response) {
            if (p instanceof Payload.Delete d && d.protocolId() == ProtocolId.ESP.value()) {
                d.spis().forEach(s -> out.add(value(s)));
            }
        }
        return out;
    }

    private static Octets octets(int spi) {
        return Octets.copyOf(new byte[] {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi});
    }

    private static int value(Octets s) {
        return (s.get(0) & 0xff) << 24 | (s.get(1) & 0xff) << 16 | (s.get(2) & 0xff) << 8 | s.get(3) & 0xff;
    }
}

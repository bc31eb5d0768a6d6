package org.cevpn.ipsec.ike.task;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.message.TransformType;

/**
 * SA proposal selection (RFC 7296 §2.7, §3.3.6): the responder takes the first of the peer's
 * proposals that one of its own proposals can match, one transform of each type, in the peer's
 * order of preference; the initiator checks the responder's answer is one of its offers.
 * Transforms match with their attributes (an AES transform only with the same key length).
 */
public final class ProposalSelector {
    private ProposalSelector() {
    }

    /**
     * The chosen proposal, numbered as the peer numbered it, or empty (NO_PROPOSAL_CHOSEN).
     *
     * @param preferredGroup if the DH transforms leave a choice that includes this group (the one
     *                       the initiator's KE payload already uses), take it: that avoids an
     *                       INVALID_KE_PAYLOAD round trip
     */
    public static Optional<Proposal> select(List<Proposal> offered, List<Proposal> acceptable, int protocolId,
                                            int preferredGroup) {
        for (Proposal offer : offered) {
            if (offer.protocolId() != protocolId || hasUnknownTransformType(offer)) {
                continue; // RFC 7296 §3.3.6: a proposal with a transform type we do not know is skipped
            }
            for (Proposal mine : acceptable) {
                Optional<List<Transform>> match = match(offer, mine, preferredGroup);
                if (match.isPresent()) {
                    return Optional.of(new Proposal(offer.number(), offer.protocolId(), offer.spi(), match.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** True if {@code answer} (one transform per type) is a valid choice from {@code offered}. */
    public static boolean isValidChoice(Proposal answer, List<Proposal> offered) {
        for (Proposal offer : offered) {
            if (offer.number() != answer.number() || offer.protocolId() != answer.protocolId()) {
                continue;
            }
            Set<Integer> seen = new java.util.HashSet<>();
            for (Transform t : answer.transforms()) {
                if (!seen.add(t.type()) || !offer.transforms().contains(t)) {
                    return false;
                }
            }
            // Every type the offer contains must be answered (ESN, DH, ...), nothing more.
            return offer.transforms().stream().map(Transform::type).distinct().count() == seen.size();
        }
        return false;
    }

    /**
     * The proposals without their DH transforms: the first child SA rides in IKE_AUTH, which has no
     * KE payload, so PFS groups configured for later rekeys are left out there (RFC 7296 §1.2).
     */
    public static List<Proposal> withoutKeyExchange(List<Proposal> proposals) {
        return proposals.stream().map(p -> new Proposal(p.number(), p.protocolId(), p.spi(),
                p.transforms().stream().filter(t -> !t.is(TransformType.KEY_EXCHANGE)).toList())).toList();
    }

    private static Optional<List<Transform>> match(Proposal offer, Proposal mine, int preferredGroup) {
        Set<TransformType> types = EnumSet.noneOf(TransformType.class);
        for (Transform t : offer.transforms()) {
            types.add(TransformType.of(t.type()).orElseThrow());
        }
        Set<TransformType> mineTypes = EnumSet.noneOf(TransformType.class);
        for (Transform t : mine.transforms()) {
            TransformType.of(t.type()).ifPresent(mineTypes::add);
        }
        if (!types.equals(mineTypes)) {
            return Optional.empty();
        }
        List<Transform> chosen = new ArrayList<>();
        for (TransformType type : types) {
            List<Transform> candidates = offer.transforms(type).stream()
                    .filter(mine.transforms(type)::contains)
                    .toList();
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            Transform pick = candidates.getFirst();
            if (type == TransformType.KEY_EXCHANGE) {
                pick = candidates.stream().filter(t -> t.id() == preferredGroup).findFirst().orElse(pick);
            }
            chosen.add(pick);
        }
        return Optional.of(chosen);
    }

    private static boolean hasUnknownTransformType(Proposal p) {
        return p.transforms().stream().anyMatch(t -> TransformType.of(t.type()).isEmpty());
    }
}

package org.cevpn.ipsec.ike.task;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.crypto.ChildSaKeys;
import org.cevpn.ipsec.ike.crypto.KeyDerivation;
import org.cevpn.ipsec.ike.crypto.KeyLengths;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.TrafficSelector;

/**
 * The responder's IKE_AUTH task: checks the initiator's identity and AUTH (answering
 * AUTHENTICATION_FAILED for a wrong key, a bad signature or a peer we do not expect, §2.21.2),
 * then the first child SA: ESP proposal selection (NO_PROPOSAL_CHOSEN) and traffic selector
 * narrowing (TS_UNACCEPTABLE), which fail the child but not the IKE SA. Works on decrypted inner
 * payloads. Not thread-safe.
 */
public final class IkeAuthResponder {
    private final IkeInitResult init;
    private final IkeAuthConfig config;
    private final SecureRandom random;

    public sealed interface Outcome {
        /** Send {@code response}; the IKE SA is up, with the child SA or with {@code childError}. */
        record Established(List<Payload> response, Identity peer, Optional<ChildSaResult> child,
                           Optional<NotifyType> childError, boolean peerInitialContact) implements Outcome {
        }

        /** Send {@code response} (just the error notify); the IKE SA is gone. */
        record Refused(List<Payload> response, NotifyType error, String reason) implements Outcome {
        }
    }

    public IkeAuthResponder(IkeInitResult init, IkeAuthConfig config, SecureRandom random) {
        this.init = init;
        this.config = config;
        this.random = random;
    }

    /** @param inboundSpi our ESP SPI for the child SA, should there be one; unique, not 0 */
    public Outcome onRequest(List<Payload> inner, int inboundSpi) {
        Optional<String> bad = AuthExchange.verify(init, config, inner, true);
        if (bad.isPresent()) {
            return new Outcome.Refused(List.of(Payload.Notify.of(NotifyType.AUTHENTICATION_FAILED)),
                    NotifyType.AUTHENTICATION_FAILED, bad.get());
        }
        boolean initialContact = inner.stream().anyMatch(p -> p instanceof Payload.Notify n && n.is(NotifyType.INITIAL_CONTACT));
        List<Payload> response = new ArrayList<>(AuthExchange.identify(init, config, false, random));
        Optional<Payload.SecurityAssociation> sa = inner.stream().filter(p -> p instanceof Payload.SecurityAssociation)
                .map(Payload.SecurityAssociation.class::cast).findFirst();
        if (sa.isEmpty()) {
            // RFC 6023 childless initiation: an IKE SA without a child is fine.
            return new Outcome.Established(response, config.remote(), Optional.empty(), Optional.empty(), initialContact);
        }
        List<Proposal> offered = ProposalSelector.withoutKeyExchange(
                sa.get().proposals().stream().filter(p -> p.spi().length() == 4).toList());
        Optional<Proposal> chosen = ProposalSelector.select(offered,
                ProposalSelector.withoutKeyExchange(config.child().proposals()), ProtocolId.ESP.value(), -1);
        if (chosen.isEmpty() || !TransportMode.agreed(config.child(), inner)) {
            return childRefused(response, NotifyType.NO_PROPOSAL_CHOSEN, initialContact);
        }
        List<TrafficSelector> tsi = TrafficSelectorMath.narrow(IkeAuthInitiator.selectors(inner, true), config.child().remote());
        List<TrafficSelector> tsr = TrafficSelectorMath.narrow(IkeAuthInitiator.selectors(inner, false), config.child().local());
        if (tsi.isEmpty() || tsr.isEmpty()) {
            return childRefused(response, NotifyType.TS_UNACCEPTABLE, initialContact);
        }
        if (inboundSpi == 0) {
            throw new IllegalArgumentException("SPI 0 is reserved");
        }
        Proposal peers = chosen.get();
        int outboundSpi = (peers.spi().get(0) & 0xff) << 24 | (peers.spi().get(1) & 0xff) << 16
                | (peers.spi().get(2) & 0xff) << 8 | peers.spi().get(3) & 0xff;
        Octets ours = Octets.copyOf(new byte[] {(byte) (inboundSpi >>> 24), (byte) (inboundSpi >>> 16),
                (byte) (inboundSpi >>> 8), (byte) inboundSpi});
        Proposal answer = new Proposal(peers.number(), peers.protocolId(), ours, peers.transforms());
        if (config.child().transportMode()) {
            response.add(Payload.Notify.of(NotifyType.USE_TRANSPORT_MODE));
        }
        response.add(new Payload.SecurityAssociation(List.of(answer)));
        response.add(new Payload.TrafficSelectors(true, tsi));
        response.add(new Payload.TrafficSelectors(false, tsr));
        ChildSaKeys keys = KeyDerivation.childSaKeys(init.prf(), init.keys().skD(), null,
                init.initiatorNonce().toByteArray(), init.responderNonce().toByteArray(), KeyLengths.forChild(answer));
        ChildSaResult child = new ChildSaResult(answer, inboundSpi, outboundSpi, keys, false, tsr, tsi,
                config.child().transportMode());
        return new Outcome.Established(response, config.remote(), Optional.of(child), Optional.empty(), initialContact);
    }

    private Outcome childRefused(List<Payload> response, NotifyType error, boolean initialContact) {
        response.add(Payload.Notify.of(error));
        return new Outcome.Established(response, config.remote(), Optional.empty(), Optional.of(error), initialContact);
    }
}

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
 * The initiator's IKE_AUTH task (RFC 7296 §1.2, §2.15, §2.17): our identity and AUTH with the
 * first child SA in the request; the responder's identity, AUTH and child SA checked in the
 * response. Works on the decrypted inner payloads: protecting, fragmenting and sending them is
 * the caller's ({@link org.cevpn.ipsec.ike.sk.SkProtection}). Not thread-safe.
 */
public final class IkeAuthInitiator {
    private final IkeInitResult init;
    private final IkeAuthConfig config;
    private final int inboundSpi;
    private final SecureRandom random;
    private List<Proposal> offered;
    private boolean finished;

    /** What the response means. */
    public sealed interface Outcome {
        /** IKE SA and child SA are up. */
        record Established(Identity peer, ChildSaResult child) implements Outcome {
        }

        /** The IKE SA is up, the child SA was refused (RFC 7296 §1.2: the IKE SA survives that). */
        record EstablishedWithoutChild(Identity peer, Optional<NotifyType> childError, String reason) implements Outcome {
        }

        /**
         * No IKE SA. {@code peerError} is what the responder said (AUTHENTICATION_FAILED...); when it
         * is empty the fault is the responder's answer, and we tell it with an INFORMATIONAL.
         */
        record Failed(String reason, Optional<NotifyType> peerError) implements Outcome {
        }
    }

    /** @param inboundSpi our ESP SPI for the first child SA (the peer will send to it); unique, not 0 */
    public IkeAuthInitiator(IkeInitResult init, IkeAuthConfig config, int inboundSpi, SecureRandom random) {
        if (inboundSpi == 0) {
            throw new IllegalArgumentException("SPI 0 is reserved");
        }
        this.init = init;
        this.config = config;
        this.inboundSpi = inboundSpi;
        this.random = random;
    }

    /** The inner payloads of the IKE_AUTH request (message id 1). */
    public List<Payload> request() {
        List<Payload> out = new ArrayList<>(AuthExchange.identify(init, config, true, random));
        if (config.initialContact()) {
            out.add(1, Payload.Notify.of(NotifyType.INITIAL_CONTACT));
        }
        if (config.peer() instanceof Credentials.PeerCertificate pc) {
            // Ask for the responder's certificate, naming the CAs we trust (RFC 7296 §3.7).
            out.add(1, new Payload.CertificateRequest(org.cevpn.ipsec.ike.message.CertEncoding.X509_SIGNATURE.value(),
                    Octets.copyOf(pc.validator().authorityHashes())));
        }
        Octets spi = Octets.copyOf(new byte[] {(byte) (inboundSpi >>> 24), (byte) (inboundSpi >>> 16),
                (byte) (inboundSpi >>> 8), (byte) inboundSpi});
        offered = ProposalSelector.withoutKeyExchange(config.child().proposals()).stream()
                .map(p -> new Proposal(p.number(), p.protocolId(), spi, p.transforms())).toList();
        if (config.child().transportMode()) {
            out.add(Payload.Notify.of(NotifyType.USE_TRANSPORT_MODE));
        }
        out.add(new Payload.SecurityAssociation(offered));
        out.add(new Payload.TrafficSelectors(true, config.child().local()));
        out.add(new Payload.TrafficSelectors(false, config.child().remote()));
        return out;
    }

    /** Reads the response; once the exchange has ended, further responses (duplicates) are refused. */
    public Outcome onResponse(List<Payload> inner) {
        if (offered == null) {
            throw new IllegalStateException("no request was built");
        }
        if (finished) {
            return new Outcome.Failed("IKE_AUTH already ended; response ignored", Optional.empty());
        }
        finished = true;
        return judge(inner);
    }

    private Outcome judge(List<Payload> inner) {
        Optional<Payload.Notify> error = inner.stream().filter(p -> p instanceof Payload.Notify n && n.isError())
                .map(Payload.Notify.class::cast).findFirst();
        boolean hasAuth = inner.stream().anyMatch(p -> p instanceof Payload.Authentication);
        if (!hasAuth) {
            Optional<NotifyType> type = error.flatMap(n -> NotifyType.of(n.notifyType()));
            return new Outcome.Failed("responder refused: " + type.map(Enum::name).orElse("no AUTH"), type);
        }
        Optional<String> bad = AuthExchange.verify(init, config, inner, false);
        if (bad.isPresent()) {
            return new Outcome.Failed("responder's AUTH: " + bad.get(), Optional.empty());
        }
        Identity peer = config.remote();
        if (error.isPresent()) {
            Optional<NotifyType> type = NotifyType.of(error.get().notifyType());
            return new Outcome.EstablishedWithoutChild(peer, type, "child SA refused: " + type.map(Enum::name).orElse("?"));
        }
        Optional<Payload.SecurityAssociation> sa = inner.stream().filter(p -> p instanceof Payload.SecurityAssociation)
                .map(Payload.SecurityAssociation.class::cast).findFirst();
        List<TrafficSelector> tsi = selectors(inner, true);
        List<TrafficSelector> tsr = selectors(inner, false);
        if (sa.isEmpty() || tsi.isEmpty() || tsr.isEmpty()) {
            return new Outcome.EstablishedWithoutChild(peer, Optional.empty(), "no child SA in the response");
        }
        Proposal chosen = sa.get().proposals().getFirst();
        if (sa.get().proposals().size() != 1 || chosen.protocolId() != ProtocolId.ESP.value() || chosen.spi().length() != 4
                || !ProposalSelector.isValidChoice(chosen, offered)) {
            return new Outcome.Failed("responder chose an ESP proposal we did not offer: " + sa.get(), Optional.empty());
        }
        if (!TrafficSelectorMath.within(tsi, config.child().local()) || !TrafficSelectorMath.within(tsr, config.child().remote())) {
            return new Outcome.Failed("responder widened the traffic selectors", Optional.empty());
        }
        Optional<String> mode = TransportMode.check(config.child(), inner);
        if (mode.isPresent()) {
            return new Outcome.Failed(mode.get(), Optional.empty());
        }
        int outboundSpi = (chosen.spi().get(0) & 0xff) << 24 | (chosen.spi().get(1) & 0xff) << 16
                | (chosen.spi().get(2) & 0xff) << 8 | chosen.spi().get(3) & 0xff;
        ChildSaKeys keys = KeyDerivation.childSaKeys(init.prf(), init.keys().skD(), null,
                init.initiatorNonce().toByteArray(), init.responderNonce().toByteArray(), KeyLengths.forChild(chosen));
        return new Outcome.Established(peer, new ChildSaResult(chosen, inboundSpi, outboundSpi, keys, true, tsi, tsr,
                config.child().transportMode()));
    }

    static List<TrafficSelector> selectors(List<Payload> inner, boolean initiator) {
        return inner.stream().filter(p -> p instanceof Payload.TrafficSelectors t && t.initiator() == initiator)
                .map(Payload.TrafficSelectors.class::cast).findFirst().map(Payload.TrafficSelectors::selectors).orElse(List.of());
    }
}

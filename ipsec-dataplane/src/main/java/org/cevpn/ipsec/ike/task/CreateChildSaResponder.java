package org.cevpn.ipsec.ike.task;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.cevpn.ipsec.ike.crypto.ChildSaKeys;
import org.cevpn.ipsec.ike.crypto.DiffieHellman;
import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.crypto.InvalidPublicValueException;
import org.cevpn.ipsec.ike.crypto.KeyDerivation;
import org.cevpn.ipsec.ike.crypto.KeyLengths;
import org.cevpn.ipsec.ike.crypto.Prf;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.message.TransformType;

/**
 * The responder's CREATE_CHILD_SA task: a new or rekeyed child SA (REKEY_SA names the SA by the
 * SPI we send to; unknown: CHILD_SA_NOT_FOUND), with PFS when the chosen ESP proposal has a DH
 * group (KE of another group: INVALID_KE_PAYLOAD), or an IKE SA rekey (IKE proposal with the
 * initiator's new SPI and a KE). Errors are answered with one notify (RFC 7296 §1.3). Not
 * thread-safe.
 */
public final class CreateChildSaResponder {
    private final IkeSaKeying ike;
    private final ChildSaConfig child;
    private final List<Proposal> ikeProposals;
    private final SecureRandom random;

    public sealed interface Outcome {
        /** {@code nonces}: this exchange's Ni and Nr, to settle a simultaneous rekey (RFC 7296 §2.8.1). */
        record ChildCreated(List<Payload> response, ChildSaResult child, Optional<ChildSaResult> replaces,
                            RekeyCollision.Exchange nonces) implements Outcome {
        }

        record IkeRekeyed(List<Payload> response, IkeSaKeying replacement, RekeyCollision.Exchange nonces) implements Outcome {
        }

        record Refused(List<Payload> response, NotifyType error, String reason) implements Outcome {
        }
    }

    /**
     * @param child        the child SA policy (ESP proposals with the PFS groups we accept, selectors)
     * @param ikeProposals the IKE proposals we accept for a rekey of the IKE SA
     */
    public CreateChildSaResponder(IkeSaKeying ike, ChildSaConfig child, List<Proposal> ikeProposals, SecureRandom random) {
        this.ike = ike;
        this.child = child;
        this.ikeProposals = List.copyOf(ikeProposals);
        this.random = random;
    }

    /**
     * @param childByOutboundSpi our child SAs by the SPI we send to (for REKEY_SA)
     * @param newChildSpi        our inbound SPI for a new child SA
     * @param newIkeSpi          our SPI for a new IKE SA
     */
    public Outcome onRequest(List<Payload> inner, IntFunction<Optional<ChildSaResult>> childByOutboundSpi,
                             int newChildSpi, long newIkeSpi) {
        Optional<Payload.SecurityAssociation> sa = first(inner, Payload.SecurityAssociation.class);
        Optional<Payload.Nonce> ni = first(inner, Payload.Nonce.class);
        Optional<Payload.KeyExchange> ke = first(inner, Payload.KeyExchange.class);
        if (sa.isEmpty() || ni.isEmpty()) {
            return refuse(NotifyType.INVALID_SYNTAX, Octets.EMPTY, "request lacks SA or Ni");
        }
        boolean ikeRekey = sa.get().proposals().stream().anyMatch(p -> p.protocolId() == ProtocolId.IKE.value());
        int offeredGroup = ke.map(Payload.KeyExchange::dhGroup).orElse(-1);
        List<Proposal> offered = sa.get().proposals().stream()
                .filter(p -> p.spi().length() == (ikeRekey ? 8 : 4)).toList();
        Optional<Proposal> chosen = ProposalSelector.select(offered, ikeRekey ? ikeProposals : child.proposals(),
                ikeRekey ? ProtocolId.IKE.value() : ProtocolId.ESP.value(), offeredGroup);
        if (chosen.isEmpty()) {
            return refuse(NotifyType.NO_PROPOSAL_CHOSEN, Octets.EMPTY, "no acceptable proposal");
        }
        if (!ikeRekey && !TransportMode.agreed(child, inner)) {
            return refuse(NotifyType.NO_PROPOSAL_CHOSEN, Octets.EMPTY, "transport mode required, tunnel mode requested");
        }
        Optional<ChildSaResult> replaces = Optional.empty();
        Optional<Payload.Notify> rekey = inner.stream().filter(p -> p instanceof Payload.Notify n && n.is(NotifyType.REKEY_SA))
                .map(Payload.Notify.class::cast).findFirst();
        if (!ikeRekey && rekey.isPresent()) {
            Octets s = rekey.get().spi();
            if (s.length() != 4) {
                return refuse(NotifyType.INVALID_SYNTAX, Octets.EMPTY, "REKEY_SA without a four-octet SPI");
            }
            replaces = childByOutboundSpi.apply(spiValue(s));
            if (replaces.isEmpty()) {
                return refuse(NotifyType.CHILD_SA_NOT_FOUND, Octets.EMPTY, "REKEY_SA for an unknown child SA");
            }
        }
        List<org.cevpn.ipsec.ike.message.Transform> groups = chosen.get().transforms(TransformType.KEY_EXCHANGE);
        byte[] shared = null;
        DiffieHellman.KeyShare share = null;
        if (!groups.isEmpty()) {
            int group = groups.getFirst().id();
            if (group != offeredGroup) {
                return refuse(NotifyType.INVALID_KE_PAYLOAD, Octets.copyOf(new byte[] {(byte) (group >>> 8), (byte) group}),
                        "KE for group " + offeredGroup + ", chosen group " + group);
            }
            share = DiffieHellman.of(group).orElseThrow(
                    () -> new IllegalStateException("configured DH group " + group + " is not implemented")).generate(random);
            try {
                shared = share.sharedSecret(ke.get().keyData().toByteArray());
            } catch (InvalidPublicValueException e) {
                share.destroy();
                return refuse(NotifyType.INVALID_SYNTAX, Octets.EMPTY, "initiator's KE: " + e.getMessage());
            }
        } else if (ikeRekey) {
            return refuse(NotifyType.INVALID_SYNTAX, Octets.EMPTY, "IKE SA rekey without a DH group");
        }
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        byte[] niBytes = ni.get().data().toByteArray();
        try {
            List<Payload> response = new ArrayList<>();
            if (ikeRekey) {
                Proposal answer = new Proposal(chosen.get().number(), chosen.get().protocolId(),
                        Octets.copyOf(KeyDerivation.spi(newIkeSpi)), chosen.get().transforms());
                response.add(new Payload.SecurityAssociation(List.of(answer)));
                response.add(new Payload.Nonce(Octets.copyOf(nonce)));
                response.add(new Payload.KeyExchange(share.group().value(), Octets.copyOf(share.publicValue())));
                long newSpiI = 0;
                for (int i = 0; i < 8; i++) {
                    newSpiI = newSpiI << 8 | chosen.get().spi().get(i) & 0xff;
                }
                Prf prf = Prf.of(answer.transforms(TransformType.PRF).getFirst().id()).orElseThrow(
                        () -> new IllegalStateException("configured PRF is not implemented"));
                byte[] skeyseed = KeyDerivation.rekeySkeyseed(ike.prf(), ike.keys().skD(), shared, niBytes, nonce);
                IkeSaKeys keys = KeyDerivation.ikeSaKeys(prf, skeyseed, niBytes, nonce, newSpiI, newIkeSpi, KeyLengths.forIke(answer));
                Arrays.fill(skeyseed, (byte) 0);
                return new Outcome.IkeRekeyed(response, new IkeSaKeying(newSpiI, newIkeSpi, answer, prf, keys, false),
                        new RekeyCollision.Exchange(niBytes, nonce));
            }
            List<TrafficSelector> tsi = TrafficSelectorMath.narrow(IkeAuthInitiator.selectors(inner, true), child.remote());
            List<TrafficSelector> tsr = TrafficSelectorMath.narrow(IkeAuthInitiator.selectors(inner, false), child.local());
            if (tsi.isEmpty() || tsr.isEmpty()) {
                return refuse(NotifyType.TS_UNACCEPTABLE, Octets.EMPTY, "no common traffic selectors");
            }
            Proposal answer = new Proposal(chosen.get().number(), chosen.get().protocolId(),
                    Octets.copyOf(new byte[] {(byte) (newChildSpi >>> 24), (byte) (newChildSpi >>> 16),
                            (byte) (newChildSpi >>> 8), (byte) newChildSpi}), chosen.get().transforms());
            if (child.transportMode()) {
                response.add(Payload.Notify.of(NotifyType.USE_TRANSPORT_MODE));
            }
            response.add(new Payload.SecurityAssociation(List.of(answer)));
            response.add(new Payload.Nonce(Octets.copyOf(nonce)));
            if (share != null) {
                response.add(new Payload.KeyExchange(share.group().value(), Octets.copyOf(share.publicValue())));
            }
            response.add(new Payload.TrafficSelectors(true, tsi));
            response.add(new Payload.TrafficSelectors(false, tsr));
            ChildSaKeys keys = KeyDerivation.childSaKeys(ike.prf(), ike.keys().skD(), shared, niBytes, nonce,
                    KeyLengths.forChild(answer));
            ChildSaResult result = new ChildSaResult(answer, newChildSpi, spiValue(chosen.get().spi()), keys, false, tsr, tsi,
                    child.transportMode());
            return new Outcome.ChildCreated(response, result, replaces, new RekeyCollision.Exchange(niBytes, nonce));
        } finally {
            if (share != null) {
                share.destroy();
            }
            if (shared != null) {
                Arrays.fill(shared, (byte) 0);
            }
        }
    }

    private static int spiValue(Octets s) {
        return (s.get(0) & 0xff) << 24 | (s.get(1) & 0xff) << 16 | (s.get(2) & 0xff) << 8 | s.get(3) & 0xff;
    }

    private static <P extends Payload> Optional<P> first(List<Payload> inner, Class<P> type) {
        return inner.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    private static Outcome refuse(NotifyType type, Octets data, String reason) {
        return new Outcome.Refused(List.of(Payload.Notify.of(type, data)), type, reason);
    }
}

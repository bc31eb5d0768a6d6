package org.cevpn.ipsec.ike.task;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.crypto.ChildSaKeys;
import org.cevpn.ipsec.ike.crypto.DiffieHellman;
import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.crypto.InvalidPublicValueException;
import org.cevpn.ipsec.ike.crypto.KeyDerivation;
import org.cevpn.ipsec.ike.crypto.KeyLengths;
import org.cevpn.ipsec.ike.crypto.Prf;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.message.TransformType;

/**
 * The initiator's CREATE_CHILD_SA task (RFC 7296 §1.3): a new child SA, a child SA rekey
 * (REKEY_SA with the old SPI) — both optionally with PFS, i.e. a KE payload and DH transforms in
 * the ESP proposals — or an IKE SA rekey (new IKE SPI in the proposal, KE mandatory). An
 * INVALID_KE_PAYLOAD answer gives one retry with the group asked for. Works on inner payloads;
 * the caller protects them with the current IKE SA. Not thread-safe.
 */
public final class CreateChildSaInitiator {
    private final IkeSaKeying ike;
    private final SecureRandom random;
    private final Kind kind;
    private final byte[] nonce;
    private DiffieHellman.KeyShare share;
    private List<Proposal> offered;
    private boolean retried;
    private boolean finished;

    /** What is being created. */
    private sealed interface Kind {
    }

    private record NewChild(ChildSaConfig child, int inboundSpi, Optional<ChildSaResult> rekeyed) implements Kind {
    }

    private record RekeyIke(List<Proposal> proposals, long newSpi) implements Kind {
    }

    public sealed interface Outcome {
        /** {@code nonces}: this exchange's Ni and Nr, to settle a simultaneous rekey (RFC 7296 §2.8.1). */
        record ChildCreated(ChildSaResult child, Optional<ChildSaResult> replaces, RekeyCollision.Exchange nonces)
                implements Outcome {
        }

        record IkeRekeyed(IkeSaKeying replacement, RekeyCollision.Exchange nonces) implements Outcome {
        }

        /** Send this request instead (a new message id): the responder asked for another DH group. */
        record Retry(List<Payload> request, String reason) implements Outcome {
        }

        record Failed(String reason, Optional<NotifyType> peerError) implements Outcome {
        }
    }

    private CreateChildSaInitiator(IkeSaKeying ike, Kind kind, Optional<DhGroup> group, SecureRandom random) {
        this.ike = ike;
        this.kind = kind;
        this.random = random;
        this.nonce = new byte[32];
        random.nextBytes(nonce);
        this.share = group.map(g -> DiffieHellman.of(g)
                .orElseThrow(() -> new IllegalArgumentException("DH group " + g + " is not implemented"))
                .generate(random)).orElse(null);
    }

    /** A new child SA; {@code pfs}: the DH group of a fresh exchange, also named in the proposals. */
    public static CreateChildSaInitiator newChild(IkeSaKeying ike, ChildSaConfig child, Optional<DhGroup> pfs,
                                                  int inboundSpi, SecureRandom random) {
        return new CreateChildSaInitiator(ike, new NewChild(child, inboundSpi, Optional.empty()), pfs, random);
    }

    /** Rekeys {@code old} (RFC 7296 §1.3.3): same selectors, REKEY_SA with the old inbound SPI. */
    public static CreateChildSaInitiator rekeyChild(IkeSaKeying ike, ChildSaResult old, ChildSaConfig child,
                                                    Optional<DhGroup> pfs, int inboundSpi, SecureRandom random) {
        return new CreateChildSaInitiator(ike, new NewChild(child, inboundSpi, Optional.of(old)), pfs, random);
    }

    /** Rekeys the IKE SA itself (RFC 7296 §1.3.2) with {@code proposals} (the first one's group for KE). */
    public static CreateChildSaInitiator rekeyIke(IkeSaKeying ike, List<Proposal> proposals, long newSpi, SecureRandom random) {
        if (newSpi == 0) {
            throw new IllegalArgumentException("SPI 0 is reserved");
        }
        int group = proposals.getFirst().transforms(TransformType.KEY_EXCHANGE).getFirst().id();
        return new CreateChildSaInitiator(ike, new RekeyIke(proposals, newSpi), DhGroup.of(group), random);
    }

    public List<Payload> request() {
        List<Payload> out = new ArrayList<>();
        switch (kind) {
            case NewChild c -> {
                c.rekeyed().ifPresent(old -> out.add(new Payload.Notify(ProtocolId.ESP.value(), spi(old.inboundSpi()),
                        NotifyType.REKEY_SA.value(), Octets.EMPTY)));
                offered = c.child().proposals().stream().map(p -> new Proposal(p.number(), p.protocolId(),
                        spi(c.inboundSpi()), withGroup(p))).toList();
                if (c.child().transportMode()) {
                    out.add(Payload.Notify.of(NotifyType.USE_TRANSPORT_MODE)); // a rekey keeps the mode (§1.3.3)
                }
                out.add(new Payload.SecurityAssociation(offered));
                out.add(new Payload.Nonce(Octets.copyOf(nonce)));
                if (share != null) {
                    out.add(new Payload.KeyExchange(share.group().value(), Octets.copyOf(share.publicValue())));
                }
                out.add(new Payload.TrafficSelectors(true, c.child().local()));
                out.add(new Payload.TrafficSelectors(false, c.child().remote()));
            }
            case RekeyIke r -> {
                Octets spi = Octets.copyOf(KeyDerivation.spi(r.newSpi()));
                offered = r.proposals().stream().map(p -> new Proposal(p.number(), p.protocolId(), spi, p.transforms())).toList();
                out.add(new Payload.SecurityAssociation(offered));
                out.add(new Payload.Nonce(Octets.copyOf(nonce)));
                out.add(new Payload.KeyExchange(share.group().value(), Octets.copyOf(share.publicValue())));
            }
        }
        return out;
    }

    /** With PFS the ESP proposals name our group (RFC 7296 §1.3.1); without, they name none. */
    private List<org.cevpn.ipsec.ike.message.Transform> withGroup(Proposal p) {
        List<org.cevpn.ipsec.ike.message.Transform> t = new ArrayList<>(p.transforms());
        t.removeIf(x -> x.is(TransformType.KEY_EXCHANGE));
        if (share != null) {
            t.add(org.cevpn.ipsec.ike.message.Transform.dhGroup(share.group()));
        }
        return t;
    }

    /** Reads the response; once the exchange has ended, further responses (duplicates) are refused. */
    public Outcome onResponse(List<Payload> inner) {
        if (offered == null) {
            throw new IllegalStateException("no request was built");
        }
        if (finished) {
            return new Outcome.Failed("CREATE_CHILD_SA already ended; response ignored", Optional.empty());
        }
        Outcome o = judge(inner);
        finished = !(o instanceof Outcome.Retry);
        return o;
    }

    private Outcome judge(List<Payload> inner) {
        Optional<Payload.Notify> invalidKe = first(inner, Payload.Notify.class, n -> n.is(NotifyType.INVALID_KE_PAYLOAD));
        if (invalidKe.isPresent() && share != null && !retried) {
            Octets d = invalidKe.get().data();
            Optional<DiffieHellman> dh = d.length() == 2 ? DiffieHellman.of((d.get(0) & 0xff) << 8 | d.get(1) & 0xff) : Optional.empty();
            boolean acceptable = dh.isPresent() && dh.get().group() != share.group()
                    && (!(kind instanceof RekeyIke r) || r.proposals().stream()
                            .flatMap(p -> p.transforms(TransformType.KEY_EXCHANGE).stream())
                            .anyMatch(t -> t.id() == dh.get().group().value()));
            if (acceptable) {
                retried = true;
                share.destroy();
                share = dh.get().generate(random);
                if (kind instanceof RekeyIke r) {
                    // The group must be one we offer: move it into our proposals' DH transforms.
                    offered = null;
                    return new Outcome.Retry(rekeyIkeWith(r, dh.get().group()), "responder asked for DH group " + dh.get().group());
                }
                offered = null;
                return new Outcome.Retry(request(), "responder asked for DH group " + dh.get().group());
            }
        }
        Optional<Payload.Notify> error = first(inner, Payload.Notify.class, Payload.Notify::isError);
        if (error.isPresent()) {
            Optional<NotifyType> type = NotifyType.of(error.get().notifyType());
            return new Outcome.Failed("responder refused: " + type.map(Enum::name).orElse("error " + error.get().notifyType()), type);
        }
        Optional<Payload.SecurityAssociation> sa = first(inner, Payload.SecurityAssociation.class, x -> true);
        Optional<Payload.Nonce> nr = first(inner, Payload.Nonce.class, x -> true);
        Optional<Payload.KeyExchange> ke = first(inner, Payload.KeyExchange.class, x -> true);
        if (sa.isEmpty() || nr.isEmpty() || sa.get().proposals().size() != 1) {
            return new Outcome.Failed("response lacks SA or Nr", Optional.empty());
        }
        Proposal chosen = sa.get().proposals().getFirst();
        if (!ProposalSelector.isValidChoice(chosen, offered)) {
            return new Outcome.Failed("responder chose something we did not offer: " + chosen, Optional.empty());
        }
        byte[] shared = null;
        if (share != null) {
            if (ke.isEmpty() || ke.get().dhGroup() != share.group().value()) {
                return new Outcome.Failed("response lacks the KE of group " + share.group(), Optional.empty());
            }
            try {
                shared = share.sharedSecret(ke.get().keyData().toByteArray());
            } catch (InvalidPublicValueException e) {
                return new Outcome.Failed("responder's KE: " + e.getMessage(), Optional.empty());
            } finally {
                share.destroy();
            }
        }
        byte[] nrBytes = nr.get().data().toByteArray();
        try {
            return switch (kind) {
                case NewChild c -> child(c, chosen, inner, shared, nrBytes);
                case RekeyIke r -> ike(r, chosen, shared, nrBytes);
            };
        } finally {
            if (shared != null) {
                Arrays.fill(shared, (byte) 0);
            }
        }
    }

    private Outcome child(NewChild c, Proposal chosen, List<Payload> inner, byte[] shared, byte[] nr) {
        List<TrafficSelector> tsi = IkeAuthInitiator.selectors(inner, true);
        List<TrafficSelector> tsr = IkeAuthInitiator.selectors(inner, false);
        if (chosen.spi().length() != 4 || tsi.isEmpty() || tsr.isEmpty()
                || !TrafficSelectorMath.within(tsi, c.child().local()) || !TrafficSelectorMath.within(tsr, c.child().remote())) {
            return new Outcome.Failed("child SA answer with a bad SPI or selectors", Optional.empty());
        }
        Optional<String> mode = TransportMode.check(c.child(), inner);
        if (mode.isPresent()) {
            return new Outcome.Failed(mode.get(), Optional.empty());
        }
        // KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr) with PFS, else prf+(SK_d, Ni | Nr) (§2.17).
        ChildSaKeys keys = KeyDerivation.childSaKeys(ike.prf(), ike.keys().skD(), shared, nonce, nr, KeyLengths.forChild(chosen));
        int outbound = (chosen.spi().get(0) & 0xff) << 24 | (chosen.spi().get(1) & 0xff) << 16
                | (chosen.spi().get(2) & 0xff) << 8 | chosen.spi().get(3) & 0xff;
        return new Outcome.ChildCreated(new ChildSaResult(chosen, c.inboundSpi(), outbound, keys, true, tsi, tsr,
                c.child().transportMode()), c.rekeyed(),
                new RekeyCollision.Exchange(nonce, nr));
    }

    private Outcome ike(RekeyIke r, Proposal chosen, byte[] shared, byte[] nr) {
        if (chosen.spi().length() != 8 || shared == null) {
            return new Outcome.Failed("IKE rekey answer without an 8-octet SPI or KE", Optional.empty());
        }
        long newSpiR = 0;
        for (int i = 0; i < 8; i++) {
            newSpiR = newSpiR << 8 | chosen.spi().get(i) & 0xff;
        }
        Optional<Prf> prf = Prf.of(chosen.transforms(TransformType.PRF).getFirst().id());
        if (prf.isEmpty() || newSpiR == 0) {
            return new Outcome.Failed("IKE rekey answer with an unusable PRF or SPI", Optional.empty());
        }
        // §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the old PRF; keys with the new one.
        byte[] skeyseed = KeyDerivation.rekeySkeyseed(ike.prf(), ike.keys().skD(), shared, nonce, nr);
        IkeSaKeys keys = KeyDerivation.ikeSaKeys(prf.get(), skeyseed, nonce, nr, r.newSpi(), newSpiR, KeyLengths.forIke(chosen));
        Arrays.fill(skeyseed, (byte) 0);
        return new Outcome.IkeRekeyed(new IkeSaKeying(r.newSpi(), newSpiR, chosen, prf.get(), keys, true),
                new RekeyCollision.Exchange(nonce, nr));
    }

    private List<Payload> rekeyIkeWith(RekeyIke r, DhGroup group) {
        Octets spi = Octets.copyOf(KeyDerivation.spi(r.newSpi()));
        offered = r.proposals().stream().map(p -> new Proposal(p.number(), p.protocolId(), spi, p.transforms())).toList();
        return List.of(new Payload.SecurityAssociation(offered), new Payload.Nonce(Octets.copyOf(nonce)),
                new Payload.KeyExchange(group.value(), Octets.copyOf(share.publicValue())));
    }

    private static Octets spi(int spi) {
        return Octets.copyOf(new byte[] {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi});
    }

    private static <P extends Payload> Optional<P> first(List<Payload> inner, Class<P> type, java.util.function.Predicate<P> test) {
        return inner.stream().filter(type::isInstance).map(type::cast).filter(test).findFirst();
    }
}

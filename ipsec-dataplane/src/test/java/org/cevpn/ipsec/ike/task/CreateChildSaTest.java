package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.sk.SkProtection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CREATE_CHILD_SA between our two tasks, through SkProtection and the codec. */
class CreateChildSaTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private IkeSaKeying initiatorIke;
    private IkeSaKeying responderIke;
    private TrafficSelector site1;
    private TrafficSelector site2;

    @BeforeEach
    void ikeSa() throws Exception {
        IkeAuthExchangeTest.Pair p = IkeAuthExchangeTest.init();
        initiatorIke = IkeSaKeying.of(p.initiator(), true);
        responderIke = IkeSaKeying.of(p.responder(), false);
        site1 = IkeAuthExchangeTest.net("10.1.0.0", "10.1.255.255");
        site2 = IkeAuthExchangeTest.net("10.2.0.0", "10.2.255.255");
    }

    private static Proposal esp(Optional<DhGroup> pfs) {
        List<Transform> t = new java.util.ArrayList<>(List.of(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256),
                Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        pfs.ifPresent(g -> t.add(Transform.dhGroup(g)));
        return new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, t);
    }

    private static Proposal ike(DhGroup... groups) {
        List<Transform> t = new java.util.ArrayList<>(List.of(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_256)));
        for (DhGroup g : groups) {
            t.add(Transform.dhGroup(g));
        }
        return new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, t);
    }

    /** One exchange: the initiator's request sealed, opened by the responder, answered, opened back. */
    private CreateChildSaInitiator.Outcome exchange(CreateChildSaInitiator initiator, CreateChildSaResponder responder,
                                                    List<CreateChildSaResponder.Outcome> seen,
                                                    java.util.function.IntFunction<Optional<ChildSaResult>> children) throws Exception {
        SkProtection iSk = SkProtection.of(initiatorIke.suite(), initiatorIke.keys(), true, RANDOM);
        SkProtection rSk = SkProtection.of(responderIke.suite(), responderIke.keys(), false, RANDOM);
        List<Payload> request = initiator.request();
        for (int messageId = 2; messageId < 5; messageId++) {
            IkeHeader h = new IkeHeader(initiatorIke.initiatorSpi(), initiatorIke.responderSpi(), ExchangeType.CREATE_CHILD_SA,
                    true, false, messageId);
            byte[] wire = iSk.seal(h, request);
            CreateChildSaResponder.Outcome r = responder.onRequest(rSk.open(IkeDecoder.decode(wire), wire), children,
                    0x3000_0000 + messageId, 0x5555_0000L + messageId);
            seen.add(r);
            List<Payload> answer = switch (r) {
                case CreateChildSaResponder.Outcome.ChildCreated c -> c.response();
                case CreateChildSaResponder.Outcome.IkeRekeyed k -> k.response();
                case CreateChildSaResponder.Outcome.Refused f -> f.response();
            };
            byte[] back = rSk.seal(new IkeHeader(h.initiatorSpi(), h.responderSpi(), ExchangeType.CREATE_CHILD_SA, false, true, messageId), answer);
            CreateChildSaInitiator.Outcome o = initiator.onResponse(iSk.open(IkeDecoder.decode(back), back));
            if (o instanceof CreateChildSaInitiator.Outcome.Retry retry) {
                request = retry.request();
                continue;
            }
            return o;
        }
        throw new AssertionError("no end");
    }

    @Test
    void aChildRekeyWithPfsGivesBothSidesTheSameNewKeys() throws Exception {
        ChildSaResult old = new ChildSaResult(esp(Optional.empty()), 0x1111, 0x2222, null, true, List.of(site1), List.of(site2));
        ChildSaResult oldAtResponder = new ChildSaResult(esp(Optional.empty()), 0x2222, 0x1111, null, false, List.of(site2), List.of(site1));
        var initiator = CreateChildSaInitiator.rekeyChild(initiatorIke, old,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site1), List.of(site2)), Optional.of(DhGroup.ECP_256),
                0x1234, RANDOM);
        var responder = new CreateChildSaResponder(responderIke,
                new ChildSaConfig(List.of(esp(Optional.of(DhGroup.ECP_256))), List.of(site2), List.of(site1)), List.of(), RANDOM);
        List<CreateChildSaResponder.Outcome> seen = new java.util.ArrayList<>();
        // The responder finds the old child by the SPI it sends to, which is our inbound 0x1111.
        var out = exchange(initiator, responder, seen, spi -> spi == 0x1111 ? Optional.of(oldAtResponder) : Optional.empty());
        var mine = assertInstanceOf(CreateChildSaInitiator.Outcome.ChildCreated.class, out);
        var theirs = assertInstanceOf(CreateChildSaResponder.Outcome.ChildCreated.class, seen.getLast());
        assertEquals(Optional.of(old), mine.replaces());
        assertEquals(Optional.of(oldAtResponder), theirs.replaces());
        assertEquals(mine.child().outboundSpi(), theirs.child().inboundSpi());
        assertEquals(0x1234, theirs.child().outboundSpi());
        assertArrayEquals(mine.child().keys().encryptionInitiator(), theirs.child().keys().encryptionInitiator());
        assertArrayEquals(mine.child().keys().encryptionResponder(), theirs.child().keys().encryptionResponder());
        assertTrue(mine.child().chosen().transforms().contains(Transform.dhGroup(DhGroup.ECP_256)));
    }

    @Test
    void aTransportModeChildIsRekeyedInTransportModeAndAModeMismatchIsRefused() throws Exception {
        TrafficSelector ce1 = new TrafficSelector(site1.type(), 4, 0, 65535, IkeAuthExchangeTest.net("192.0.2.1", "192.0.2.1").startAddress(),
                IkeAuthExchangeTest.net("192.0.2.1", "192.0.2.1").endAddress());
        TrafficSelector ce2 = new TrafficSelector(site1.type(), 4, 0, 65535, IkeAuthExchangeTest.net("192.0.2.2", "192.0.2.2").startAddress(),
                IkeAuthExchangeTest.net("192.0.2.2", "192.0.2.2").endAddress());
        ChildSaResult old = new ChildSaResult(esp(Optional.empty()), 0x1111, 0x2222, null, true, List.of(ce1), List.of(ce2), true);
        ChildSaResult oldAtResponder = new ChildSaResult(esp(Optional.empty()), 0x2222, 0x1111, null, false, List.of(ce2), List.of(ce1), true);
        var responder = new CreateChildSaResponder(responderIke,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(ce2), List.of(ce1), true), List.of(), RANDOM);
        List<CreateChildSaResponder.Outcome> seen = new java.util.ArrayList<>();
        var out = exchange(CreateChildSaInitiator.rekeyChild(initiatorIke, old,
                        new ChildSaConfig(List.of(esp(Optional.empty())), List.of(ce1), List.of(ce2), true), Optional.empty(), 0x1234, RANDOM),
                responder, seen, spi -> spi == 0x1111 ? Optional.of(oldAtResponder) : Optional.empty());
        assertTrue(assertInstanceOf(CreateChildSaInitiator.Outcome.ChildCreated.class, out).child().transportMode());
        assertTrue(assertInstanceOf(CreateChildSaResponder.Outcome.ChildCreated.class, seen.getLast()).child().transportMode());

        seen.clear();
        out = exchange(CreateChildSaInitiator.newChild(initiatorIke,
                        new ChildSaConfig(List.of(esp(Optional.empty())), List.of(ce1), List.of(ce2), false), Optional.empty(), 0x99, RANDOM),
                responder, seen, spi -> Optional.empty());
        assertInstanceOf(CreateChildSaResponder.Outcome.Refused.class, seen.getLast());
        assertEquals(Optional.of(org.cevpn.ipsec.ike.message.NotifyType.NO_PROPOSAL_CHOSEN),
                assertInstanceOf(CreateChildSaInitiator.Outcome.Failed.class, out).peerError());
    }

    @Test
    void aNewChildWithoutPfs() throws Exception {
        var initiator = CreateChildSaInitiator.newChild(initiatorIke,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site1), List.of(site2)), Optional.empty(), 0x77, RANDOM);
        var responder = new CreateChildSaResponder(responderIke,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site2), List.of(site1)), List.of(), RANDOM);
        List<CreateChildSaResponder.Outcome> seen = new java.util.ArrayList<>();
        var mine = assertInstanceOf(CreateChildSaInitiator.Outcome.ChildCreated.class,
                exchange(initiator, responder, seen, spi -> Optional.empty()));
        var theirs = assertInstanceOf(CreateChildSaResponder.Outcome.ChildCreated.class, seen.getLast());
        assertEquals(Optional.empty(), mine.replaces());
        assertArrayEquals(mine.child().keys().encryptionInitiator(), theirs.child().keys().encryptionInitiator());
    }

    @Test
    void anIkeSaRekeyAfterInvalidKeProducesWorkingNewKeys() throws Exception {
        var initiator = CreateChildSaInitiator.rekeyIke(initiatorIke,
                List.of(ike(DhGroup.ECP_256, DhGroup.CURVE25519)), 0x0a0b0c0d0e0f1011L, RANDOM);
        var responder = new CreateChildSaResponder(responderIke,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site2), List.of(site1)),
                List.of(ike(DhGroup.CURVE25519)), RANDOM);
        List<CreateChildSaResponder.Outcome> seen = new java.util.ArrayList<>();
        var mine = assertInstanceOf(CreateChildSaInitiator.Outcome.IkeRekeyed.class,
                exchange(initiator, responder, seen, spi -> Optional.empty())).replacement();
        assertEquals(NotifyType.INVALID_KE_PAYLOAD,
                assertInstanceOf(CreateChildSaResponder.Outcome.Refused.class, seen.getFirst()).error());
        var theirs = assertInstanceOf(CreateChildSaResponder.Outcome.IkeRekeyed.class, seen.getLast()).replacement();
        assertEquals(0x0a0b0c0d0e0f1011L, mine.initiatorSpi());
        assertEquals(mine.responderSpi(), theirs.responderSpi());
        assertArrayEquals(mine.keys().skD(), theirs.keys().skD());
        assertTrue(!java.util.Arrays.equals(mine.keys().skD(), initiatorIke.keys().skD()));
        // The new IKE SA protects messages both ways.
        SkProtection a = SkProtection.of(mine.suite(), mine.keys(), true, RANDOM);
        SkProtection b = SkProtection.of(theirs.suite(), theirs.keys(), false, RANDOM);
        IkeHeader h = new IkeHeader(mine.initiatorSpi(), mine.responderSpi(), ExchangeType.INFORMATIONAL, true, false, 0);
        byte[] wire = a.seal(h, List.of());
        assertEquals(List.of(), b.open(IkeDecoder.decode(wire), wire));
    }

    @Test
    void refusalsNameTheirReason() throws Exception {
        ChildSaResult ghost = new ChildSaResult(esp(Optional.empty()), 0x9999, 0x8888, null, true, List.of(site1), List.of(site2));
        var rekeyUnknown = CreateChildSaInitiator.rekeyChild(initiatorIke, ghost,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site1), List.of(site2)), Optional.empty(), 0x55, RANDOM);
        var responder = new CreateChildSaResponder(responderIke,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site2), List.of(site1)), List.of(), RANDOM);
        var failed = assertInstanceOf(CreateChildSaInitiator.Outcome.Failed.class,
                exchange(rekeyUnknown, responder, new java.util.ArrayList<>(), spi -> Optional.empty()));
        assertEquals(Optional.of(NotifyType.CHILD_SA_NOT_FOUND), failed.peerError());

        TrafficSelector site3 = IkeAuthExchangeTest.net("10.3.0.0", "10.3.255.255");
        var elsewhere = CreateChildSaInitiator.newChild(initiatorIke,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site1), List.of(site3)), Optional.empty(), 0x56, RANDOM);
        assertEquals(Optional.of(NotifyType.TS_UNACCEPTABLE), assertInstanceOf(CreateChildSaInitiator.Outcome.Failed.class,
                exchange(elsewhere, responder, new java.util.ArrayList<>(), spi -> Optional.empty())).peerError());

        var pfsNotWanted = CreateChildSaInitiator.newChild(initiatorIke,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site1), List.of(site2)), Optional.of(DhGroup.CURVE25519), 0x57, RANDOM);
        assertEquals(Optional.of(NotifyType.NO_PROPOSAL_CHOSEN), assertInstanceOf(CreateChildSaInitiator.Outcome.Failed.class,
                exchange(pfsNotWanted, responder, new java.util.ArrayList<>(), spi -> Optional.empty())).peerError());

        // And the other way: a responder configured with PFS only (the device agent with a pfs-group) refuses a
        // child without KE, so configured PFS is not negotiated away on a rekey.
        var pfsOnly = new CreateChildSaResponder(responderIke,
                new ChildSaConfig(List.of(esp(Optional.of(DhGroup.CURVE25519))), List.of(site2), List.of(site1)), List.of(), RANDOM);
        var withoutPfs = CreateChildSaInitiator.newChild(initiatorIke,
                new ChildSaConfig(List.of(esp(Optional.empty())), List.of(site1), List.of(site2)), Optional.empty(), 0x58, RANDOM);
        assertEquals(Optional.of(NotifyType.NO_PROPOSAL_CHOSEN), assertInstanceOf(CreateChildSaInitiator.Outcome.Failed.class,
                exchange(withoutPfs, pfsOnly, new java.util.ArrayList<>(), spi -> Optional.empty())).peerError());
    }
}

package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.testsupport.UdpEndpoint;
import org.junit.jupiter.api.Test;

/** Our initiator against our responder over real loopback UDP sockets. */
class IkeInitExchangeTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    static Proposal proposal(int number, List<DhGroup> groups) {
        List<Transform> t = new java.util.ArrayList<>(List.of(
                Transform.encryption(EncryptionAlgorithm.AES_CBC, 256),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128)));
        groups.forEach(g -> t.add(Transform.dhGroup(g)));
        return new Proposal(number, ProtocolId.IKE.value(), Octets.EMPTY, t);
    }

    static Proposal gcm(int number, DhGroup group) {
        return new Proposal(number, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_384),
                Transform.dhGroup(group)));
    }

    private static IkeInitConfig config(Proposal... proposals) {
        return new IkeInitConfig(List.of(proposals), true, List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384));
    }

    /** Runs the exchange; {@code relay} routes the initiator's datagrams through a port-changing hop. */
    private record Run(IkeInitInitiator.Outcome initiator, List<IkeInitResponder.Outcome> responder) {
    }

    private Run run(IkeInitConfig initiatorConfig, IkeInitConfig responderConfig, boolean cookieRequired,
                    boolean throughRelay) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        Cookies cookies = new Cookies(RANDOM);
        List<IkeInitResponder.Outcome> seen = new java.util.ArrayList<>();
        try (UdpEndpoint i = new UdpEndpoint(new InetSocketAddress(lo, 0));
             UdpEndpoint r = new UdpEndpoint(new InetSocketAddress(lo, 0));
             UdpEndpoint relay = new UdpEndpoint(new InetSocketAddress(lo, 0))) {
            InetSocketAddress target = throughRelay ? relay.local() : r.local();
            IkeInitInitiator initiator = new IkeInitInitiator(initiatorConfig, new Endpoints(i.local(), target),
                    RANDOM.nextLong() | 1, RANDOM);
            byte[] request = initiator.request();
            for (int round = 0; round < 8; round++) {
                i.send(request, target);
                UdpEndpoint.Received atResponder;
                if (throughRelay) {
                    UdpEndpoint.Received hop = relay.receive(2000).orElseThrow();
                    relay.send(hop.data(), r.local());
                    atResponder = r.receive(2000).orElseThrow();
                } else {
                    atResponder = r.receive(2000).orElseThrow();
                }
                // The responder sees whatever address the datagram came from, relay or initiator.
                IkeInitResponder responder = new IkeInitResponder(responderConfig,
                        new Endpoints(r.local(), atResponder.from()), RANDOM, cookies);
                IkeInitResponder.Outcome out = responder.onRequest(IkeDecoder.decode(atResponder.data()),
                        atResponder.data(), cookieRequired, RANDOM.nextLong() | 1);
                seen.add(out);
                byte[] answer = switch (out) {
                    case IkeInitResponder.Outcome.Refused ref -> ref.response();
                    case IkeInitResponder.Outcome.Established est -> est.response();
                    case IkeInitResponder.Outcome.Dropped d -> throw new AssertionError(d.reason());
                };
                r.send(answer, atResponder.from());
                UdpEndpoint.Received back;
                if (throughRelay) {
                    UdpEndpoint.Received hop = relay.receive(2000).orElseThrow();
                    relay.send(hop.data(), i.local());
                }
                back = i.receive(2000).orElseThrow();
                IkeInitInitiator.Outcome o = initiator.onResponse(IkeDecoder.decode(back.data()), back.data());
                if (o instanceof IkeInitInitiator.Outcome.Retry retry) {
                    request = retry.request();
                    continue;
                }
                return new Run(o, seen);
            }
            throw new AssertionError("no end after 8 rounds");
        }
    }

    private static void sameKeys(IkeInitResult a, IkeInitResult b) {
        assertEquals(a.initiatorSpi(), b.initiatorSpi());
        assertEquals(a.responderSpi(), b.responderSpi());
        assertEquals(a.chosen(), b.chosen());
        assertArrayEquals(a.keys().skD(), b.keys().skD());
        assertArrayEquals(a.keys().skAi(), b.keys().skAi());
        assertArrayEquals(a.keys().skEr(), b.keys().skEr());
        assertArrayEquals(a.keys().skPi(), b.keys().skPi());
        assertArrayEquals(a.keys().skPr(), b.keys().skPr());
        assertEquals(a.initiatorMessage(), b.initiatorMessage());
        assertEquals(a.responderMessage(), b.responderMessage());
        assertEquals(a.initiatorNonce(), b.initiatorNonce());
        assertEquals(a.responderNonce(), b.responderNonce());
    }

    private static IkeInitResult responderResult(Run run) {
        return ((IkeInitResponder.Outcome.Established) run.responder().getLast()).result();
    }

    @Test
    void bothSidesDeriveTheSameKeys() throws Exception {
        Run run = run(config(proposal(1, List.of(DhGroup.CURVE25519)), gcm(2, DhGroup.ECP_256)),
                config(gcm(1, DhGroup.ECP_256), proposal(2, List.of(DhGroup.CURVE25519))), false, false);
        IkeInitResult mine = assertInstanceOf(IkeInitInitiator.Outcome.Established.class, run.initiator()).result();
        sameKeys(mine, responderResult(run));
        // The initiator's order wins: its first proposal is acceptable to the responder.
        assertEquals(1, mine.chosen().number());
        assertFalse(mine.natDetected());
        assertFalse(responderResult(run).natDetected());
        assertTrue(mine.peerSupportsFragmentation());
        assertEquals(List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384), mine.peerSignatureHashes());
    }

    @Test
    void invalidKePayloadMakesTheInitiatorRetryWithTheAskedGroup() throws Exception {
        Run run = run(config(proposal(1, List.of(DhGroup.MODP_2048, DhGroup.ECP_384))),
                config(proposal(1, List.of(DhGroup.ECP_384))), false, false);
        IkeInitResponder.Outcome.Refused first = assertInstanceOf(IkeInitResponder.Outcome.Refused.class, run.responder().getFirst());
        assertEquals(NotifyType.INVALID_KE_PAYLOAD, first.error());
        IkeInitResult mine = assertInstanceOf(IkeInitInitiator.Outcome.Established.class, run.initiator()).result();
        assertEquals(DhGroup.ECP_384.value(), mine.chosen().transforms(org.cevpn.ipsec.ike.message.TransformType.KEY_EXCHANGE).getFirst().id());
        sameKeys(mine, responderResult(run));
    }

    @Test
    void cookieChallengeIsAnsweredAndVerified() throws Exception {
        Run run = run(config(gcm(1, DhGroup.CURVE25519)), config(gcm(1, DhGroup.CURVE25519)), true, false);
        IkeInitResponder.Outcome.Refused first = assertInstanceOf(IkeInitResponder.Outcome.Refused.class, run.responder().getFirst());
        assertEquals(NotifyType.COOKIE, first.error());
        assertEquals(2, run.responder().size());
        IkeInitResult mine = assertInstanceOf(IkeInitInitiator.Outcome.Established.class, run.initiator()).result();
        sameKeys(mine, responderResult(run));
        // The signed RealMessage1 is the retry, cookie included (RFC 7296 §2.15).
        assertTrue(IkeDecoder.decode(mine.initiatorMessage().toByteArray()).message().notify(NotifyType.COOKIE).isPresent());
    }

    @Test
    void noCommonProposalFailsWithNoProposalChosen() throws Exception {
        Run run = run(config(proposal(1, List.of(DhGroup.MODP_2048))), config(gcm(1, DhGroup.MODP_2048)), false, false);
        IkeInitInitiator.Outcome.Failed failed = assertInstanceOf(IkeInitInitiator.Outcome.Failed.class, run.initiator());
        assertEquals(Optional.of(NotifyType.NO_PROPOSAL_CHOSEN), failed.peerError());
    }

    /**
     * A relay socket between the two rewrites what each side sees of the other (the initiator
     * talks to the relay's address, the responder hears from the relay's port): both sides must
     * detect a translation in both directions and so move to port 4500.
     */
    @Test
    void anAddressRewritingHopIsDetectedByBothSides() throws Exception {
        Run run = run(config(gcm(1, DhGroup.ECP_256)), config(gcm(1, DhGroup.ECP_256)), false, true);
        IkeInitResult mine = assertInstanceOf(IkeInitInitiator.Outcome.Established.class, run.initiator()).result();
        IkeInitResult theirs = responderResult(run);
        assertTrue(mine.localBehindNat(), "the responder heard another source than we bound");
        assertTrue(mine.remoteBehindNat(), "the responder answered from another address than we sent to");
        assertTrue(theirs.remoteBehindNat());
        assertTrue(theirs.localBehindNat());
        sameKeys(mine, theirs);
    }
}

package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeMessage;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.Transform;
import org.junit.jupiter.api.Test;

/**
 * Each peer's own IKE suite: offered as initiator, the only one accepted from that peer's address
 * as responder, and checked again at IKE_AUTH against the peer's configuration as it is then.
 * The engines' own list (EngineFixture: AES-GCM-256, HMAC-SHA2-256, Curve25519) is the fallback.
 */
class PerPeerProposalsTest {
    /** A suite unlike the engines' own: AES-CBC-256 with HMAC-SHA2-256-128, PRF HMAC-SHA2-384, ECP-256. */
    static final Proposal CBC_ECP256 = new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
            Transform.encryption(EncryptionAlgorithm.AES_CBC, 256), Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128),
            Transform.prf(PseudorandomFunction.HMAC_SHA2_384), Transform.dhGroup(DhGroup.ECP_256)));

    private static PeerConfig peerOf(EngineFixture f, InetAddress me, InetAddress peer) throws Exception {
        EngineConfig c = me.equals(f.a)
                ? EngineFixture.config(f.a, f.b, "ce1", "ce2", "10.1.0.0", "10.2.0.0")
                : EngineFixture.config(f.b, f.a, "ce2", "ce1", "10.2.0.0", "10.1.0.0");
        return c.peers().getFirst();
    }

    private static IkeMessage decode(byte[] m) throws Exception {
        return IkeDecoder.decode(m).message();
    }

    private static List<Proposal> saOf(IkeMessage m) {
        return m.first(Payload.SecurityAssociation.class).orElseThrow().proposals();
    }

    @Test
    void theInitiatorOffersThePeersSuiteAndBothEndUpWithIt() throws Exception {
        EngineFixture f = new EngineFixture();
        f.engineA.putPeer(peerOf(f, f.a, f.b).withIkeProposals(List.of(CBC_ECP256)));
        f.engineB.putPeer(peerOf(f, f.b, f.a).withIkeProposals(List.of(CBC_ECP256)));

        List<Outbound> init = f.engineA.initiate(f.b);
        assertEquals(List.of(CBC_ECP256), saOf(decode(init.getFirst().message())), "A offers B's suite, not the engine's");
        f.send(f.a, init);
        f.deliverAll();

        assertEquals(1, f.engineA.drainEvents().stream().filter(e -> e instanceof IkeEvent.IkeSaUp).count());
        assertEquals(1, f.engineB.drainEvents().stream().filter(e -> e instanceof IkeEvent.IkeSaUp).count());
        IkeMessage response = decode(f.seen.get(1));
        assertEquals(ExchangeType.IKE_SA_INIT.value(), response.header().exchangeType());
        assertEquals(java.util.Set.copyOf(CBC_ECP256.transforms()), java.util.Set.copyOf(saOf(response).getFirst().transforms()),
                "B chose the configured suite");
    }

    @Test
    void theResponderAcceptsFromAnAddressOnlyThatPeersSuite() throws Exception {
        EngineFixture f = new EngineFixture();
        // A offers the engines' own suite; B's tuple for A's address says CBC_ECP256 only.
        f.engineB.putPeer(peerOf(f, f.b, f.a).withIkeProposals(List.of(CBC_ECP256)));
        f.send(f.a, f.engineA.initiate(f.b));
        f.deliverAll();

        IkeMessage refusal = decode(f.seen.get(1));
        assertTrue(refusal.notify(NotifyType.NO_PROPOSAL_CHOSEN).isPresent(), "B refuses in IKE_SA_INIT");
        assertEquals(0, f.engineB.ikeSaCount(), "no state for a refused IKE_SA_INIT");
        IkeEvent.IkeSaDown down = f.engineA.drainEvents().stream().filter(e -> e instanceof IkeEvent.IkeSaDown)
                .map(IkeEvent.IkeSaDown.class::cast).findFirst().orElseThrow();
        assertTrue(down.reason().contains("NO_PROPOSAL_CHOSEN"), down.reason());

        // The same address with a tuple that names no suite of its own gets the engine's list.
        f.engineB.putPeer(peerOf(f, f.b, f.a));
        f.send(f.a, f.engineA.initiate(f.b));
        f.deliverAll();
        assertTrue(f.engineB.establishedWith(f.a));
    }

    @Test
    void aSuiteNoLongerConfiguredForThePeerIsRefusedAtIkeAuthWithAuthenticationFailed() throws Exception {
        EngineFixture f = new EngineFixture();
        f.send(f.a, f.engineA.initiate(f.b));
        // IKE_SA_INIT request and response only: the engines' own suite is negotiated.
        deliverOne(f);
        deliverOne(f);
        assertEquals(1, f.network.size(), "A's IKE_AUTH request is on its way");
        // The agent now configures B's tuple for A with another suite, before A's IKE_AUTH arrives.
        f.engineB.putPeer(peerOf(f, f.b, f.a).withIkeProposals(List.of(CBC_ECP256)));
        f.deliverAll();

        IkeEvent.AuthenticationFailed refused = f.engineB.drainEvents().stream()
                .filter(e -> e instanceof IkeEvent.AuthenticationFailed).map(IkeEvent.AuthenticationFailed.class::cast)
                .findFirst().orElseThrow();
        assertEquals("negotiated IKE suite AES_GCM_16/256-HMAC_SHA2_256-CURVE25519 is not the one configured for peer 192.0.2.1 "
                + "([AES_CBC/256-HMAC_SHA2_256_128-HMAC_SHA2_384-ECP_256])", refused.reason());
        assertEquals(0, f.engineB.ikeSaCount(), "the IKE SA is not created");
        List<IkeEvent> a = f.engineA.drainEvents();
        assertTrue(a.stream().anyMatch(e -> e instanceof IkeEvent.AuthenticationFailed), a.toString());
        assertTrue(a.stream().anyMatch(e -> e instanceof IkeEvent.IkeSaDown d && d.reason().contains("AUTHENTICATION_FAILED")), a.toString());
        assertTrue(!f.engineA.establishedWith(f.b));
    }

    private static void deliverOne(EngineFixture f) {
        EngineFixture.InFlight in = f.network.poll();
        f.seen.add(in.datagram().message());
        IkeEngine to = in.datagram().to().getAddress().equals(f.a) ? f.engineA : f.engineB;
        f.send(in.datagram().to().getAddress(), to.receive(in.datagram().message(),
                new InetSocketAddress(in.from(), in.datagram().to().getPort()), in.datagram().viaNatT()));
    }
}

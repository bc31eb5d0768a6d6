package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.junit.jupiter.api.Test;

/** Failures answered as RFC 7296 asks, and INITIAL_CONTACT. */
class IkeEngineErrorsTest {

    @Test
    void anInitRequestWithAnUnknownCriticalPayloadGetsUnsupportedCriticalPayload() throws Exception {
        EngineFixture f = new EngineFixture();
        byte[] init = f.engineA.initiate(f.b).getFirst().message();
        // Put an unknown payload type (200) with the critical bit in front of the chain.
        byte[] mutated = new byte[init.length + 4];
        System.arraycopy(init, 0, mutated, 0, 28);
        mutated[16] = (byte) 200;
        mutated[28] = init[16];
        mutated[29] = (byte) 0x80;
        mutated[31] = 4;
        System.arraycopy(init, 28, mutated, 32, init.length - 28);
        int length = mutated.length;
        mutated[24] = (byte) (length >>> 24);
        mutated[25] = (byte) (length >>> 16);
        mutated[26] = (byte) (length >>> 8);
        mutated[27] = (byte) length;
        List<Outbound> answer = f.engineB.receive(mutated, new InetSocketAddress(f.a, 500), false);
        assertEquals(1, answer.size());
        DecodedMessage m = IkeDecoder.decode(answer.getFirst().message());
        Payload.Notify n = (Payload.Notify) m.payloads().getFirst();
        assertTrue(n.is(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD));
        assertEquals(Octets.fromHex("c8"), n.data());
        assertEquals(0, m.header().responderSpi());
        assertEquals(0, f.engineB.ikeSaCount(), "no state for a refused request");
    }

    /**
     * An authentic IKE_AUTH request (right keys) whose payloads carry an unknown critical payload:
     * answered, protected, with UNSUPPORTED_CRITICAL_PAYLOAD naming the type; the IKE SA is gone.
     */
    @Test
    void anAuthenticButMalformedRequestIsAnsweredWithTheDecodersNotify() throws Exception {
        EngineFixture f = new EngineFixture();
        // We play A by hand with the tasks, so that we hold the keys.
        var initConfig = EngineFixture.config(f.a, f.b, "ce1", "ce2", "10.1.0.0", "10.2.0.0");
        var initiator = new org.cevpn.ipsec.ike.task.IkeInitInitiator(initConfig.ike(),
                new org.cevpn.ipsec.ike.task.Endpoints(new InetSocketAddress(f.a, 500), new InetSocketAddress(f.b, 500)),
                0x4242L, EngineFixture.RANDOM);
        byte[] request = initiator.request();
        byte[] response = f.engineB.receive(request, new InetSocketAddress(f.a, 500), false).getFirst().message();
        var done = (org.cevpn.ipsec.ike.task.IkeInitInitiator.Outcome.Established)
                initiator.onResponse(IkeDecoder.decode(response), response);
        var r = done.result();
        var sk = org.cevpn.ipsec.ike.sk.SkProtection.of(r.chosen(), r.keys(), true, EngineFixture.RANDOM);
        var h = new org.cevpn.ipsec.ike.message.IkeHeader(r.initiatorSpi(), r.responderSpi(),
                org.cevpn.ipsec.ike.message.ExchangeType.IKE_AUTH, true, false, 1);
        byte[] bad = sk.seal(h, List.of(new Payload.Opaque(200, true, Octets.fromHex("00"))));
        List<Outbound> answer = f.engineB.receive(bad, new InetSocketAddress(f.a, 500), false);
        assertEquals(1, answer.size());
        byte[] raw = answer.getFirst().message();
        List<Payload> inner = sk.open(IkeDecoder.decode(raw), raw);
        Payload.Notify n = (Payload.Notify) inner.getFirst();
        assertTrue(n.is(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD));
        assertEquals(Octets.fromHex("c8"), n.data());
        assertEquals(0, f.engineB.ikeSaCount());
        // A retransmission of the bad request is not processed again (the SA is gone).
        assertEquals(List.of(), f.engineB.receive(bad, new InetSocketAddress(f.a, 500), false));
    }

    @Test
    void aResponderWhoseAuthDoesNotVerifyIsToldAndForgotten() throws Exception {
        // B accepts A, but proves itself with a key A does not expect.
        EngineFixture f = new EngineFixture(1, "not the tunnel key".getBytes(), 50);
        f.send(f.a, f.engineA.initiate(f.b));
        f.deliverAll();
        var ea = f.engineA.drainEvents();
        var eb = f.engineB.drainEvents();
        var downA = ea.stream().filter(e -> e instanceof IkeEvent.IkeSaDown).map(IkeEvent.IkeSaDown.class::cast).toList();
        assertEquals(1, downA.size(), ea::toString);
        assertTrue(downA.getFirst().reason().contains("does not verify"), downA.getFirst().reason());
        // B thought the IKE SA was up, until A's INFORMATIONAL AUTHENTICATION_FAILED arrived.
        var downB = eb.stream().filter(e -> e instanceof IkeEvent.IkeSaDown).map(IkeEvent.IkeSaDown.class::cast).toList();
        assertEquals(1, downB.size(), eb::toString);
        assertEquals("the peer refused our AUTH", downB.getFirst().reason());
        assertEquals(0, f.engineA.ikeSaCount());
        assertEquals(0, f.engineB.ikeSaCount());
    }

    /** B demands cookies from its first half-open SA on: A's second IKE SA must answer the challenge. */
    @Test
    void aCookieChallengeAboveTheHalfOpenThresholdIsMetByOurInitiator() throws Exception {
        EngineFixture f = new EngineFixture(1, EngineFixture.PSK, 1);
        // Two IKE_SA_INITs at once: the second finds one half-open SA at B.
        f.send(f.a, f.engineA.initiate(f.b));
        f.send(f.a, f.engineA.initiate(f.b));
        f.deliverAll();
        var ea = f.engineA.drainEvents();
        assertEquals(2, ea.stream().filter(e -> e instanceof IkeEvent.IkeSaUp).count(), ea::toString);
        boolean challenged = f.seen.stream().anyMatch(d -> {
            try {
                var m = IkeDecoder.decode(d);
                return m.header().response() && m.message().notify(NotifyType.COOKIE).isPresent();
            } catch (org.cevpn.ipsec.ike.message.IkeDecodeException e) {
                return false;
            }
        });
        assertTrue(challenged, "B sent a COOKIE");
    }

    @Test
    void aRestartedPeersInitialContactRemovesItsOldIkeSa() throws Exception {
        EngineFixture f = new EngineFixture();
        f.send(f.a, f.engineA.initiate(f.b));
        f.deliverAll();
        f.engineB.drainEvents();
        // A "restarts": a fresh engine with the same configuration brings the tunnel up again.
        EngineFixture g = new EngineFixture();
        IkeEngine restarted = g.engineA;
        List<Outbound> out = restarted.initiate(f.b);
        java.util.ArrayDeque<Outbound> toB = new java.util.ArrayDeque<>(out);
        java.util.ArrayDeque<Outbound> toA = new java.util.ArrayDeque<>();
        while (!toA.isEmpty() || !toB.isEmpty()) {
            Outbound o;
            if ((o = toB.poll()) != null) {
                toA.addAll(f.engineB.receive(o.message(), new InetSocketAddress(f.a, o.to().getPort()), o.viaNatT()));
            }
            if ((o = toA.poll()) != null) {
                toB.addAll(restarted.receive(o.message(), new InetSocketAddress(f.b, o.to().getPort()), o.viaNatT()));
            }
        }
        List<IkeEvent> eb = f.engineB.drainEvents();
        var down = eb.stream().filter(e -> e instanceof IkeEvent.IkeSaDown).map(IkeEvent.IkeSaDown.class::cast).toList();
        assertEquals(1, down.size(), eb::toString);
        assertEquals("INITIAL_CONTACT from the peer", down.getFirst().reason());
        assertEquals(1, down.getFirst().children().size());
        assertEquals(1, f.engineB.ikeSaCount());
    }
}

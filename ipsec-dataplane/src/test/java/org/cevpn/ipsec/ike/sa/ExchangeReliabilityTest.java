package org.cevpn.ipsec.ike.sa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.task.Cookies;
import org.cevpn.ipsec.ike.task.Endpoints;
import org.cevpn.ipsec.ike.task.IkeInitConfig;
import org.cevpn.ipsec.ike.task.IkeInitInitiator;
import org.cevpn.ipsec.ike.task.IkeInitResponder;
import org.junit.jupiter.api.Test;

class ExchangeReliabilityTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

    @Test
    void strongSwansScheduleGivesUpAfterAbout165Seconds() {
        RetransmitPolicy p = RetransmitPolicy.STRONGSWAN_DEFAULT;
        Duration total = Duration.ZERO;
        for (int n = 0; n <= p.tries(); n++) {
            total = total.plus(p.waitAfter(n));
        }
        assertEquals(4000, p.waitAfter(0).toMillis());
        assertEquals(7200, p.waitAfter(1).toMillis());
        assertEquals(165, total.toSeconds());
    }

    @Test
    void anOutstandingRequestIsResentUnchangedThenGivenUp() {
        byte[] request = {1, 2, 3};
        OutstandingRequest r = new OutstandingRequest(5, List.of(request), new RetransmitPolicy(Duration.ofSeconds(1), 2.0, 2), T0);
        request[0] = 9; // the caller's array is not shared
        assertEquals(new OutstandingRequest.Due.Wait(T0.plusSeconds(1)), r.poll(T0));
        var first = assertInstanceOf(OutstandingRequest.Due.Resend.class, r.poll(T0.plusSeconds(1)));
        assertArrayEquals(new byte[] {1, 2, 3}, first.datagrams().getFirst());
        assertInstanceOf(OutstandingRequest.Due.Wait.class, r.poll(T0.plusSeconds(2)));
        assertInstanceOf(OutstandingRequest.Due.Resend.class, r.poll(T0.plusSeconds(3)));
        assertInstanceOf(OutstandingRequest.Due.Wait.class, r.poll(T0.plusSeconds(6)));
        assertEquals(new OutstandingRequest.Due.GiveUp(3), r.poll(T0.plusSeconds(7)));
        assertTrue(r.answeredBy(5));
        assertFalse(r.answeredBy(4));
    }

    @Test
    void theResponderWindowAnswersRetransmissionsFromItsCacheAndDropsTheRest() {
        ResponderWindow w = new ResponderWindow(1);
        assertInstanceOf(ResponderWindow.Verdict.Drop.class, w.onRequest(0), "IKE_SA_INIT's id is behind us");
        assertInstanceOf(ResponderWindow.Verdict.Process.class, w.onRequest(1));
        w.answered(1, List.of(new byte[] {7}, new byte[] {8}));
        var again = assertInstanceOf(ResponderWindow.Verdict.Resend.class, w.onRequest(1));
        assertEquals(2, again.datagrams().size());
        assertArrayEquals(new byte[] {8}, again.datagrams().get(1));
        assertInstanceOf(ResponderWindow.Verdict.Drop.class, w.onRequest(3), "beyond a window of one");
        assertInstanceOf(ResponderWindow.Verdict.Process.class, w.onRequest(2));
        assertEquals(2, w.expected());
        ResponderWindow wrap = new ResponderWindow(0xffff_ffffL);
        wrap.answered(0xffff_ffffL, List.of());
        assertEquals(0, wrap.expected());
    }

    /**
     * A lost IKE_SA_INIT response: the initiator retransmits the same octets when its timer fires,
     * the responder recognises them and answers with the cached response, not a second IKE SA.
     */
    @Test
    void aLostInitResponseIsRecoveredWithoutASecondSa() throws Exception {
        IkeInitConfig config = new IkeInitConfig(List.of(new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.dhGroup(DhGroup.CURVE25519)))), true, List.of(HashAlgorithm.SHA2_256));
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 500);
        InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 500);
        HalfOpenSas halfOpen = new HalfOpenSas(Duration.ofSeconds(30), 1000);
        Cookies cookies = new Cookies(RANDOM);

        IkeInitInitiator initiator = new IkeInitInitiator(config, new Endpoints(a, b), 0x1122334455667788L, RANDOM);
        OutstandingRequest out = new OutstandingRequest(0, List.of(initiator.request()), RetransmitPolicy.STRONGSWAN_DEFAULT, T0);
        int created = 0;
        byte[] delivered = null;
        Instant now = T0;
        for (int round = 0; round < 2; round++) {
            byte[] request = round == 0 ? initiator.request()
                    : assertInstanceOf(OutstandingRequest.Due.Resend.class, out.poll(now = now.plusSeconds(4))).datagrams().getFirst();
            byte[] response = halfOpen.retransmission(0x1122334455667788L, a, request, now).orElse(null);
            if (response == null) {
                var est = (IkeInitResponder.Outcome.Established) new IkeInitResponder(config, new Endpoints(b, a), RANDOM, cookies)
                        .onRequest(IkeDecoder.decode(request), request, halfOpen.count(now) >= 100, RANDOM.nextLong() | 1);
                response = est.response();
                assertTrue(halfOpen.created(0x1122334455667788L, a, request, response, est.result().responderSpi(), now));
                created++;
            }
            if (round == 0) {
                continue; // the network loses the first response
            }
            delivered = response;
        }
        assertEquals(1, created, "one IKE SA, however often the request arrives");
        assertEquals(1, halfOpen.count(now));
        var done = assertInstanceOf(IkeInitInitiator.Outcome.Established.class,
                initiator.onResponse(IkeDecoder.decode(delivered), delivered));
        assertTrue(out.answeredBy(0));
        halfOpen.completed(done.result().initiatorSpi(), a);
        assertEquals(0, halfOpen.count(now));
    }

    @Test
    void halfOpenEntriesExpireAndAreBounded() {
        InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), 500);
        HalfOpenSas h = new HalfOpenSas(Duration.ofSeconds(30), 2);
        assertTrue(h.created(1, from, new byte[] {1}, new byte[] {2}, 11, T0));
        assertTrue(h.created(2, from, new byte[] {1}, new byte[] {2}, 12, T0));
        assertFalse(h.created(3, from, new byte[] {1}, new byte[] {2}, 13, T0), "full: the caller drops and counts");
        // Same SPI, other octets (a retry after INVALID_KE_PAYLOAD): not a retransmission.
        assertTrue(h.retransmission(1, from, new byte[] {5}, T0).isEmpty());
        assertTrue(h.retransmission(1, from, new byte[] {1}, T0).isPresent());
        assertEquals(0, h.count(T0.plusSeconds(30)));
        assertTrue(h.retransmission(1, from, new byte[] {1}, T0.plusSeconds(31)).isEmpty());
    }
}

package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.sk.SkProtection;
import org.cevpn.ipsec.ike.testsupport.StrongSwanPeer;
import org.cevpn.ipsec.ike.testsupport.UdpEndpoint;
import org.junit.jupiter.api.Test;

/**
 * A whole IKE SA life with strongSwan 5.9 as the responder (netns; root, ip, charon, swanctl):
 * IKE_SA_INIT, IKE_AUTH, a liveness check, a child SA rekey with PFS (ECP-256) and the old child's
 * DELETE, an IKE SA rekey and the old IKE SA's DELETE, a liveness check on the new IKE SA, and its
 * DELETE. Every step through our tasks and SkProtection; charon's logged keys must match ours.
 */
class StrongSwanLifecycleTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One request/response on an IKE SA, retransmitted until answered. */
    private record Channel(StrongSwanPeer peer, UdpEndpoint socket, InetSocketAddress natT) {
        List<Payload> exchange(SkProtection sk, IkeSaKeying ike, ExchangeType type, long messageId, List<Payload> inner)
                throws Exception {
            IkeHeader h = new IkeHeader(ike.initiatorSpi(), ike.responderSpi(), type, ike.weInitiated(), false, messageId);
            byte[] message = sk.seal(h, inner);
            byte[] datagram = new byte[4 + message.length];
            System.arraycopy(message, 0, datagram, 4, message.length);
            for (int attempt = 0; attempt < 5; attempt++) {
                socket.send(datagram, natT);
                var got = socket.receive(1500);
                while (got.isPresent()) {
                    byte[] raw = Arrays.copyOfRange(got.get().data(), 4, got.get().data().length);
                    DecodedMessage m = IkeDecoder.decode(raw);
                    if (m.header().response() && m.header().messageId() == messageId
                            && m.header().initiatorSpi() == ike.initiatorSpi()) {
                        return sk.open(m, raw);
                    }
                    got = socket.receive(500); // something else (e.g. a request from charon): not ours to answer here
                }
            }
            throw new AssertionError("no " + type + " response #" + messageId + "\n" + peer.log());
        }
    }

    @Test
    void initAuthLivenessChildRekeyIkeRekeyAndDeletes() throws Exception {
        StrongSwanPeer.Config config = new StrongSwanPeer.Config("", "aes128gcm16-prfsha256-ecp256", "",
                "auth = psk\n id = ce2.example.net", "auth = psk", Map.of(), "aes128gcm16-ecp256");
        try (StrongSwanPeer peer = StrongSwanPeer.start(8, config);
             UdpEndpoint socket = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            Proposal ikeProposal = new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                    Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128),
                    Transform.prf(PseudorandomFunction.HMAC_SHA2_256), Transform.dhGroup(DhGroup.ECP_256)));
            IkeInitResult init = StrongSwanIkeInitTest.initiate(peer, socket,
                    new IkeInitConfig(List.of(ikeProposal), true, List.of())).result();
            Channel ch = new Channel(peer, socket, new InetSocketAddress(peer.address().getAddress(), 4500));
            IkeSaKeying ike = IkeSaKeying.of(init, true);
            SkProtection sk = SkProtection.of(ike.suite(), ike.keys(), true, RANDOM);

            // IKE_AUTH (message 1) with the first child SA.
            IkeAuthConfig auth = StrongSwanIkeInitTest.pskAuth();
            IkeAuthInitiator authTask = new IkeAuthInitiator(init, auth, 0x1100_0001, RANDOM);
            var authOutcome = authTask.onResponse(ch.exchange(sk, ike, ExchangeType.IKE_AUTH, 1, authTask.request()));
            ChildSaResult first = assertInstanceOf(IkeAuthInitiator.Outcome.Established.class, authOutcome,
                    () -> authOutcome + "\n" + log(peer)).child();

            // Liveness (message 2): an empty INFORMATIONAL, answered empty.
            assertEquals(List.of(), ch.exchange(sk, ike, ExchangeType.INFORMATIONAL, 2, Informational.liveness()));

            // Child rekey with PFS (message 3), then the old child's DELETE (message 4).
            var rekey = CreateChildSaInitiator.rekeyChild(ike, first, auth.child(), Optional.of(DhGroup.ECP_256), 0x1100_0002, RANDOM);
            var rekeyed = rekey.onResponse(ch.exchange(sk, ike, ExchangeType.CREATE_CHILD_SA, 3, rekey.request()));
            ChildSaResult second = assertInstanceOf(CreateChildSaInitiator.Outcome.ChildCreated.class, rekeyed,
                    () -> rekeyed + "\n" + log(peer)).child();
            Map<String, byte[]> logged = peer.loggedSecrets();
            assertArrayEquals(logged.get("encryption initiator key"), second.keys().encryptionInitiator(), "rekeyed child i->r");
            assertArrayEquals(logged.get("encryption responder key"), second.keys().encryptionResponder(), "rekeyed child r->i");
            List<Payload> deleteAnswer = ch.exchange(sk, ike, ExchangeType.INFORMATIONAL, 4,
                    Informational.deleteChildSas(List.of(first.inboundSpi())));
            assertEquals(List.of(first.outboundSpi()), Informational.deletedByPeer(deleteAnswer), "charon deletes its half");

            // IKE SA rekey (message 5); the old IKE SA's DELETE (message 6).
            var ikeRekey = CreateChildSaInitiator.rekeyIke(ike, List.of(ikeProposal), RANDOM.nextLong() | 1, RANDOM);
            var ikeRekeyed = ikeRekey.onResponse(ch.exchange(sk, ike, ExchangeType.CREATE_CHILD_SA, 5, ikeRekey.request()));
            IkeSaKeying next = assertInstanceOf(CreateChildSaInitiator.Outcome.IkeRekeyed.class, ikeRekeyed,
                    () -> ikeRekeyed + "\n" + log(peer)).replacement();
            logged = peer.loggedSecrets();
            assertArrayEquals(logged.get("Sk_d secret"), next.keys().skD(), "new SK_d");
            assertArrayEquals(logged.get("Sk_ei secret"), next.keys().skEi(), "new SK_ei");
            assertArrayEquals(logged.get("Sk_pr secret"), next.keys().skPr(), "new SK_pr");
            assertEquals(List.of(), ch.exchange(sk, ike, ExchangeType.INFORMATIONAL, 6, Informational.deleteIkeSa()));

            // The new IKE SA starts at message 0 and carries the child SA on.
            SkProtection nextSk = SkProtection.of(next.suite(), next.keys(), true, RANDOM);
            assertEquals(List.of(), ch.exchange(nextSk, next, ExchangeType.INFORMATIONAL, 0, Informational.liveness()));
            assertEquals(List.of(), ch.exchange(nextSk, next, ExchangeType.INFORMATIONAL, 1, Informational.deleteIkeSa()));
            String log = peer.log();
            assertTrue(log.contains("CHILD_SA net{2} established"), log);
            assertTrue(log.contains("received DELETE for ESP CHILD_SA with SPI"), log);
            assertTrue(log.contains("received DELETE for IKE_SA peer[2]"), log);
        }
    }

    private static String log(StrongSwanPeer peer) {
        try {
            return peer.log();
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}

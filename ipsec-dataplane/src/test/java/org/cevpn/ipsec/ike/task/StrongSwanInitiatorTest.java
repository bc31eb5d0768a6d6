package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.sk.SkProtection;
import org.cevpn.ipsec.ike.testsupport.StrongSwanPeer;
import org.cevpn.ipsec.ike.testsupport.UdpEndpoint;
import org.junit.jupiter.api.Test;

/**
 * strongSwan 5.9 initiates to our responder tasks (netns; root, ip, charon, swanctl): it must
 * accept our IKE_SA_INIT response (after our INVALID_KE_PAYLOAD) and go on to IKE_AUTH, whose
 * PSK AUTH our IkeAuthResponder verifies and answers; charon must then report the IKE SA and the
 * child SA established, and the keys it logs must equal ours.
 */
class StrongSwanInitiatorTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PSK = "throwaway-test-psk-0123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void strongSwanCompletesIkeSaInitWithOurResponderAndAuthenticates() throws Exception {
        int port = 45_000 + RANDOM.nextInt(10_000);
        try (StrongSwanPeer peer = StrongSwanPeer.start(4, StrongSwanPeer.Config.psk("",
                "aes256-sha384-ecp256,aes128gcm16-prfsha384-x25519", "remote_port = " + port));
             UdpEndpoint socket = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), port));
             // charon sees a NAT (its kernel-libipsec fakes one) and floats to port 4500 for IKE_AUTH.
             UdpEndpoint natT = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 4500))) {
            IkeInitConfig ours = new IkeInitConfig(List.of(IkeInitExchangeTest.gcm(1, DhGroup.CURVE25519)),
                    true, List.of(HashAlgorithm.SHA2_256));
            Process initiate = peer.initiate();
            try {
                IkeInitResult result = null;
                int invalidKe = 0;
                for (int i = 0; i < 6 && result == null; i++) {
                    UdpEndpoint.Received request = socket.receive(3000)
                            .orElseThrow(() -> new AssertionError("charon sent no IKE_SA_INIT\n" + log(peer)));
                    DecodedMessage m = IkeDecoder.decode(request.data());
                    IkeInitResponder responder = new IkeInitResponder(ours, new Endpoints(socket.local(), request.from()),
                            RANDOM, new org.cevpn.ipsec.ike.task.Cookies(RANDOM));
                    switch (responder.onRequest(m, request.data(), false, RANDOM.nextLong() | 1)) {
                        case IkeInitResponder.Outcome.Refused r -> {
                            // charon's first KE is for its first proposal's group (ECP-256): we ask for 31.
                            assertEquals(org.cevpn.ipsec.ike.message.NotifyType.INVALID_KE_PAYLOAD, r.error(), r.reason());
                            invalidKe++;
                            socket.send(r.response(), request.from());
                        }
                        case IkeInitResponder.Outcome.Established e -> {
                            socket.send(e.response(), request.from());
                            result = e.result();
                        }
                        case IkeInitResponder.Outcome.Dropped d -> throw new AssertionError(d.reason());
                    }
                }
                assertEquals(1, invalidKe);
                assertTrue(result != null);
                assertTrue(result.natDetected());

                // charon derives its keys on our response and sends IKE_AUTH.
                UdpEndpoint.Received auth = natT.receive(3000)
                        .orElseThrow(() -> new AssertionError("charon sent no IKE_AUTH\n" + log(peer)));
                byte[] raw = auth.data();
                assertArrayEquals(new byte[4], Arrays.copyOf(raw, 4), "non-ESP marker");
                raw = Arrays.copyOfRange(raw, 4, raw.length);
                DecodedMessage m = IkeDecoder.decode(raw);
                assertEquals(ExchangeType.IKE_AUTH.value(), m.header().exchangeType());
                SkProtection sk = SkProtection.of(result.chosen(), result.keys(), false, RANDOM);
                List<Payload> inner = sk.open(m, raw);
                // Our IKE_AUTH responder task checks charon's PSK AUTH and answers with ours and the child SA.
                IkeAuthResponder.Outcome outcome = new IkeAuthResponder(result, StrongSwanIkeInitTest.pskAuth(), RANDOM)
                        .onRequest(inner, 0x2000_0000 | RANDOM.nextInt(0x0fff_ffff) + 1);
                var established = assertInstanceOf(IkeAuthResponder.Outcome.Established.class, outcome,
                        () -> outcome + "\n" + log(peer));
                assertEquals(Identity.fqdn("ce2.example.net"), established.peer());
                assertTrue(established.child().isPresent(), () -> established.childError() + "\n" + log(peer));
                // charon sends INITIAL_CONTACT only with unique = replace/keep; this connection has unique = no.
                assertTrue(!established.peerInitialContact());
                IkeHeader answer = new IkeHeader(m.header().initiatorSpi(), m.header().responderSpi(), ExchangeType.IKE_AUTH,
                        false, true, m.header().messageId());
                byte[] sealed = sk.seal(answer, established.response());
                byte[] datagram = new byte[4 + sealed.length];
                System.arraycopy(sealed, 0, datagram, 4, sealed.length);
                natT.send(datagram, auth.from());
                String log = "";
                for (int i = 0; i < 60 && !log.contains("CHILD_SA net{1} established"); i++) {
                    Thread.sleep(50);
                    log = peer.log();
                }
                assertTrue(log.contains("authentication of 'ce1.example.net' with pre-shared key successful"), log);
                assertTrue(log.contains("IKE_SA peer[1] established"), log);
                assertTrue(log.contains("CHILD_SA net{1} established"), log);

                Map<String, byte[]> logged = peer.loggedSecrets();
                assertArrayEquals(logged.get("Sk_d secret"), result.keys().skD(), "SK_d");
                assertArrayEquals(logged.get("Sk_ei secret"), result.keys().skEi(), "SK_ei");
                assertArrayEquals(logged.get("Sk_er secret"), result.keys().skEr(), "SK_er");
                assertArrayEquals(logged.get("Sk_pi secret"), result.keys().skPi(), "SK_pi");
                assertArrayEquals(logged.get("Sk_pr secret"), result.keys().skPr(), "SK_pr");
            } finally {
                initiate.destroy();
                initiate.waitFor(5, TimeUnit.SECONDS);
            }
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

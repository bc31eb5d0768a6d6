package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cevpn.ipsec.ike.crypto.ChildSaKeys;
import org.cevpn.ipsec.ike.crypto.KeyDerivation;
import org.cevpn.ipsec.ike.crypto.KeyLengths;
import org.cevpn.ipsec.ike.crypto.SharedKeyAuth;
import org.cevpn.ipsec.ike.crypto.SignedOctets;
import org.cevpn.ipsec.ike.message.AuthMethod;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IdType;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.message.TransformType;
import org.cevpn.ipsec.ike.sk.SkProtection;
import org.cevpn.ipsec.ike.testsupport.StrongSwanPeer;
import org.cevpn.ipsec.ike.testsupport.UdpEndpoint;
import org.junit.jupiter.api.Test;

/**
 * Our IKE_SA_INIT initiator against a real strongSwan 5.9 responder in a network namespace
 * (root, ip, charon and swanctl needed; skipped without them unless CI=true). strongSwan must
 * answer with its SA, KE and Nr. strongSwan derives its keys only when IKE_AUTH arrives, so each
 * test follows with a PSK IKE_AUTH (SK by our SkProtection, AUTH by our SharedKeyAuth):
 * charon must accept our AUTH and establish the IKE SA and child SA, its AUTH must verify with
 * ours, and the IKE and child SA keys it logs must equal the ones we derive.
 */
class StrongSwanIkeInitTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PSK = "throwaway-test-psk-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NON_ESP_MARKER = new byte[4];

    record Exchange(IkeInitResult result, List<String> retries) {
    }

    static Exchange initiate(StrongSwanPeer peer, UdpEndpoint socket, IkeInitConfig config) throws Exception {
        IkeInitInitiator initiator = new IkeInitInitiator(config, new Endpoints(socket.local(), peer.address()),
                RANDOM.nextLong() | 1, RANDOM);
        byte[] request = initiator.request();
        List<String> retries = new ArrayList<>();
        for (int attempt = 0; attempt < 12; attempt++) {
            socket.send(request, peer.address());
            var answer = socket.receive(1000);
            if (answer.isEmpty()) {
                continue; // retransmit the same octets
            }
            byte[] raw = answer.get().data();
            IkeInitInitiator.Outcome o = initiator.onResponse(IkeDecoder.decode(raw), raw);
            switch (o) {
                case IkeInitInitiator.Outcome.Retry r -> {
                    retries.add(r.reason());
                    request = r.request();
                }
                case IkeInitInitiator.Outcome.Established e -> {
                    return new Exchange(e.result(), retries);
                }
                case IkeInitInitiator.Outcome.Failed f -> throw new AssertionError(f.reason() + "\n" + peer.log());
            }
        }
        throw new AssertionError("strongSwan did not complete IKE_SA_INIT\n" + peer.log());
    }

    private static Exchange initiate(StrongSwanPeer peer, IkeInitConfig config) throws Exception {
        try (UdpEndpoint socket = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            return initiate(peer, socket, config);
        }
    }

    /** IKE_AUTH with PSK and a first child SA; returns strongSwan's decrypted answer. */
    private static List<Payload> authenticate(StrongSwanPeer peer, UdpEndpoint socket, IkeInitResult r) throws Exception {
        SkProtection sk = SkProtection.of(r.chosen(), r.keys(), true, RANDOM);
        Payload.Identification idi = new Payload.Identification(true, IdType.FQDN.value(),
                Octets.copyOf("ce1.example.net".getBytes(StandardCharsets.US_ASCII)));
        byte[] signed = SignedOctets.of(r.prf(), r.initiatorMessage().toByteArray(), r.responderNonce().toByteArray(),
                r.keys().skPi(), idi);
        byte[] espSpi = new byte[4];
        RANDOM.nextBytes(espSpi);
        espSpi[0] |= 0x10;
        List<Payload> inner = List.of(idi,
                new Payload.Authentication(AuthMethod.SHARED_KEY_MIC.value(), Octets.copyOf(SharedKeyAuth.compute(r.prf(), PSK, signed))),
                new Payload.SecurityAssociation(List.of(new Proposal(1, ProtocolId.ESP.value(), Octets.copyOf(espSpi), List.of(
                        Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128),
                        Transform.sequenceNumbers(SequenceNumbers.NO_ESN))))),
                new Payload.TrafficSelectors(true, List.of(TrafficSelector.range(
                        InetAddress.getByName("10.10.1.0"), InetAddress.getByName("10.10.1.255")))),
                new Payload.TrafficSelectors(false, List.of(TrafficSelector.range(
                        InetAddress.getByName("10.10.2.0"), InetAddress.getByName("10.10.2.255")))));
        IkeHeader h = new IkeHeader(r.initiatorSpi(), r.responderSpi(), ExchangeType.IKE_AUTH, true, false, 1);
        byte[] message = sk.seal(h, inner);
        // NAT detected (strongSwan with kernel-libipsec fakes one to force encapsulation): port 4500.
        assertTrue(r.natDetected());
        InetSocketAddress natT = new InetSocketAddress(peer.address().getAddress(), 4500);
        byte[] datagram = concat(NON_ESP_MARKER, message);
        for (int attempt = 0; attempt < 5; attempt++) {
            socket.send(datagram, natT);
            var answer = socket.receive(1500);
            if (answer.isPresent()) {
                byte[] udp = answer.get().data();
                assertArrayEquals(NON_ESP_MARKER, Arrays.copyOf(udp, 4));
                byte[] raw = Arrays.copyOfRange(udp, 4, udp.length);
                DecodedMessage m = IkeDecoder.decode(raw);
                assertEquals(ExchangeType.IKE_AUTH.value(), m.header().exchangeType());
                assertTrue(m.header().response());
                return sk.open(m, raw);
            }
        }
        throw new AssertionError("no IKE_AUTH response\n" + peer.log());
    }

    private static void authenticatedByStrongSwan(StrongSwanPeer peer, UdpEndpoint socket, IkeInitResult r) throws Exception {
        List<Payload> answer = authenticate(peer, socket, r);
        String log = peer.log();
        Payload.Identification idr = first(answer, Payload.Identification.class, log);
        Payload.Authentication auth = first(answer, Payload.Authentication.class, log);
        first(answer, Payload.SecurityAssociation.class, log);
        assertEquals(2, answer.stream().filter(p -> p instanceof Payload.TrafficSelectors).count());
        byte[] signedR = SignedOctets.of(r.prf(), r.responderMessage().toByteArray(), r.initiatorNonce().toByteArray(),
                r.keys().skPr(), idr);
        assertTrue(SharedKeyAuth.verify(r.prf(), PSK, signedR, auth.data().toByteArray()), "strongSwan's AUTH");
        assertTrue(log.contains("authentication of 'ce1.example.net' with pre-shared key successful"), log);
        assertTrue(log.contains("established between 10.231."), log);
        sameKeysAsCharon(peer, r);
    }

    private static <P extends Payload> P first(List<Payload> payloads, Class<P> type, String log) {
        return payloads.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + payloads + "\n" + log));
    }

    private static void sameKeysAsCharon(StrongSwanPeer peer, IkeInitResult r) throws Exception {
        Map<String, byte[]> logged = peer.loggedSecrets();
        assertTrue(logged.containsKey("Sk_d secret"), () -> "charon logged no keys");
        assertArrayEquals(logged.get("Sk_d secret"), r.keys().skD(), "SK_d");
        assertArrayEquals(logged.getOrDefault("Sk_ai secret", new byte[0]), r.keys().skAi(), "SK_ai");
        assertArrayEquals(logged.get("Sk_ei secret"), r.keys().skEi(), "SK_ei");
        assertArrayEquals(logged.get("Sk_er secret"), r.keys().skEr(), "SK_er");
        assertArrayEquals(logged.get("Sk_pi secret"), r.keys().skPi(), "SK_pi");
        assertArrayEquals(logged.get("Sk_pr secret"), r.keys().skPr(), "SK_pr");
        // charon saw our true address and port, so our DESTINATION check finds no NAT on our side.
        assertFalse(r.localBehindNat());
        // The first child SA (ESP AES-GCM-16/128, no PFS in IKE_AUTH): KEYMAT = prf+(SK_d, Ni | Nr).
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.copyOf(new byte[4]), List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128), Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        ChildSaKeys child = KeyDerivation.childSaKeys(r.prf(), r.keys().skD(), null,
                r.initiatorNonce().toByteArray(), r.responderNonce().toByteArray(), KeyLengths.forChild(esp));
        assertArrayEquals(logged.get("encryption initiator key"), child.encryptionInitiator(), "child key i->r");
        assertArrayEquals(logged.get("encryption responder key"), child.encryptionResponder(), "child key r->i");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void strongSwanAcceptsOurInitWithCurve25519AndAesGcm() throws Exception {
        try (StrongSwanPeer peer = StrongSwanPeer.start(1, "", "aes128gcm16-prfsha256-x25519");
             UdpEndpoint socket = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            IkeInitConfig config = new IkeInitConfig(List.of(IkeInitExchangeTest.gcm(1, DhGroup.ECP_256),
                    new Proposal(2, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                            Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128),
                            Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                            Transform.dhGroup(DhGroup.CURVE25519)))),
                    true, List.of(HashAlgorithm.SHA2_256));
            Exchange x = initiate(peer, socket, config);
            // charon takes our second proposal and asks for its group instead of our first KE's.
            assertEquals(2, x.result().chosen().number());
            assertEquals(List.of("responder asked for DH group 31"), x.retries());
            assertTrue(x.result().peerSupportsFragmentation());
            assertTrue(x.result().peerSignatureHashes().contains(HashAlgorithm.SHA2_256));
            authenticatedByStrongSwan(peer, socket, x.result());
        }
    }

    @Test
    void strongSwansInvalidKePayloadIsFollowedToEcp384() throws Exception {
        try (StrongSwanPeer peer = StrongSwanPeer.start(2, "", "aes256-sha256-ecp384");
             UdpEndpoint socket = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            IkeInitConfig config = new IkeInitConfig(List.of(
                    IkeInitExchangeTest.proposal(1, List.of(DhGroup.MODP_2048, DhGroup.ECP_384))), false, List.of());
            Exchange x = initiate(peer, socket, config);
            assertEquals(List.of("responder asked for DH group 20"), x.retries());
            assertEquals(DhGroup.ECP_384.value(), x.result().chosen().transforms(TransformType.KEY_EXCHANGE).getFirst().id());
            assertFalse(x.result().peerSupportsFragmentation(), "charon answers the announcement only if we made it");
            authenticatedByStrongSwan(peer, socket, x.result());
        }
    }

    @Test
    void strongSwansCookieChallengeIsAnswered() throws Exception {
        try (StrongSwanPeer peer = StrongSwanPeer.start(3, "cookie_threshold = 1", "aes256-sha256-modp2048");
             UdpEndpoint socket = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            IkeInitConfig config = new IkeInitConfig(List.of(
                    IkeInitExchangeTest.proposal(1, List.of(DhGroup.MODP_2048))), true, List.of());
            // The first IKE SA stays half-open (no IKE_AUTH follows): the threshold is reached.
            Exchange first = initiate(peer, config);
            assertTrue(first.retries().isEmpty());
            Exchange second = initiate(peer, socket, config);
            assertEquals(List.of("responder asked for a cookie"), second.retries());
            authenticatedByStrongSwan(peer, socket, second.result());
        }
    }
}

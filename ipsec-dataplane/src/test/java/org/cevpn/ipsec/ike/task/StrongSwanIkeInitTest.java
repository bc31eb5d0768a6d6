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
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.Octets;
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
 * test follows with our IKE_AUTH task (PSK, first child SA; SK by our SkProtection): charon
 * must accept our AUTH and establish the IKE SA and child SA, our task must accept charon's AUTH
 * and child SA, and the IKE and child SA keys charon logs must equal the ones we derive.
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

    /** Our PSK IKE_AUTH settings towards the charon of {@link StrongSwanPeer} (ce2.example.net). */
    static IkeAuthConfig pskAuth() throws Exception {
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128), Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        return new IkeAuthConfig(Identity.fqdn("ce1.example.net"), new Credentials.OwnSharedKey(PSK),
                Identity.fqdn("ce2.example.net"), new Credentials.PeerSharedKey(PSK), true,
                new ChildSaConfig(List.of(esp),
                        List.of(TrafficSelector.range(InetAddress.getByName("10.10.1.0"), InetAddress.getByName("10.10.1.255"))),
                        List.of(TrafficSelector.range(InetAddress.getByName("10.10.2.0"), InetAddress.getByName("10.10.2.255")))));
    }

    /** Our IKE_AUTH task's request, protected by SkProtection, to charon on port 4500; its answer judged. */
    private static IkeAuthInitiator.Outcome authenticate(StrongSwanPeer peer, UdpEndpoint socket, IkeInitResult r)
            throws Exception {
        SkProtection sk = SkProtection.of(r.chosen(), r.keys(), true, RANDOM);
        IkeAuthInitiator auth = new IkeAuthInitiator(r, pskAuth(), 0x1000_0000 | RANDOM.nextInt(0x0fff_ffff) + 1, RANDOM);
        IkeHeader h = new IkeHeader(r.initiatorSpi(), r.responderSpi(), ExchangeType.IKE_AUTH, true, false, 1);
        byte[] message = sk.seal(h, auth.request());
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
                return auth.onResponse(sk.open(m, raw));
            }
        }
        throw new AssertionError("no IKE_AUTH response\n" + peer.log());
    }

    private static void authenticatedByStrongSwan(StrongSwanPeer peer, UdpEndpoint socket, IkeInitResult r) throws Exception {
        IkeAuthInitiator.Outcome outcome = authenticate(peer, socket, r);
        String log = peer.log();
        if (!(outcome instanceof IkeAuthInitiator.Outcome.Established established)) {
            throw new AssertionError(outcome + "\n" + log);
        }
        assertEquals(Identity.fqdn("ce2.example.net"), established.peer());
        assertTrue(log.contains("authentication of 'ce1.example.net' with pre-shared key successful"), log);
        assertTrue(log.contains("established between 10.231."), log);
        assertTrue(log.contains("CHILD_SA net{1} established"), log);
        sameKeysAsCharon(peer, r, established.child());
    }

    private static void sameKeysAsCharon(StrongSwanPeer peer, IkeInitResult r, ChildSaResult child) throws Exception {
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
        assertArrayEquals(logged.get("encryption initiator key"), child.keys().encryptionInitiator(), "child key i->r");
        assertArrayEquals(logged.get("encryption responder key"), child.keys().encryptionResponder(), "child key r->i");
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

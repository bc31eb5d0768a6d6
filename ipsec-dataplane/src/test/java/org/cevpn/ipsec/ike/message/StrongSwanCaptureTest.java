package org.cevpn.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cevpn.ipsec.ike.testsupport.Captures;
import org.cevpn.ipsec.ike.testsupport.Captures.Datagram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decodes what strongSwan 5.9.8 actually sent (captures/capture.sh) and re-encodes it to the same
 * octets: the codec reads what charon writes and writes what charon would.
 */
class StrongSwanCaptureTest {

    @ParameterizedTest
    @ValueSource(strings = {"modp2048-psk", "ecp256-gcm", "x25519-multi", "invalid-ke", "cookie"})
    void everyCapturedDatagramDecodesAndReencodesIdentically(String scenario) throws Exception {
        List<Datagram> datagrams = Captures.load(scenario);
        assertFalse(datagrams.isEmpty());
        for (Datagram d : datagrams) {
            DecodedMessage m = IkeDecoder.decode(d.ike());
            assertEquals(d.fromInitiator(), m.header().initiator(), "I flag of " + m.header());
            assertTrue(m.ignoredPayloads().isEmpty());
            assertArrayEquals(d.ike(), IkeEncoder.encode(m.message()), "re-encoding of " + m.header());
        }
    }

    @Test
    void initRequestCarriesWhatRfc7296AndTheExtensionsAsk() throws Exception {
        DecodedMessage init = IkeDecoder.decode(Captures.load("modp2048-psk").getFirst().ike());
        IkeMessage m = init.message();
        assertEquals(ExchangeType.IKE_SA_INIT, m.header().exchange().orElseThrow());
        assertEquals(0, m.header().responderSpi());
        assertFalse(m.header().response());
        Proposal p = m.first(Payload.SecurityAssociation.class).orElseThrow().proposals().getFirst();
        assertEquals(ProtocolId.IKE.value(), p.protocolId());
        Transform encr = p.transforms(TransformType.ENCRYPTION).getFirst();
        assertEquals(EncryptionAlgorithm.AES_CBC.value(), encr.id());
        assertEquals(256, encr.keyLength().orElseThrow());
        assertEquals(PseudorandomFunction.HMAC_SHA2_256.value(), p.transforms(TransformType.PRF).getFirst().id());
        assertEquals(IntegrityAlgorithm.HMAC_SHA2_256_128.value(), p.transforms(TransformType.INTEGRITY).getFirst().id());
        assertEquals(DhGroup.MODP_2048.value(), p.transforms(TransformType.KEY_EXCHANGE).getFirst().id());
        Payload.KeyExchange ke = m.first(Payload.KeyExchange.class).orElseThrow();
        assertEquals(DhGroup.MODP_2048.value(), ke.dhGroup());
        assertEquals(256, ke.keyData().length());
        assertEquals(32, m.first(Payload.Nonce.class).orElseThrow().data().length());
        assertEquals(20, m.notify(NotifyType.NAT_DETECTION_SOURCE_IP).orElseThrow().data().length());
        assertEquals(20, m.notify(NotifyType.NAT_DETECTION_DESTINATION_IP).orElseThrow().data().length());
        assertTrue(m.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isPresent());
        assertTrue(m.notify(NotifyType.SIGNATURE_HASH_ALGORITHMS).isPresent());
    }

    @Test
    void curve25519AndEcpKeySharesHaveTheirRfcSizes() throws Exception {
        Payload.KeyExchange x = IkeDecoder.decode(Captures.load("x25519-multi").getFirst().ike())
                .message().first(Payload.KeyExchange.class).orElseThrow();
        assertEquals(DhGroup.CURVE25519.value(), x.dhGroup());
        assertEquals(32, x.keyData().length());
        Payload.KeyExchange ecp = IkeDecoder.decode(Captures.load("ecp256-gcm").getFirst().ike())
                .message().first(Payload.KeyExchange.class).orElseThrow();
        assertEquals(DhGroup.ECP_256.value(), ecp.dhGroup());
        assertEquals(64, ecp.keyData().length()); // RFC 5903: x || y, no point-format octet
        Proposal gcm = IkeDecoder.decode(Captures.load("ecp256-gcm").getFirst().ike())
                .message().first(Payload.SecurityAssociation.class).orElseThrow().proposals().getFirst();
        assertEquals(EncryptionAlgorithm.AES_GCM_16.value(), gcm.transforms(TransformType.ENCRYPTION).getFirst().id());
        assertTrue(gcm.transforms(TransformType.INTEGRITY).isEmpty());
        List<Proposal> two = IkeDecoder.decode(Captures.load("x25519-multi").getFirst().ike())
                .message().first(Payload.SecurityAssociation.class).orElseThrow().proposals();
        assertEquals(2, two.size());
        assertEquals(2, two.get(1).number());
    }

    @Test
    void invalidKePayloadNamesTheGroupTheResponderWants() throws Exception {
        List<Datagram> d = Captures.load("invalid-ke");
        IkeMessage answer = IkeDecoder.decode(d.get(1).ike()).message();
        assertTrue(answer.header().response());
        assertEquals(0, answer.header().responderSpi());
        Payload.Notify invalidKe = answer.notify(NotifyType.INVALID_KE_PAYLOAD).orElseThrow();
        assertEquals(Octets.fromHex("0014"), invalidKe.data()); // ECP-384, group 20
        IkeMessage retry = IkeDecoder.decode(d.get(2).ike()).message();
        assertEquals(DhGroup.ECP_384.value(), retry.first(Payload.KeyExchange.class).orElseThrow().dhGroup());
        assertEquals(96, retry.first(Payload.KeyExchange.class).orElseThrow().keyData().length());
    }

    @Test
    void cookieChallengeIsEchoedFirstInTheRetry() throws Exception {
        List<Datagram> d = Captures.load("cookie");
        IkeMessage challenge = null;
        int at = -1;
        for (int i = 0; i < d.size() && challenge == null; i++) {
            IkeMessage m = IkeDecoder.decode(d.get(i).ike()).message();
            if (m.header().response() && m.notify(NotifyType.COOKIE).isPresent()) {
                challenge = m;
                at = i;
            }
        }
        assertTrue(challenge != null, "the capture holds a COOKIE challenge");
        Octets cookie = challenge.notify(NotifyType.COOKIE).orElseThrow().data();
        long spi = challenge.header().initiatorSpi();
        IkeMessage retry = null;
        for (int i = at + 1; i < d.size() && retry == null; i++) {
            IkeMessage m = IkeDecoder.decode(d.get(i).ike()).message();
            if (!m.header().response() && m.header().initiatorSpi() == spi) {
                retry = m;
            }
        }
        assertTrue(retry != null);
        // RFC 7296 §2.6: the retried IKE_SA_INIT starts with the COOKIE notify, data unchanged.
        Payload.Notify first = (Payload.Notify) retry.payloads().getFirst();
        assertTrue(first.is(NotifyType.COOKIE));
        assertEquals(cookie, first.data());
    }

    @Test
    void ikeAuthIsAnEncryptedPayloadAfterTheHeaderOnPort4500() throws Exception {
        for (Datagram d : Captures.load("modp2048-psk")) {
            DecodedMessage m = IkeDecoder.decode(d.ike());
            if (m.header().exchangeType() != ExchangeType.IKE_AUTH.value()) {
                continue;
            }
            assertTrue(d.nonEspMarker());
            Payload.Encrypted sk = (Payload.Encrypted) m.payloads().getFirst();
            assertEquals(IkeHeader.LENGTH, m.encryptedOffset());
            int expectedFirst = m.header().response() ? PayloadType.ID_RESPONDER.value() : PayloadType.ID_INITIATOR.value();
            assertEquals(expectedFirst, sk.firstInnerPayload());
            // AES-CBC: 16-octet IV, whole blocks, 16-octet ICV (HMAC-SHA2-256-128)
            assertEquals(0, (sk.content().length() - 16 - 16) % 16);
        }
    }
}

package org.cevpn.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PayloadRoundTripTest {
    private static final IkeHeader INIT = new IkeHeader(0x0102030405060708L, 0, ExchangeType.IKE_SA_INIT, true, false, 0);

    static Octets bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + 7 * i);
        }
        return Octets.copyOf(b);
    }

    static Stream<Payload> everyPayload() throws Exception {
        Proposal ike = new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_384),
                Transform.dhGroup(DhGroup.CURVE25519),
                Transform.dhGroup(DhGroup.ECP_256)));
        Proposal esp = new Proposal(2, ProtocolId.ESP.value(), bytes(4, 9), List.of(
                Transform.encryption(EncryptionAlgorithm.AES_CBC, 128),
                Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128),
                Transform.sequenceNumbers(SequenceNumbers.NO_ESN),
                new Transform(TransformType.ENCRYPTION.value(), 999,
                        List.of(new TransformAttribute(300, false, bytes(5, 1))))));
        return Stream.of(
                new Payload.SecurityAssociation(List.of(ike, esp)),
                new Payload.KeyExchange(DhGroup.MODP_2048.value(), bytes(256, 3)),
                new Payload.Identification(true, IdType.FQDN.value(), Octets.copyOf("ce1.example.net".getBytes())),
                new Payload.Identification(false, IdType.IPV4_ADDR.value(), bytes(4, 10)),
                new Payload.Certificate(CertEncoding.X509_SIGNATURE.value(), bytes(700, 4)),
                new Payload.CertificateRequest(CertEncoding.X509_SIGNATURE.value(), bytes(40, 5)),
                new Payload.Authentication(AuthMethod.SHARED_KEY_MIC.value(), bytes(32, 6)),
                new Payload.Nonce(bytes(16, 7)),
                new Payload.Nonce(bytes(256, 8)),
                Payload.Notify.of(NotifyType.NAT_DETECTION_SOURCE_IP, bytes(20, 9)),
                new Payload.Notify(ProtocolId.ESP.value(), bytes(4, 1), NotifyType.REKEY_SA.value(), Octets.EMPTY),
                new Payload.Notify(0, Octets.EMPTY, 40000, bytes(3, 2)),
                Payload.Delete.ikeSa(),
                new Payload.Delete(ProtocolId.ESP.value(), 4, List.of(bytes(4, 1), bytes(4, 2), bytes(4, 3))),
                new Payload.VendorId(bytes(16, 11)),
                new Payload.TrafficSelectors(true, List.of(
                        TrafficSelector.range(InetAddress.getByName("10.1.0.0"), InetAddress.getByName("10.1.255.255")),
                        new TrafficSelector(TsType.IPV6_ADDR_RANGE.value(), 17, 500, 500,
                                bytes(16, 1), bytes(16, 2)))),
                new Payload.TrafficSelectors(false, List.of(
                        TrafficSelector.range(InetAddress.getByName("10.2.0.0"), InetAddress.getByName("10.2.0.255")))),
                new Payload.Opaque(PayloadType.CONFIGURATION.value(), false, bytes(8, 12)),
                new Payload.Opaque(PayloadType.EAP.value(), true, bytes(5, 13)));
    }

    @ParameterizedTest
    @MethodSource("everyPayload")
    void everyPayloadSurvivesEncodeAndDecode(Payload payload) throws Exception {
        IkeMessage m = new IkeMessage(INIT, List.of(payload, new Payload.VendorId(bytes(3, 0))));
        byte[] wire = IkeEncoder.encode(m);
        DecodedMessage d = IkeDecoder.decode(wire);
        assertEquals(m, d.message());
        assertEquals(-1, d.encryptedOffset());
        assertArrayEquals(wire, IkeEncoder.encode(d.message()));
    }

    @Test
    void encryptedPayloadIsLastAndItsPositionIsReported() throws Exception {
        List<Payload> inner = List.of(new Payload.Identification(true, IdType.FQDN.value(), bytes(10, 1)),
                new Payload.Authentication(AuthMethod.SHARED_KEY_MIC.value(), bytes(32, 2)));
        byte[] plaintext = IkeEncoder.encodeChain(inner);
        assertEquals(inner, IkeDecoder.decodeInner(IkeEncoder.firstPayloadType(inner), plaintext));

        IkeHeader auth = new IkeHeader(1, 2, ExchangeType.IKE_AUTH, true, false, 1);
        IkeMessage m = new IkeMessage(auth, List.of(Payload.Notify.of(NotifyType.INITIAL_CONTACT),
                new Payload.Encrypted(PayloadType.ID_INITIATOR.value(), bytes(64, 3))));
        byte[] wire = IkeEncoder.encode(m);
        DecodedMessage d = IkeDecoder.decode(wire);
        assertEquals(m, d.message());
        assertEquals(IkeHeader.LENGTH + 8, d.encryptedOffset()); // after the 8-octet notify
        assertEquals(wire.length, d.encryptedOffset() + 4 + 64);
        assertEquals(PayloadType.ID_INITIATOR.value(), wire[d.encryptedOffset()] & 0xff);
    }

    @Test
    void encryptedFragmentRoundTrips() throws Exception {
        IkeHeader auth = new IkeHeader(1, 2, ExchangeType.IKE_AUTH, false, true, 1);
        for (Payload.EncryptedFragment f : List.of(
                new Payload.EncryptedFragment(PayloadType.ID_RESPONDER.value(), 1, 3, bytes(100, 1)),
                new Payload.EncryptedFragment(0, 3, 3, bytes(50, 2)))) {
            IkeMessage m = new IkeMessage(auth, List.of(f));
            DecodedMessage d = IkeDecoder.decode(IkeEncoder.encode(m));
            assertEquals(m, d.message());
            assertEquals(IkeHeader.LENGTH, d.encryptedOffset());
        }
    }

    /** Independent of our encoder: RFC 7296 §3.1 and §3.10 laid out by hand. */
    @Test
    void headerAndNotifyMatchTheRfcLayout() throws Exception {
        String hex = "0102030405060708" + "0000000000000000" // SPIs
                + "29" + "20" + "22" + "08" + "00000000" + "00000024" // N, v2.0, IKE_SA_INIT, I, id 0, len 36
                + "00" + "00" + "0008" + "00" + "00" + "4006"; // N: last, len 8, proto 0, spi 0, COOKIE-1=16390
        byte[] wire = HexFormat.of().parseHex(hex);
        DecodedMessage d = IkeDecoder.decode(wire);
        assertEquals(new IkeMessage(INIT, List.of(Payload.Notify.of(NotifyType.COOKIE))), d.message());
        assertArrayEquals(wire, IkeEncoder.encode(d.message()));
        assertTrue(d.message().notify(NotifyType.COOKIE).isPresent());
    }

    @Test
    void saPayloadMatchesTheRfcLayout() throws Exception {
        // One IKE proposal: ENCR AES-CBC keylen 128 (TV attribute 0x800e 0x0080), PRF SHA2-256.
        String sa = "0000001c" + "01010002" // proposal: last, len 28, #1, IKE, spi size 0, 2 transforms
                + "0300000c" + "0100000c" + "800e0080" // transform, more, len 12, ENCR, AES_CBC, keylen 128
                + "00000008" + "02000005"; // last transform, len 8, PRF, HMAC_SHA2_256
        byte[] body = HexFormat.of().parseHex(sa);
        Payload.SecurityAssociation expected = new Payload.SecurityAssociation(List.of(new Proposal(1, 1, Octets.EMPTY,
                List.of(Transform.encryption(EncryptionAlgorithm.AES_CBC, 128), Transform.prf(PseudorandomFunction.HMAC_SHA2_256)))));
        assertArrayEquals(body, IkeEncoder.encodeBody(expected));
        assertEquals(128, expected.proposals().getFirst().transforms().getFirst().keyLength().orElseThrow());
    }
}

package org.cevpn.ipsec.ike.sk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.crypto.KeyDerivation;
import org.cevpn.ipsec.ike.crypto.KeyLengths;
import org.cevpn.ipsec.ike.crypto.Prf;
import org.cevpn.ipsec.ike.crypto.SharedKeyAuth;
import org.cevpn.ipsec.ike.crypto.SignedOctets;
import org.cevpn.ipsec.ike.message.AuthMethod;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.IdType;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.message.TransformType;
import org.cevpn.ipsec.ike.testsupport.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SkProtectionTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    static Stream<Proposal> suites() {
        return Stream.of(
                suite(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128), null),
                suite(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), null),
                suite(Transform.encryption(EncryptionAlgorithm.CHACHA20_POLY1305), null),
                suite(Transform.encryption(EncryptionAlgorithm.AES_CBC, 128), IntegrityAlgorithm.HMAC_SHA2_256_128),
                suite(Transform.encryption(EncryptionAlgorithm.AES_CBC, 256), IntegrityAlgorithm.HMAC_SHA2_256_128),
                suite(Transform.encryption(EncryptionAlgorithm.AES_CBC, 256), IntegrityAlgorithm.HMAC_SHA2_384_192),
                suite(Transform.encryption(EncryptionAlgorithm.AES_CBC, 256), IntegrityAlgorithm.HMAC_SHA2_512_256));
    }

    private static Proposal suite(Transform encr, IntegrityAlgorithm integ) {
        List<Transform> t = new ArrayList<>(List.of(encr, Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.dhGroup(DhGroup.CURVE25519)));
        if (integ != null) {
            t.add(Transform.integrity(integ));
        }
        return new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, t);
    }

    private static IkeSaKeys keys(Proposal p) {
        byte[] r = new byte[32];
        RANDOM.nextBytes(r);
        return KeyDerivation.ikeSaKeys(Prf.HMAC_SHA2_256, r, r, r, 1, 2, KeyLengths.forIke(p));
    }

    private static List<Payload> inner() throws Exception {
        return List.of(new Payload.Identification(true, IdType.FQDN.value(), Octets.copyOf("ce1.example.net".getBytes())),
                new Payload.Authentication(AuthMethod.SHARED_KEY_MIC.value(), Octets.fromHex("00112233445566778899aabbccddeeff")),
                new Payload.TrafficSelectors(true, List.of(TrafficSelector.range(
                        InetAddress.getByName("10.0.0.0"), InetAddress.getByName("10.0.0.255")))),
                Payload.Notify.of(NotifyType.INITIAL_CONTACT));
    }

    private static final IkeHeader AUTH = new IkeHeader(1, 2, ExchangeType.IKE_AUTH, true, false, 1);

    @ParameterizedTest
    @MethodSource("suites")
    void whatOneSideSealsTheOtherOpensAndTamperingIsDetected(Proposal suite) throws Exception {
        IkeSaKeys k = keys(suite);
        SkProtection initiator = SkProtection.of(suite, k, true, RANDOM);
        SkProtection responder = SkProtection.of(suite, k, false, RANDOM);
        List<Payload> inner = inner();
        byte[] wire = initiator.seal(AUTH, inner);
        DecodedMessage m = IkeDecoder.decode(wire);
        assertEquals(inner, responder.open(m, wire));
        // Sealing twice never gives the same octets (fresh IV).
        assertTrue(!Arrays.equals(wire, initiator.seal(AUTH, inner)));
        // The other direction's keys do not open it.
        SkException wrongWay = assertThrows(SkException.class, () -> initiator.open(m, wire));
        assertEquals(SkException.Reason.INTEGRITY, wrongWay.reason());
        // Every single-octet change after the header is caught (header changes too: they are AAD/MACed).
        for (int at = 0; at < wire.length; at++) {
            byte[] bad = wire.clone();
            bad[at] ^= 0x01;
            DecodedMessage dm;
            try {
                dm = IkeDecoder.decode(bad);
            } catch (IkeDecodeException e) {
                continue; // the codec already refuses it
            }
            assertThrows(SkException.class, () -> responder.open(dm, bad), "flip at " + at);
        }
        // And back: the responder's answer opens at the initiator.
        IkeHeader answer = new IkeHeader(1, 2, ExchangeType.IKE_AUTH, false, true, 1);
        byte[] back = responder.seal(answer, inner);
        assertEquals(inner, initiator.open(IkeDecoder.decode(back), back));
    }

    @Test
    void aSuiteTheSharedCryptoLacksIsRefusedUpFront() {
        Proposal sha1 = suite(Transform.encryption(EncryptionAlgorithm.AES_CBC, 256), IntegrityAlgorithm.HMAC_SHA1_96);
        assertThrows(IllegalArgumentException.class, () -> SkProtection.of(sha1, keys(sha1), true, RANDOM));
    }

    @Test
    void truncatedAndMisshapenContentIsMalformedNotAnException() throws Exception {
        Proposal cbc = suite(Transform.encryption(EncryptionAlgorithm.AES_CBC, 128), IntegrityAlgorithm.HMAC_SHA2_256_128);
        SkProtection p = SkProtection.of(cbc, keys(cbc), false, RANDOM);
        for (int length : new int[] {1, 16, 31, 33, 47}) {
            byte[] wire = org.cevpn.ipsec.ike.message.IkeEncoder.encode(new org.cevpn.ipsec.ike.message.IkeMessage(AUTH,
                    List.of(new Payload.Encrypted(35, Octets.copyOf(new byte[length])))));
            SkException e = assertThrows(SkException.class, () -> p.open(IkeDecoder.decode(wire), wire));
            assertEquals(SkException.Reason.MALFORMED, e.reason(), "length " + length);
        }
        byte[] plain = org.cevpn.ipsec.ike.message.IkeEncoder.encode(new org.cevpn.ipsec.ike.message.IkeMessage(AUTH,
                List.of(Payload.Notify.of(NotifyType.INITIAL_CONTACT))));
        assertThrows(SkException.class, () -> p.open(IkeDecoder.decode(plain), plain));
    }

    /** Random content behind a valid header: only SkException or IkeDecodeException may come out. */
    @Test
    void randomContentNeverThrowsAnythingElse() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5282);
        List<Proposal> all = suites().toList();
        for (Proposal suite : all) {
            SkProtection p = SkProtection.of(suite, keys(suite), false, RANDOM);
            for (int i = 0; i < 2000; i++) {
                byte[] content = new byte[1 + rnd.nextInt(200)];
                rnd.nextBytes(content);
                byte[] wire = org.cevpn.ipsec.ike.message.IkeEncoder.encode(new org.cevpn.ipsec.ike.message.IkeMessage(AUTH,
                        List.of(new Payload.Encrypted(rnd.nextInt(256), Octets.copyOf(content)))));
                try {
                    p.open(IkeDecoder.decode(wire), wire);
                    fail("random content opened");
                } catch (SkException | IkeDecodeException expected) {
                    // dropped or answered, as it should be
                } catch (RuntimeException e) {
                    fail("open threw " + e + " for " + HexFormat.of().formatHex(wire), e);
                }
            }
        }
    }

    /** strongSwan's captured IKE_AUTH messages open with the keys derived from what it logged. */
    @ParameterizedTest
    @ValueSource(strings = {"modp2048-psk", "ecp256-gcm", "invalid-ke"})
    void strongSwansCapturedIkeAuthOpens(String scenario) throws Exception {
        Map<String, byte[]> logged = new HashMap<>();
        try (var in = SkProtectionTest.class.getResourceAsStream("/org/cevpn/ipsec/ike/captures/" + scenario + ".keys")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                int c = line.indexOf(": ");
                if (c > 0) {
                    logged.put(line.substring(0, c), HexFormat.of().parseHex(line.substring(c + 2).trim()));
                }
            }
        }
        DecodedMessage initRequest = null;
        DecodedMessage initResponse = null;
        byte[] initRequestOctets = null;
        List<Captures.Datagram> auth = new ArrayList<>();
        for (Captures.Datagram d : Captures.load(scenario)) {
            DecodedMessage m = IkeDecoder.decode(d.ike());
            if (m.header().exchangeType() == ExchangeType.IKE_SA_INIT.value()) {
                if (!m.header().response()) {
                    initRequest = m;
                    initRequestOctets = d.ike();
                } else if (m.header().responderSpi() != 0) {
                    initResponse = m;
                }
            } else if (m.header().exchangeType() == ExchangeType.IKE_AUTH.value()) {
                auth.add(d);
            }
        }
        Proposal chosen = initResponse.message().first(Payload.SecurityAssociation.class).orElseThrow().proposals().getFirst();
        Prf prf = Prf.of(chosen.transforms(TransformType.PRF).getFirst().id()).orElseThrow();
        byte[] ni = initRequest.message().first(Payload.Nonce.class).orElseThrow().data().toByteArray();
        byte[] nr = initResponse.message().first(Payload.Nonce.class).orElseThrow().data().toByteArray();
        byte[] skeyseed = KeyDerivation.skeyseed(prf, ni, nr, logged.get("shared Diffie Hellman secret"));
        IkeSaKeys k = KeyDerivation.ikeSaKeys(prf, skeyseed, ni, nr, initResponse.header().initiatorSpi(),
                initResponse.header().responderSpi(), KeyLengths.forIke(chosen));
        SkProtection asResponder = SkProtection.of(chosen, k, false, RANDOM);
        SkProtection asInitiator = SkProtection.of(chosen, k, true, RANDOM);
        for (Captures.Datagram d : auth) {
            DecodedMessage m = IkeDecoder.decode(d.ike());
            List<Payload> inner = (d.fromInitiator() ? asResponder : asInitiator).open(m, d.ike());
            Payload.Authentication a = inner.stream().filter(p -> p instanceof Payload.Authentication)
                    .map(Payload.Authentication.class::cast).findFirst().orElseThrow();
            if (d.fromInitiator()) {
                Payload.Identification idi = inner.stream().filter(p -> p instanceof Payload.Identification)
                        .map(Payload.Identification.class::cast).findFirst().orElseThrow();
                byte[] signed = SignedOctets.of(prf, initRequestOctets, nr, k.skPi(), idi);
                assertTrue(SharedKeyAuth.verify(prf, "throwaway-capture-psk-0123456789".getBytes(StandardCharsets.US_ASCII),
                        signed, a.data().toByteArray()));
            }
        }
        assertEquals(2, auth.size());
    }
}

package org.cevpn.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.cevpn.ipsec.ike.message.AuthMethod;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.TransformType;
import org.cevpn.ipsec.ike.testsupport.Captures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known answers from a real peer: strongSwan logged the secrets of each captured (throwaway)
 * session at level 4 (captures/*.keys). From its g^ir and the nonces and SPIs on the wire we must
 * derive the same SKEYSEED and SK_* keys; with those keys we open strongSwan's IKE_AUTH messages
 * and check that its AUTH payloads equal our shared-key MIC over our own signed octets. The SK
 * opening here is test scaffolding for that check, not the engine's SK layer.
 */
class StrongSwanInteropKeysTest {
    private static final byte[] PSK = "throwaway-capture-psk-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @ValueSource(strings = {"modp2048-psk", "ecp256-gcm", "x25519-multi", "invalid-ke"})
    void ourDerivationAndAuthMatchStrongSwan(String scenario) throws Exception {
        Map<String, byte[]> logged = keys(scenario);
        List<Captures.Datagram> datagrams = Captures.load(scenario);
        DecodedMessage initRequest = null;
        DecodedMessage initResponse = null;
        byte[] initRequestOctets = null;
        byte[] initResponseOctets = null;
        DecodedMessage authRequest = null;
        DecodedMessage authResponse = null;
        byte[] authRequestOctets = null;
        byte[] authResponseOctets = null;
        for (Captures.Datagram d : datagrams) {
            DecodedMessage m = IkeDecoder.decode(d.ike());
            boolean response = m.header().response();
            if (m.header().exchangeType() == ExchangeType.IKE_SA_INIT.value()) {
                if (!response) {
                    initRequest = m;
                    initRequestOctets = d.ike();
                } else if (m.header().responderSpi() != 0) {
                    initResponse = m;
                    initResponseOctets = d.ike();
                }
            } else if (m.header().exchangeType() == ExchangeType.IKE_AUTH.value()) {
                if (!response) {
                    authRequest = m;
                    authRequestOctets = d.ike();
                } else {
                    authResponse = m;
                    authResponseOctets = d.ike();
                }
            }
        }
        assertTrue(initRequest != null && initResponse != null && authRequest != null && authResponse != null);

        Proposal chosen = initResponse.message().first(Payload.SecurityAssociation.class).orElseThrow().proposals().getFirst();
        Prf prf = Prf.of(chosen.transforms(TransformType.PRF).getFirst().id()).orElseThrow();
        KeyLengths lengths = KeyLengths.forIke(chosen);
        byte[] ni = initRequest.message().first(Payload.Nonce.class).orElseThrow().data().toByteArray();
        byte[] nr = initResponse.message().first(Payload.Nonce.class).orElseThrow().data().toByteArray();
        long spiI = initResponse.header().initiatorSpi();
        long spiR = initResponse.header().responderSpi();

        byte[] skeyseed = KeyDerivation.skeyseed(prf, ni, nr, logged.get("shared Diffie Hellman secret"));
        assertArrayEquals(logged.get("SKEYSEED"), skeyseed, "SKEYSEED");
        IkeSaKeys k = KeyDerivation.ikeSaKeys(prf, skeyseed, ni, nr, spiI, spiR, lengths);
        assertArrayEquals(logged.get("Sk_d secret"), k.skD(), "SK_d");
        assertArrayEquals(logged.getOrDefault("Sk_ai secret", new byte[0]), k.skAi(), "SK_ai");
        assertArrayEquals(logged.getOrDefault("Sk_ar secret", new byte[0]), k.skAr(), "SK_ar");
        assertArrayEquals(logged.get("Sk_ei secret"), k.skEi(), "SK_ei");
        assertArrayEquals(logged.get("Sk_er secret"), k.skEr(), "SK_er");
        assertArrayEquals(logged.get("Sk_pi secret"), k.skPi(), "SK_pi");
        assertArrayEquals(logged.get("Sk_pr secret"), k.skPr(), "SK_pr");

        // The initiator's AUTH: prf(prf(PSK, pad), RealMessage1 | Nr | prf(SK_pi, IDi')).
        List<Payload> inner = open(chosen, k.skEi(), k.skAi(), authRequest, authRequestOctets);
        Payload.Identification idi = first(inner, Payload.Identification.class);
        Payload.Authentication authI = first(inner, Payload.Authentication.class);
        assertEquals(AuthMethod.SHARED_KEY_MIC.value(), authI.method());
        byte[] signedI = SignedOctets.of(prf, initRequestOctets, nr, k.skPi(), idi);
        assertArrayEquals(authI.data().toByteArray(), SharedKeyAuth.compute(prf, PSK, signedI), "initiator AUTH");
        assertTrue(SharedKeyAuth.verify(prf, PSK, signedI, authI.data().toByteArray()));

        // The responder's AUTH: RealMessage2 | Ni | prf(SK_pr, IDr').
        List<Payload> innerR = open(chosen, k.skEr(), k.skAr(), authResponse, authResponseOctets);
        Payload.Identification idr = first(innerR, Payload.Identification.class);
        Payload.Authentication authR = first(innerR, Payload.Authentication.class);
        byte[] signedR = SignedOctets.of(prf, initResponseOctets, ni, k.skPr(), idr);
        assertArrayEquals(authR.data().toByteArray(), SharedKeyAuth.compute(prf, PSK, signedR), "responder AUTH");
        byte[] wrongPsk = "throwaway-capture-psk-0123456780".getBytes(StandardCharsets.US_ASCII);
        assertTrue(!SharedKeyAuth.verify(prf, wrongPsk, signedR, authR.data().toByteArray()));
    }

    private static <P extends Payload> P first(List<Payload> payloads, Class<P> type) {
        return payloads.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    /** Checks and decrypts the SK payload of {@code m} (RFC 7296 §3.14, RFC 5282 for AES-GCM). */
    private static List<Payload> open(Proposal chosen, byte[] encryptionKey, byte[] integrityKey, DecodedMessage m,
                                      byte[] octets) throws Exception {
        Payload.Encrypted sk = (Payload.Encrypted) m.payloads().getLast();
        byte[] content = sk.content().toByteArray();
        int contentAt = m.encryptedOffset() + 4;
        var encr = chosen.transforms(TransformType.ENCRYPTION).getFirst();
        byte[] plaintext;
        if (encr.id() == EncryptionAlgorithm.AES_GCM_16.value()) {
            int keyLength = encryptionKey.length - 4;
            byte[] nonce = new byte[12];
            System.arraycopy(encryptionKey, keyLength, nonce, 0, 4);
            System.arraycopy(content, 0, nonce, 4, 8);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryptionKey, 0, keyLength, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(octets, 0, contentAt);
            plaintext = c.doFinal(content, 8, content.length - 8);
        } else {
            assertEquals(EncryptionAlgorithm.AES_CBC.value(), encr.id());
            IntegrityAlgorithm integ = IntegrityAlgorithm.of(chosen.transforms(TransformType.INTEGRITY).getFirst().id()).orElseThrow();
            String macName = switch (integ) {
                case HMAC_SHA2_256_128 -> "HmacSHA256";
                case HMAC_SHA2_384_192 -> "HmacSHA384";
                case HMAC_SHA2_512_256 -> "HmacSHA512";
                default -> throw new AssertionError(integ);
            };
            int icv = integrityKey.length / 2; // the truncation of these HMAC-SHA2 transforms
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(integrityKey, macName));
            mac.update(octets, 0, octets.length - icv);
            assertArrayEquals(Arrays.copyOfRange(octets, octets.length - icv, octets.length),
                    Arrays.copyOf(mac.doFinal(), icv), "ICV");
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"), new IvParameterSpec(content, 0, 16));
            plaintext = c.doFinal(content, 16, content.length - 16 - icv);
        }
        int padLength = plaintext[plaintext.length - 1] & 0xff;
        return IkeDecoder.decodeInner(sk.firstInnerPayload(), Arrays.copyOf(plaintext, plaintext.length - padLength - 1));
    }

    private static Map<String, byte[]> keys(String scenario) throws IOException {
        try (InputStream in = StrongSwanInteropKeysTest.class.getResourceAsStream(
                "/org/cevpn/ipsec/ike/captures/" + scenario + ".keys")) {
            Map<String, byte[]> out = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    out.put(line.substring(0, colon), HEX.parseHex(line.substring(colon + 2).trim()));
                }
            }
            return out;
        }
    }
}

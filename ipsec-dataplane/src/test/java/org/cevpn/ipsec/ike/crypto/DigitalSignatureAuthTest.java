package org.cevpn.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DigitalSignatureAuthTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<SignatureScheme> ALL = EnumSet.allOf(SignatureScheme.class);
    private static KeyPair rsa;
    private static KeyPair p256;
    private static KeyPair p384;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048, RANDOM);
        rsa = r.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        p256 = ec.generateKeyPair();
        ec.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
        p384 = ec.generateKeyPair();
    }

    /** RFC 7427 Appendix A encodings; PSS as RFC 4055 / openssl asn1parse lays it out. */
    @Test
    void algorithmIdentifiersAreTheRfc7427Octets() {
        assertArrayEquals(HEX.parseHex("300d06092a864886f70d01010b0500"), SignatureScheme.RSA_PKCS1_SHA256.algorithmIdentifier());
        assertArrayEquals(HEX.parseHex("300d06092a864886f70d01010c0500"), SignatureScheme.RSA_PKCS1_SHA384.algorithmIdentifier());
        assertArrayEquals(HEX.parseHex("300d06092a864886f70d01010d0500"), SignatureScheme.RSA_PKCS1_SHA512.algorithmIdentifier());
        assertArrayEquals(HEX.parseHex("300a06082a8648ce3d040302"), SignatureScheme.ECDSA_SHA256.algorithmIdentifier());
        assertArrayEquals(HEX.parseHex("300a06082a8648ce3d040303"), SignatureScheme.ECDSA_SHA384.algorithmIdentifier());
        assertArrayEquals(HEX.parseHex("300a06082a8648ce3d040304"), SignatureScheme.ECDSA_SHA512.algorithmIdentifier());
        assertArrayEquals(HEX.parseHex("3041" + "06092a864886f70d01010a" + "3034"
                        + "a00f300d06096086480165030402010500"
                        + "a11c301a06092a864886f70d010108300d06096086480165030402010500"
                        + "a203020120"),
                SignatureScheme.RSA_PSS_SHA256.algorithmIdentifier());
    }

    private static KeyPair keyFor(SignatureScheme s) {
        if (s.keyAlgorithm().equals("RSA")) {
            return rsa;
        }
        return s == SignatureScheme.ECDSA_SHA256 ? p256 : p384;
    }

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void signedAuthDataVerifiesAndCarriesItsAlgorithm(SignatureScheme scheme) throws Exception {
        byte[] octets = "RealMessage1 | NonceRData | MACedIDForI".getBytes();
        KeyPair kp = keyFor(scheme);
        byte[] auth = DigitalSignatureAuth.sign(scheme, kp.getPrivate(), octets, RANDOM);
        byte[] id = scheme.algorithmIdentifier();
        assertEquals(id.length, auth[0] & 0xff);
        assertArrayEquals(id, Arrays.copyOfRange(auth, 1, 1 + id.length));
        assertEquals(scheme, DigitalSignatureAuth.verify(auth, kp.getPublic(), octets, ALL));

        byte[] other = octets.clone();
        other[0] ^= 1;
        assertThrows(AuthenticationFailedException.class, () -> DigitalSignatureAuth.verify(auth, kp.getPublic(), other, ALL));
        byte[] tampered = auth.clone();
        tampered[tampered.length - 3] ^= 0x40;
        assertThrows(AuthenticationFailedException.class, () -> DigitalSignatureAuth.verify(tampered, kp.getPublic(), octets, ALL));
        assertThrows(AuthenticationFailedException.class,
                () -> DigitalSignatureAuth.verify(auth, kp.getPublic(), octets, EnumSet.complementOf(EnumSet.of(scheme))));
    }

    @Test
    void mismatchedOrMalformedAuthDataFails() {
        byte[] octets = {1, 2, 3};
        byte[] rsaAuth = DigitalSignatureAuth.sign(SignatureScheme.RSA_PKCS1_SHA256, rsa.getPrivate(), octets, RANDOM);
        // an RSA signature checked against an EC key
        assertThrows(AuthenticationFailedException.class, () -> DigitalSignatureAuth.verify(rsaAuth, p256.getPublic(), octets, ALL));
        // a signature by another RSA key pair's twin: the EC key of the wrong size for ECDSA
        byte[] ecAuth = DigitalSignatureAuth.sign(SignatureScheme.ECDSA_SHA256, p256.getPrivate(), octets, RANDOM);
        assertThrows(AuthenticationFailedException.class, () -> DigitalSignatureAuth.verify(ecAuth, p384.getPublic(), octets, ALL));
        for (byte[] bad : new byte[][] {{}, {0}, {20, 1, 2}, Arrays.copyOf(rsaAuth, 16),
                {12, 0x30, 0x0a, 6, 8, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 4, 3, 2, 0x30, 0x00}}) {
            assertThrows(AuthenticationFailedException.class, () -> DigitalSignatureAuth.verify(bad, p256.getPublic(), octets, ALL));
        }
        assertThrows(IllegalArgumentException.class,
                () -> DigitalSignatureAuth.sign(SignatureScheme.ECDSA_SHA256, rsa.getPrivate(), octets, RANDOM));
    }
}

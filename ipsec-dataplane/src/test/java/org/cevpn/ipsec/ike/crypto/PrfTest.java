package org.cevpn.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PrfTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** RFC 4231 test cases 1, 2 and 6. */
    @Test
    void hmacSha2MatchesRfc4231() {
        byte[] k1 = new byte[20];
        Arrays.fill(k1, (byte) 0x0b);
        assertArrayEquals(HEX.parseHex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                Prf.HMAC_SHA2_256.compute(k1, ascii("Hi There")));
        assertArrayEquals(HEX.parseHex("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
                        + "faea9ea9076ede7f4af152e8b2fa9cb6"),
                Prf.HMAC_SHA2_384.compute(k1, ascii("Hi There")));
        assertArrayEquals(HEX.parseHex("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                        + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
                Prf.HMAC_SHA2_512.compute(k1, ascii("Hi There")));
        byte[] jefe = ascii("Jefe");
        byte[] what = ascii("what do ya want for nothing?");
        assertArrayEquals(HEX.parseHex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                Prf.HMAC_SHA2_256.compute(jefe, what));
        assertArrayEquals(HEX.parseHex("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
                        + "8e2240ca5e69e2c78b3239ecfab21649"),
                Prf.HMAC_SHA2_384.compute(jefe, ascii("what do ya "), ascii("want for nothing?")));
        assertArrayEquals(HEX.parseHex("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                        + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
                Prf.HMAC_SHA2_512.compute(jefe, what));
        byte[] k6 = new byte[131];
        Arrays.fill(k6, (byte) 0xaa);
        assertArrayEquals(HEX.parseHex("80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                        + "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
                Prf.HMAC_SHA2_512.compute(k6, ascii("Test Using Larger Than Block-Size Key - Hash Key First")));
    }

    /** prf+ re-derived from RFC 7296 §2.13 with BouncyCastle's HMAC, independent of the JCE. */
    @ParameterizedTest
    @EnumSource(Prf.class)
    void prfPlusFollowsRfc7296(Prf prf) {
        byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] seed = ascii("a seed of some length, neither a block nor an output");
        for (int length : new int[] {0, 1, prf.outputLength(), prf.outputLength() + 1, 200, 255 * prf.outputLength()}) {
            assertArrayEquals(reference(prf, key, seed, length), prf.plus(key, seed, length), prf + " " + length);
        }
        assertThrows(IllegalArgumentException.class, () -> prf.plus(key, seed, 255 * prf.outputLength() + 1));
    }

    static byte[] reference(Prf prf, byte[] key, byte[] seed, int length) {
        Digest d = switch (prf) {
            case HMAC_SHA2_256 -> new SHA256Digest();
            case HMAC_SHA2_384 -> new SHA384Digest();
            case HMAC_SHA2_512 -> new SHA512Digest();
        };
        HMac mac = new HMac(d);
        mac.init(new KeyParameter(key));
        byte[] out = new byte[0];
        byte[] t = new byte[0];
        for (int n = 1; out.length < length; n++) {
            mac.update(t, 0, t.length);
            mac.update(seed, 0, seed.length);
            mac.update((byte) n);
            t = new byte[mac.getMacSize()];
            mac.doFinal(t, 0);
            byte[] grown = Arrays.copyOf(out, out.length + t.length);
            System.arraycopy(t, 0, grown, out.length, t.length);
            out = grown;
        }
        return Arrays.copyOf(out, length);
    }

    static byte[] referenceHmac(Prf prf, byte[] key, byte[] data) {
        Digest d = switch (prf) {
            case HMAC_SHA2_256 -> new SHA256Digest();
            case HMAC_SHA2_384 -> new SHA384Digest();
            case HMAC_SHA2_512 -> new SHA512Digest();
        };
        HMac mac = new HMac(d);
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    @Test
    void anEmptyKeyIsTheZeroKeyOfHmac() {
        assertArrayEquals(referenceHmac(Prf.HMAC_SHA2_256, new byte[0], ascii("x")),
                Prf.HMAC_SHA2_256.compute(new byte[0], ascii("x")));
    }
}

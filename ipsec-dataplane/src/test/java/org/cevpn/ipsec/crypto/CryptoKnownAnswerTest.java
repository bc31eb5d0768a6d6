package org.cevpn.ipsec.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests from published vectors:
 * AES-GCM: McGrew &amp; Viega, "The Galois/Counter Mode of Operation", test cases 3, 4, 15, 16, in the
 * RFC 4106 keying (last 4 bytes of key material = salt, 8-byte explicit IV);
 * ChaCha20-Poly1305: RFC 8439 §2.8.2 and the ESP and IKEv2 examples of RFC 7634 Appendix A/B;
 * AES-CBC: RFC 3602 §4 cases 1-3 and NIST SP 800-38A F.2.5 (AES-256);
 * HMAC-SHA-256-128, -384-192, -512-256: RFC 4868 §2.7.2.1-3 AUTH256/384/512-1..3.
 */
class CryptoKnownAnswerTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    static final String GCM_P = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    static final String GCM_AAD = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    static final String GCM_IV = "facedbaddecaf888";

    private static void aeadKat(EncryptionAlgorithm alg, String keyAndSalt, String iv, String aad,
                                String plain, String cipherAndTag) {
        Aead aead = Aead.create(alg, SecretBytes.fromHex(keyAndSalt));
        byte[] p = hex(plain);
        byte[] a = hex(aad);
        byte[] n = hex(iv);
        byte[] out = new byte[p.length + 16];
        int w = aead.seal(n, 0, a, 0, a.length, p, 0, p.length, out, 0);
        assertEquals(p.length + 16, w);
        assertArrayEquals(hex(cipherAndTag), out, alg + " ciphertext||tag");

        byte[] back = new byte[p.length];
        assertEquals(p.length, aead.open(n, 0, a, 0, a.length, out, 0, out.length, back, 0));
        assertArrayEquals(p, back);

        // Any single flipped bit (ciphertext, tag) or changed AAD must fail the ICV.
        for (int bit : new int[] {0, 8 * p.length / 2 + 3, 8 * out.length - 1}) {
            byte[] bad = out.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(-1, aead.open(n, 0, a, 0, a.length, bad, 0, bad.length, back, 0));
        }
        byte[] badAad = Arrays.copyOf(a, a.length + 1);
        assertEquals(-1, aead.open(n, 0, badAad, 0, badAad.length, out, 0, out.length, back, 0));
    }

    @Test
    void aesGcm128TestCase3() {
        aeadKat(EncryptionAlgorithm.AES_GCM_16_128, "feffe9928665731c6d6a8f9467308308" + "cafebabe", GCM_IV, "", GCM_P,
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                        + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
                        + "4d5c2af327cd64a62cf35abd2ba6fab4");
    }

    @Test
    void aesGcm128TestCase4WithAad() {
        aeadKat(EncryptionAlgorithm.AES_GCM_16_128, "feffe9928665731c6d6a8f9467308308" + "cafebabe", GCM_IV, GCM_AAD,
                GCM_P.substring(0, 120),
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                        + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                        + "5bc94fbc3221a5db94fae95ae7121a47");
    }

    @Test
    void aesGcm256TestCase15() {
        aeadKat(EncryptionAlgorithm.AES_GCM_16_256,
                "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308" + "cafebabe", GCM_IV, "", GCM_P,
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
                        + "b094dac5d93471bdec1a502270e3cc6c");
    }

    @Test
    void aesGcm256TestCase16WithAad() {
        aeadKat(EncryptionAlgorithm.AES_GCM_16_256,
                "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308" + "cafebabe", GCM_IV, GCM_AAD,
                GCM_P.substring(0, 120),
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                        + "76fc6ece0f4e1768cddf8853bb2d551b");
    }

    @Test
    void chacha20Poly1305Rfc8439Section282() {
        String plain = HexFormat.of().formatHex(("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
                + "for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII));
        aeadKat(EncryptionAlgorithm.CHACHA20_POLY1305,
                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" + "07000000",
                "4041424344454647", "50515253c0c1c2c3c4c5c6c7", plain,
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                        + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                        + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                        + "3ff4def08e4b7a9de576d26586cec64b6116"
                        + "1ae10b594f09e26a7e902ecbd0600691");
    }

    /** RFC 7634 Appendix A: the ESP payload (inner ICMP packet + padding + pad length + next header). */
    @Test
    void chacha20Poly1305Rfc7634EspExample() {
        aeadKat(EncryptionAlgorithm.CHACHA20_POLY1305,
                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" + "a0a1a2a3",
                "1011121314151617", "0102030400000005", Rfc7634.ESP_PLAIN, Rfc7634.ESP_CIPHER_AND_TAG);
    }

    /** RFC 7634 Appendix B: an IKEv2 SK payload; the AAD is the IKE header plus the SK payload header. */
    @Test
    void chacha20Poly1305Rfc7634IkeExample() {
        aeadKat(EncryptionAlgorithm.CHACHA20_POLY1305,
                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" + "a0a1a2a3",
                "1011121314151617",
                "c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d72e20250000000009000000452900002" + "9",
                "0000000c000040010000000a00",
                "610394701f8d017f7c12924889" + "6b71bfe25236efd7cdc67066906315b2");
    }

    private static void cbcKat(EncryptionAlgorithm alg, String key, String iv, byte[] p, String c) {
        AesCbc cbc = new AesCbc(alg, SecretBytes.fromHex(key));
        byte[] out = new byte[p.length];
        assertEquals(p.length, cbc.encrypt(hex(iv), 0, p, 0, p.length, out, 0));
        assertArrayEquals(hex(c), out);
        byte[] back = new byte[p.length];
        assertEquals(p.length, cbc.decrypt(hex(iv), 0, out, 0, out.length, back, 0));
        assertArrayEquals(p, back);
    }

    @Test
    void aesCbcRfc3602Cases() {
        cbcKat(EncryptionAlgorithm.AES_CBC_128, "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
                "Single block msg".getBytes(StandardCharsets.US_ASCII), "e353779c1079aeb82708942dbe77181a");
        cbcKat(EncryptionAlgorithm.AES_CBC_128, "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
                hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
                "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1");
        cbcKat(EncryptionAlgorithm.AES_CBC_128, "56e47a38c5598974bc46903dba290349", "8ce82eefbea0da3c44699ed7db51b7d9",
                hex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                        + "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"),
                "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
                        + "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55");
    }

    @Test
    void aesCbc256Sp80038a() {
        cbcKat(EncryptionAlgorithm.AES_CBC_256, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
                "000102030405060708090a0b0c0d0e0f",
                hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"),
                "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
    }

    @Test
    void cbcRejectsPartialBlocks() {
        AesCbc cbc = new AesCbc(EncryptionAlgorithm.AES_CBC_128, SecretBytes.fromHex("06a9214036b8a15b512e03d534120006"));
        assertEquals(-1, cbc.decrypt(new byte[16], 0, new byte[17], 0, 17, new byte[32], 0));
        assertEquals(-1, cbc.decrypt(new byte[16], 0, new byte[0], 0, 0, new byte[32], 0));
    }

    private static void hmacKat(String key, byte[] data, String icv) {
        hmacKat(IntegrityAlgorithm.HMAC_SHA2_256_128, key, data, icv);
    }

    private static void hmacKat(IntegrityAlgorithm alg, String key, byte[] data, String icv) {
        TruncatedHmac mac = new TruncatedHmac(alg, SecretBytes.fromHex(key));
        assertEquals(alg.icvLength(), hex(icv).length);
        assertArrayEquals(hex(icv), mac.compute(data));
        mac.update(data, 0, data.length);
        assertTrue(mac.verify(hex(icv), 0));
        byte[] bad = hex(icv);
        bad[bad.length - 1] ^= 1;
        mac.update(data, 0, data.length);
        assertFalse(mac.verify(bad, 0));
    }

    @Test
    void hmacSha256128Rfc4868() {
        hmacKat("0b".repeat(32), "Hi There".getBytes(StandardCharsets.US_ASCII), "198a607eb44bfbc69903a0f1cf2bbdc5");
        hmacKat(HexFormat.of().formatHex("JefeJefeJefeJefeJefeJefeJefeJefe".getBytes(StandardCharsets.US_ASCII)),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII), "167f928588c5cc2eef8e3093caa0e87c");
        hmacKat("aa".repeat(32), hex("dd".repeat(50)), "cdcb1220d1ecccea91e53aba3092f962");
    }

    @Test
    void hmacSha384192Rfc4868() {
        IntegrityAlgorithm a = IntegrityAlgorithm.HMAC_SHA2_384_192;
        hmacKat(a, "0b".repeat(48), "Hi There".getBytes(StandardCharsets.US_ASCII), "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973");
        hmacKat(a, HexFormat.of().formatHex("Jefe".repeat(12).getBytes(StandardCharsets.US_ASCII)),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII), "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184d");
        hmacKat(a, "aa".repeat(48), hex("dd".repeat(50)), "809f439be00274321d4a538652164b53554a508184a0c316");
    }

    @Test
    void hmacSha512256Rfc4868() {
        IntegrityAlgorithm a = IntegrityAlgorithm.HMAC_SHA2_512_256;
        hmacKat(a, "0b".repeat(64), "Hi There".getBytes(StandardCharsets.US_ASCII),
                "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8");
        hmacKat(a, HexFormat.of().formatHex("Jefe".repeat(16).getBytes(StandardCharsets.US_ASCII)),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII),
                "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b15454");
        hmacKat(a, "aa".repeat(64), hex("dd".repeat(50)), "2ee7acd783624ca9398710f3ee05ae41b9f9b0510c87e49e586cc9bf961733d8");
    }

    @Test
    void hmacRejectsWrongKeyLength() {
        assertThrows(IllegalArgumentException.class,
                () -> new TruncatedHmac(IntegrityAlgorithm.HMAC_SHA2_384_192, SecretBytes.fromHex("0b".repeat(32))));
        assertThrows(IllegalArgumentException.class,
                () -> new TruncatedHmac(IntegrityAlgorithm.NONE, SecretBytes.fromHex("0b".repeat(32))));
    }

    @Test
    void keysNeverPrint() {
        SecretBytes k = SecretBytes.fromHex("00112233445566778899aabbccddeeff" + "01020304");
        assertFalse(k.toString().contains("0011"));
        assertFalse(Aead.create(EncryptionAlgorithm.AES_GCM_16_128, k).toString().contains("0011"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretBytes.fromHex("zz11"));
        assertFalse(e.getMessage().contains("zz11"));
    }

    @Test
    void ianaNumbers() {
        assertEquals(20, EncryptionAlgorithm.AES_GCM_16_256.ianaId());
        assertEquals(EncryptionAlgorithm.AES_CBC_256, EncryptionAlgorithm.of(12, 256));
        assertEquals(EncryptionAlgorithm.CHACHA20_POLY1305, EncryptionAlgorithm.of(28, 256));
        assertEquals(IntegrityAlgorithm.HMAC_SHA2_256_128, IntegrityAlgorithm.of(12));
        assertEquals(IntegrityAlgorithm.HMAC_SHA2_384_192, IntegrityAlgorithm.of(13));
        assertEquals(IntegrityAlgorithm.HMAC_SHA2_512_256, IntegrityAlgorithm.of(14));
        assertThrows(IllegalArgumentException.class, () -> EncryptionAlgorithm.of(3, 192));
    }
}

package org.cevpn.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.Transform;
import org.junit.jupiter.api.Test;

/** The RFC 7296 §2.14/§2.17/§2.18 formulas re-derived in the test with BouncyCastle's HMAC. */
class KeyDerivationTest {
    private final Random random = new Random(7296);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] cat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static byte[] slice(byte[] b, int from, int length) {
        return Arrays.copyOfRange(b, from, from + length);
    }

    @Test
    void ikeSaKeysForAesCbcWithHmac() {
        Proposal p = new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_CBC, 256),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_384),
                Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_384_192),
                Transform.dhGroup(DhGroup.ECP_384)));
        KeyLengths l = KeyLengths.forIke(p);
        assertEquals(new KeyLengths(48, 48, 32), l);
        Prf prf = Prf.HMAC_SHA2_384;
        byte[] ni = bytes(32);
        byte[] nr = bytes(48);
        byte[] gir = bytes(48);
        long spiI = 0x1122334455667788L;
        long spiR = 0x99aabbccddeeff00L;

        byte[] skeyseed = KeyDerivation.skeyseed(prf, ni, nr, gir);
        assertArrayEquals(PrfTest.referenceHmac(prf, cat(ni, nr), gir), skeyseed);

        byte[] spis = ByteBuffer.allocate(16).putLong(spiI).putLong(spiR).array();
        byte[] keymat = PrfTest.reference(prf, skeyseed, cat(ni, nr, spis), 3 * 48 + 2 * 48 + 2 * 32);
        IkeSaKeys k = KeyDerivation.ikeSaKeys(prf, skeyseed, ni, nr, spiI, spiR, l);
        assertArrayEquals(slice(keymat, 0, 48), k.skD());
        assertArrayEquals(slice(keymat, 48, 48), k.skAi());
        assertArrayEquals(slice(keymat, 96, 48), k.skAr());
        assertArrayEquals(slice(keymat, 144, 32), k.skEi());
        assertArrayEquals(slice(keymat, 176, 32), k.skEr());
        assertArrayEquals(slice(keymat, 208, 48), k.skPi());
        assertArrayEquals(slice(keymat, 256, 48), k.skPr());
        assertFalse(k.toString().contains(HexLike.of(k.skD())), "toString must not show key material");
    }

    @Test
    void ikeSaKeysForAesGcmCarrySaltAndNoIntegrityKeys() {
        Proposal p = new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.dhGroup(DhGroup.CURVE25519)));
        KeyLengths l = KeyLengths.forIke(p);
        assertEquals(new KeyLengths(32, 0, 20), l);
        IkeSaKeys k = KeyDerivation.ikeSaKeys(Prf.HMAC_SHA2_256, bytes(32), bytes(32), bytes(32), 1, 2, l);
        assertEquals(0, k.skAi().length);
        assertEquals(20, k.skEr().length);
    }

    @Test
    void rekeyedSkeyseedUsesTheOldSkD() {
        Prf prf = Prf.HMAC_SHA2_256;
        byte[] skD = bytes(32);
        byte[] gir = bytes(256);
        byte[] ni = bytes(32);
        byte[] nr = bytes(32);
        assertArrayEquals(PrfTest.referenceHmac(prf, skD, cat(gir, ni, nr)),
                KeyDerivation.rekeySkeyseed(prf, skD, gir, ni, nr));
    }

    @Test
    void childKeysComeInitiatorFirstEncryptionBeforeIntegrity() {
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.copyOf(new byte[4]), List.of(
                Transform.encryption(EncryptionAlgorithm.AES_CBC, 128),
                Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128),
                Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        KeyLengths l = KeyLengths.forChild(esp);
        assertEquals(new KeyLengths(0, 32, 16), l);
        Prf prf = Prf.HMAC_SHA2_512;
        byte[] skD = bytes(64);
        byte[] ni = bytes(32);
        byte[] nr = bytes(32);

        byte[] keymat = PrfTest.reference(prf, skD, cat(ni, nr), 96);
        ChildSaKeys k = KeyDerivation.childSaKeys(prf, skD, null, ni, nr, l);
        assertArrayEquals(slice(keymat, 0, 16), k.encryptionInitiator());
        assertArrayEquals(slice(keymat, 16, 32), k.integrityInitiator());
        assertArrayEquals(slice(keymat, 48, 16), k.encryptionResponder());
        assertArrayEquals(slice(keymat, 64, 32), k.integrityResponder());

        byte[] gir = bytes(32);
        byte[] pfs = PrfTest.reference(prf, skD, cat(gir, ni, nr), 96);
        ChildSaKeys withPfs = KeyDerivation.childSaKeys(prf, skD, gir.clone(), ni, nr, l);
        assertArrayEquals(slice(pfs, 0, 16), withPfs.encryptionInitiator());
        assertArrayEquals(slice(pfs, 64, 32), withPfs.integrityResponder());
    }

    @Test
    void aeadChildKeysAreKeyPlusSalt() {
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.copyOf(new byte[4]), List.of(
                Transform.encryption(EncryptionAlgorithm.CHACHA20_POLY1305),
                Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        KeyLengths l = KeyLengths.forChild(esp);
        assertEquals(new KeyLengths(0, 0, 36), l);
        ChildSaKeys k = KeyDerivation.childSaKeys(Prf.HMAC_SHA2_256, bytes(32), null, bytes(32), bytes(32), l);
        assertEquals(36, k.encryptionResponder().length);
        assertEquals(0, k.integrityResponder().length);
    }

    /** Hex of the first octets, to check toString() does not leak them. */
    private static final class HexLike {
        static String of(byte[] key) {
            return java.util.HexFormat.of().formatHex(key, 0, 4);
        }
    }
}

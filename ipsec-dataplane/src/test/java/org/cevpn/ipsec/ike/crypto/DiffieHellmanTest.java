package org.cevpn.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiffieHellmanTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    /** RFC 5903 §8.1, 256-bit random ECP group. */
    @Test
    void ecp256MatchesRfc5903() throws Exception {
        EcpGroup g = EcpGroup.P256;
        var i = g.fromPrivate(hex("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"));
        var r = g.fromPrivate(hex("C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"));
        byte[] gi = hex("DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
                + "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3");
        byte[] gr = hex("D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
                + "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB");
        byte[] gir = hex("D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE");
        assertArrayEquals(gi, i.publicValue());
        assertArrayEquals(gr, r.publicValue());
        assertArrayEquals(gir, i.sharedSecret(gr));
        assertArrayEquals(gir, r.sharedSecret(gi));
    }

    /** RFC 5903 §8.2, 384-bit random ECP group. */
    @Test
    void ecp384MatchesRfc5903() throws Exception {
        EcpGroup g = EcpGroup.P384;
        var i = g.fromPrivate(hex("099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194"));
        var r = g.fromPrivate(hex("41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC"));
        byte[] gi = hex("667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA"
                + "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C");
        byte[] gr = hex("E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571"
                + "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C");
        byte[] gir = hex("11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746");
        assertArrayEquals(gi, i.publicValue());
        assertArrayEquals(gr, r.publicValue());
        assertArrayEquals(gir, i.sharedSecret(gr));
        assertArrayEquals(gir, r.sharedSecret(gi));
    }

    /** RFC 7748 §6.1. */
    @Test
    void curve25519MatchesRfc7748() throws Exception {
        Curve25519Group g = Curve25519Group.INSTANCE;
        var alice = g.fromPrivate(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        var bob = g.fromPrivate(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        byte[] alicePub = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPub = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] k = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(alicePub, alice.publicValue());
        assertArrayEquals(bobPub, bob.publicValue());
        assertArrayEquals(k, alice.sharedSecret(bobPub));
        assertArrayEquals(k, bob.sharedSecret(alicePub));
    }

    /** RFC 7748 §5.2 second vector: the u-coordinate's top bit must be masked. */
    @Test
    void curve25519MasksTheTopBit() throws Exception {
        var k = Curve25519Group.INSTANCE.fromPrivate(hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"));
        assertArrayEquals(hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
                k.sharedSecret(hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")));
    }

    /** No RFC vector for group 14 in IKE form: cross-check against the textbook formula. */
    @Test
    void modp2048AgreesWithPlainModularExponentiation() throws Exception {
        ModpGroup g = ModpGroup.MODP_2048;
        BigInteger p = new BigInteger(1, hex("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
                + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
                + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
                + "15728E5A8AACAA68FFFFFFFFFFFFFFFF"));
        BigInteger a = new BigInteger(500, RANDOM);
        BigInteger b = new BigInteger(500, RANDOM);
        var sa = g.fromPrivate(a);
        var sb = g.fromPrivate(b);
        assertEquals(256, sa.publicValue().length);
        assertEquals(BigInteger.TWO.modPow(a, p), new BigInteger(1, sa.publicValue()));
        byte[] expected = BigInteger.TWO.modPow(a.multiply(b), p).toByteArray();
        byte[] shared = sa.sharedSecret(sb.publicValue());
        assertEquals(256, shared.length);
        assertEquals(new BigInteger(1, expected), new BigInteger(1, shared));
        assertArrayEquals(shared, sb.sharedSecret(sa.publicValue()));
    }

    @ParameterizedTest
    @EnumSource(value = DhGroup.class, names = {"MODP_2048", "ECP_256", "ECP_384", "CURVE25519"})
    void freshSharesAgree(DhGroup group) throws Exception {
        DiffieHellman dh = DiffieHellman.of(group).orElseThrow();
        var a = dh.generate(RANDOM);
        var b = dh.generate(RANDOM);
        assertEquals(dh.publicValueLength(), a.publicValue().length);
        assertArrayEquals(a.sharedSecret(b.publicValue()), b.sharedSecret(a.publicValue()));
    }

    @ParameterizedTest
    @EnumSource(value = DhGroup.class, names = {"MODP_2048", "ECP_256", "ECP_384", "CURVE25519"})
    void wrongLengthsAreRejected(DhGroup group) {
        DiffieHellman dh = DiffieHellman.of(group).orElseThrow();
        var a = dh.generate(RANDOM);
        byte[] good = dh.generate(RANDOM).publicValue();
        assertThrows(InvalidPublicValueException.class, () -> a.sharedSecret(Arrays.copyOf(good, good.length - 1)));
        assertThrows(InvalidPublicValueException.class, () -> a.sharedSecret(Arrays.copyOf(good, good.length + 1)));
        assertThrows(InvalidPublicValueException.class, () -> a.sharedSecret(new byte[0]));
    }

    @Test
    void modpRejectsDegenerateValues() {
        var a = ModpGroup.MODP_2048.generate(RANDOM);
        byte[] zero = new byte[256];
        byte[] one = new byte[256];
        one[255] = 1;
        byte[] pMinusOne = hex("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
                + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
                + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
                + "15728E5A8AACAA68FFFFFFFFFFFFFFFE");
        byte[] pValue = pMinusOne.clone();
        pValue[255] = (byte) 0xff;
        byte[] allOnes = new byte[256];
        Arrays.fill(allOnes, (byte) 0xff);
        for (byte[] bad : new byte[][] {zero, one, pMinusOne, pValue, allOnes}) {
            assertThrows(InvalidPublicValueException.class, () -> a.sharedSecret(bad));
        }
    }

    @Test
    void ecpRejectsPointsOffTheCurveAndOutOfRange() {
        var a = EcpGroup.P256.generate(RANDOM);
        byte[] good = EcpGroup.P256.generate(RANDOM).publicValue();
        byte[] offCurve = good.clone();
        offCurve[63] ^= 1;
        byte[] zero = new byte[64];
        byte[] huge = new byte[64];
        Arrays.fill(huge, (byte) 0xff);
        for (byte[] bad : new byte[][] {offCurve, zero, huge}) {
            assertThrows(InvalidPublicValueException.class, () -> a.sharedSecret(bad));
        }
    }

    @Test
    void curve25519RejectsSmallOrderPoints() {
        var a = Curve25519Group.INSTANCE.generate(RANDOM);
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        // A point of order 8 (RFC 7748 discussions; listed among the small-order u values).
        byte[] order8 = hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        for (byte[] bad : new byte[][] {zero, one, order8}) {
            assertThrows(InvalidPublicValueException.class, () -> a.sharedSecret(bad));
        }
    }

    @Test
    void onlyTheGroupsWeImplementAreOffered() {
        assertEquals(java.util.Optional.empty(), DiffieHellman.of(DhGroup.MODP_3072));
        assertEquals(java.util.Optional.empty(), DiffieHellman.of(12345));
        assertEquals(DhGroup.CURVE25519, DiffieHellman.of(31).orElseThrow().group());
    }
}

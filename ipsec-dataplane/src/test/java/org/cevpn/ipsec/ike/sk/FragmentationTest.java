package org.cevpn.ipsec.ike.sk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.crypto.KeyDerivation;
import org.cevpn.ipsec.ike.crypto.KeyLengths;
import org.cevpn.ipsec.ike.crypto.Prf;
import org.cevpn.ipsec.ike.message.CertEncoding;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7383: fragments sealed one by one, each authenticated alone, reassembled in any order. */
class FragmentationTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final IkeHeader AUTH = new IkeHeader(1, 2, ExchangeType.IKE_AUTH, true, false, 1);

    static List<Proposal> suites() {
        return SkProtectionTest.suites().toList();
    }

    private static IkeSaKeys keys(Proposal p) {
        byte[] r = new byte[32];
        RANDOM.nextBytes(r);
        return KeyDerivation.ikeSaKeys(Prf.HMAC_SHA2_256, r, r, r, 1, 2, KeyLengths.forIke(p));
    }

    private static List<Payload> bigMessage() {
        byte[] cert = new byte[1500];
        RANDOM.nextBytes(cert);
        return List.of(new Payload.Identification(true, 2, Octets.copyOf("ce1.example.net".getBytes())),
                new Payload.Certificate(CertEncoding.X509_SIGNATURE.value(), Octets.copyOf(cert)),
                new Payload.Authentication(14, Octets.copyOf(new byte[80])));
    }

    private static SkProtection.OpenedFragment open(SkProtection p, byte[] wire) throws Exception {
        DecodedMessage m = IkeDecoder.decode(wire);
        return p.openFragment(m, wire);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void fragmentsReassembleInAnyOrderWithDuplicates(Proposal suite) throws Exception {
        IkeSaKeys k = keys(suite);
        SkProtection initiator = SkProtection.of(suite, k, true, RANDOM);
        SkProtection responder = SkProtection.of(suite, k, false, RANDOM);
        List<Payload> inner = bigMessage();
        List<byte[]> fragments = initiator.sealFragments(AUTH, inner, 300);
        assertTrue(fragments.size() >= 6, "1.6 KB in 300-octet fragments");
        for (byte[] f : fragments) {
            assertTrue(f.length <= 300, "fragment of " + f.length);
        }
        List<byte[]> arrival = new ArrayList<>(fragments);
        arrival.add(fragments.get(2));
        arrival.add(fragments.get(0));
        Collections.shuffle(arrival, new Random(7383));
        FragmentReassembly r = new FragmentReassembly(1);
        Optional<List<Payload>> done = Optional.empty();
        int offered = 0;
        for (byte[] f : arrival) {
            Optional<List<Payload>> out = r.offer(open(responder, f));
            offered++;
            if (out.isPresent()) {
                done = out;
                break;
            }
        }
        assertEquals(inner, done.orElseThrow());
        assertTrue(offered >= fragments.size());
    }

    @Test
    void aTamperedFragmentDoesNotOpen() throws Exception {
        Proposal suite = suites().getFirst();
        IkeSaKeys k = keys(suite);
        List<byte[]> fragments = SkProtection.of(suite, k, true, RANDOM).sealFragments(AUTH, bigMessage(), 400);
        byte[] bad = fragments.get(1).clone();
        bad[bad.length - 20] ^= 1;
        SkProtection responder = SkProtection.of(suite, k, false, RANDOM);
        assertThrows(SkException.class, () -> open(responder, bad));
        // A plain SK message is not a fragment, nor the reverse.
        byte[] whole = SkProtection.of(suite, k, true, RANDOM).seal(AUTH, bigMessage());
        assertThrows(SkException.class, () -> open(responder, whole));
        assertThrows(SkException.class, () -> responder.open(IkeDecoder.decode(fragments.get(0)), fragments.get(0)));
    }

    @Test
    void aRefragmentedRetransmissionRestartsAndStaleFragmentsAreDropped() throws Exception {
        Proposal suite = suites().get(3); // AES-CBC
        IkeSaKeys k = keys(suite);
        SkProtection initiator = SkProtection.of(suite, k, true, RANDOM);
        SkProtection responder = SkProtection.of(suite, k, false, RANDOM);
        List<Payload> inner = bigMessage();
        List<byte[]> large = initiator.sealFragments(AUTH, inner, 900);
        List<byte[]> small = initiator.sealFragments(AUTH, inner, 400);
        assertTrue(small.size() > large.size());
        FragmentReassembly r = new FragmentReassembly(1);
        assertTrue(r.offer(open(responder, large.get(0))).isEmpty());
        // The sender retransmits in smaller fragments: start over with those.
        Optional<List<Payload>> done = Optional.empty();
        for (int i = 0; i < small.size(); i++) {
            done = r.offer(open(responder, small.get(i)));
            if (i == 1) {
                assertTrue(r.offer(open(responder, large.get(1))).isEmpty(), "stale, fewer-fragment total");
            }
        }
        assertEquals(inner, done.orElseThrow());
        assertEquals(1, r.dropped());
        // Another message id is not this reassembly's.
        FragmentReassembly other = new FragmentReassembly(2);
        assertTrue(other.offer(open(responder, small.get(0))).isEmpty());
        assertEquals(1, other.dropped());
    }

    @Test
    void tooSmallAFragmentSizeIsRefused() {
        Proposal suite = suites().getFirst();
        assertThrows(IllegalArgumentException.class,
                () -> SkProtection.of(suite, keys(suite), true, RANDOM).sealFragments(AUTH, bigMessage(), 50));
        assertThrows(IllegalArgumentException.class,
                () -> SkProtection.of(suite, keys(suite), true, RANDOM).sealFragments(AUTH, bigMessage(), 60));
    }
}

package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.testsupport.Captures;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever decodes, the IKE_SA_INIT tasks answer with an outcome and never throw.
 * Inputs are strongSwan's captured INIT requests and our own requests and responses, mutated
 * (bit flips, octets set to 0/0xff) until they still decode but mean something odd.
 */
class IkeInitFuzzTest {
    /** Each answered request costs a DH computation: fewer iterations than the codec fuzz. */
    private static final int ITERATIONS = Integer.getInteger("ike.fuzz.task.iterations", 4_000);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SplittableRandom rnd = new SplittableRandom(0x7296);

    private static IkeInitConfig config() {
        return new IkeInitConfig(List.of(IkeInitExchangeTest.gcm(1, DhGroup.CURVE25519),
                IkeInitExchangeTest.proposal(2, List.of(DhGroup.ECP_256, DhGroup.MODP_2048))),
                true, List.of(HashAlgorithm.SHA2_256));
    }

    private byte[] mutate(byte[] seed) {
        byte[] m = seed.clone();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            int at = 28 + rnd.nextInt(m.length - 28); // keep the header: reach the task, not the decoder
            switch (rnd.nextInt(3)) {
                case 0 -> m[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> m[at] = 0;
                default -> m[at] = (byte) 0xff;
            }
        }
        return m;
    }

    @Test
    void responderAnswersEveryDecodableRequest() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String s : List.of("modp2048-psk", "ecp256-gcm", "x25519-multi", "invalid-ke", "cookie")) {
            for (Captures.Datagram d : Captures.load(s)) {
                DecodedMessage m = IkeDecoder.decode(d.ike());
                if (m.header().exchangeType() == ExchangeType.IKE_SA_INIT.value() && !m.header().response()) {
                    seeds.add(d.ike());
                }
            }
        }
        InetSocketAddress us = new InetSocketAddress(InetAddress.getLoopbackAddress(), 500);
        InetSocketAddress them = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
        seeds.add(new IkeInitInitiator(config(), new Endpoints(them, us), 42, RANDOM).request());
        Cookies cookies = new Cookies(RANDOM);
        int answered = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())));
            DecodedMessage m;
            try {
                m = IkeDecoder.decode(input);
            } catch (IkeDecodeException e) {
                continue;
            }
            try {
                IkeInitResponder r = new IkeInitResponder(config(), new Endpoints(us, them), RANDOM, cookies);
                assertNotNull(r.onRequest(m, input, rnd.nextInt(4) == 0, 7));
                answered++;
            } catch (RuntimeException | Error e) {
                fail("responder threw " + e + " for " + HexFormat.of().formatHex(input), e);
            }
        }
        System.out.printf("IKE_SA_INIT responder fuzz: %d decodable mutated requests answered%n", answered);
        assertTrue(answered > ITERATIONS / 10);
    }

    @Test
    void initiatorJudgesEveryDecodableResponse() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
        InetSocketAddress b = new InetSocketAddress(InetAddress.getLoopbackAddress(), 500);
        Cookies cookies = new Cookies(RANDOM);
        int judged = 0;
        for (int round = 0; round < 40; round++) {
            long spi = RANDOM.nextLong() | 1;
            byte[] request = new IkeInitInitiator(config(), new Endpoints(a, b), spi, RANDOM).request();
            // Real answers of each kind from our responder: full response, COOKIE, INVALID_KE.
            List<byte[]> answers = new ArrayList<>();
            IkeInitResponder responder = new IkeInitResponder(config(), new Endpoints(b, a), RANDOM, cookies);
            for (boolean cookie : new boolean[] {false, true}) {
                switch (responder.onRequest(IkeDecoder.decode(request), request, cookie, 9)) {
                    case IkeInitResponder.Outcome.Established e -> answers.add(e.response());
                    case IkeInitResponder.Outcome.Refused r -> answers.add(r.response());
                    case IkeInitResponder.Outcome.Dropped d -> fail(d.reason());
                }
            }
            IkeInitResponder picky = new IkeInitResponder(new IkeInitConfig(
                    List.of(IkeInitExchangeTest.proposal(1, List.of(DhGroup.MODP_2048))), false, List.of()),
                    new Endpoints(b, a), RANDOM, cookies);
            if (picky.onRequest(IkeDecoder.decode(request), request, false, 9) instanceof IkeInitResponder.Outcome.Refused r) {
                answers.add(r.response());
            }
            for (int i = 0; i < ITERATIONS / 40; i++) {
                byte[] input = mutate(answers.get(rnd.nextInt(answers.size())));
                DecodedMessage m;
                try {
                    m = IkeDecoder.decode(input);
                } catch (IkeDecodeException e) {
                    continue;
                }
                try {
                    // A fresh task each time: the same SPI, so the response is "ours".
                    IkeInitInitiator initiator = new IkeInitInitiator(config(), new Endpoints(a, b), spi, RANDOM);
                    initiator.request();
                    assertNotNull(initiator.onResponse(m, input));
                    judged++;
                } catch (RuntimeException | Error e) {
                    fail("initiator threw " + e + " for " + HexFormat.of().formatHex(input), e);
                }
            }
        }
        System.out.printf("IKE_SA_INIT initiator fuzz: %d decodable mutated responses judged%n", judged);
        assertTrue(judged > ITERATIONS / 10);
    }
}

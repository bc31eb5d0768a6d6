package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeEncoder;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.Transform;
import org.junit.jupiter.api.Test;

/**
 * Property: a peer that got through SK protection (it has the keys) still cannot make our
 * IKE_AUTH, CREATE_CHILD_SA or INFORMATIONAL tasks throw. Real requests are encoded, mutated
 * (bit flips, zeroed and 0xff octets), and whatever still decodes is handed to each task, which
 * must return an outcome.
 */
class ProtectedExchangeFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("ike.fuzz.task.iterations", 4_000);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SplittableRandom rnd = new SplittableRandom(0x1CE);

    private List<Payload> mutated(List<Payload> request) {
        byte[] chain = IkeEncoder.encodeChain(request);
        int first = IkeEncoder.firstPayloadType(request);
        for (int attempt = 0; attempt < 50; attempt++) {
            byte[] m = chain.clone();
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                int at = rnd.nextInt(m.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> m[at] ^= (byte) (1 << rnd.nextInt(8));
                    case 1 -> m[at] = 0;
                    default -> m[at] = (byte) 0xff;
                }
            }
            try {
                return IkeDecoder.decodeInner(first, m);
            } catch (IkeDecodeException e) {
                // try another mutation: we want inputs that reach the task
            }
        }
        return request;
    }

    @Test
    void protectedRequestsNeverMakeTheTasksThrow() throws Exception {
        IkeAuthExchangeTest.Pair p = IkeAuthExchangeTest.init();
        byte[] psk = "fuzz-psk".getBytes(StandardCharsets.US_ASCII);
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        Proposal espPfs = new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.sequenceNumbers(SequenceNumbers.NO_ESN),
                Transform.dhGroup(DhGroup.CURVE25519)));
        Proposal ike = new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128), Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.dhGroup(DhGroup.CURVE25519)));
        var site1 = IkeAuthExchangeTest.net("10.1.0.0", "10.1.255.255");
        var site2 = IkeAuthExchangeTest.net("10.2.0.0", "10.2.255.255");
        ChildSaConfig mine = new ChildSaConfig(List.of(esp), List.of(site1), List.of(site2));
        ChildSaConfig theirs = new ChildSaConfig(List.of(esp, espPfs), List.of(site2), List.of(site1));
        IkeAuthConfig initiatorAuth = new IkeAuthConfig(Identity.fqdn("a"), new Credentials.OwnSharedKey(psk),
                Identity.fqdn("b"), new Credentials.PeerSharedKey(psk), true, mine);
        IkeAuthConfig responderAuth = new IkeAuthConfig(Identity.fqdn("b"), new Credentials.OwnSharedKey(psk),
                Identity.fqdn("a"), new Credentials.PeerSharedKey(psk), false, theirs);
        IkeSaKeying iKeying = IkeSaKeying.of(p.initiator(), true);
        IkeSaKeying rKeying = IkeSaKeying.of(p.responder(), false);
        ChildSaResult existing = new ChildSaResult(esp, 0x2222, 0x1111, null, false, List.of(site2), List.of(site1));

        List<List<Payload>> seeds = new ArrayList<>();
        seeds.add(new IkeAuthInitiator(p.initiator(), initiatorAuth, 0x1111, RANDOM).request());
        seeds.add(CreateChildSaInitiator.newChild(iKeying, mine, Optional.of(DhGroup.CURVE25519), 0x1112, RANDOM).request());
        seeds.add(CreateChildSaInitiator.rekeyChild(iKeying, new ChildSaResult(esp, 0x1111, 0x2222, null, true,
                List.of(site1), List.of(site2)), mine, Optional.empty(), 0x1113, RANDOM).request());
        seeds.add(CreateChildSaInitiator.rekeyIke(iKeying, List.of(ike), 77, RANDOM).request());
        seeds.add(Informational.deleteChildSas(List.of(0x1111)));
        seeds.add(Informational.deleteIkeSa());

        int handled = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            List<Payload> request = mutated(seeds.get(rnd.nextInt(seeds.size())));
            try {
                assertNotNull(new IkeAuthResponder(p.responder(), responderAuth, RANDOM).onRequest(request, 0x3333));
                assertNotNull(new CreateChildSaResponder(rKeying, theirs, List.of(ike), RANDOM)
                        .onRequest(request, spi -> spi == 0x1111 ? Optional.of(existing) : Optional.empty(), 0x4444, 99));
                assertNotNull(Informational.respond(request, spi -> spi == 0x1111 ? Optional.of(existing) : Optional.empty()));
                handled++;
            } catch (RuntimeException | Error e) {
                fail("a task threw " + e + " for " + request + " / " + HexFormat.of().formatHex(IkeEncoder.encodeChain(request)), e);
            }
        }
        System.out.printf("protected exchange fuzz: %d mutated requests through 3 responder tasks%n", handled);
        assertTrue(handled == ITERATIONS);

        // And the initiator tasks against mutated versions of real answers.
        IkeAuthInitiator auth = new IkeAuthInitiator(p.initiator(), initiatorAuth, 0x1111, RANDOM);
        var authAnswer = (IkeAuthResponder.Outcome.Established) new IkeAuthResponder(p.responder(), responderAuth, RANDOM)
                .onRequest(auth.request(), 0x3333);
        CreateChildSaInitiator child = CreateChildSaInitiator.newChild(iKeying, mine, Optional.of(DhGroup.CURVE25519), 0x1112, RANDOM);
        var childAnswer = (CreateChildSaResponder.Outcome.ChildCreated) new CreateChildSaResponder(rKeying, theirs, List.of(ike), RANDOM)
                .onRequest(child.request(), spi -> Optional.empty(), 0x4444, 99);
        CreateChildSaInitiator rekey = CreateChildSaInitiator.rekeyIke(iKeying, List.of(ike), 77, RANDOM);
        var rekeyAnswer = (CreateChildSaResponder.Outcome.IkeRekeyed) new CreateChildSaResponder(rKeying, theirs, List.of(ike), RANDOM)
                .onRequest(rekey.request(), spi -> Optional.empty(), 0x4445, 99);
        int judged = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            try {
                // A fresh task each time: a finished one would (rightly) refuse every later answer.
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        IkeAuthInitiator t = new IkeAuthInitiator(p.initiator(), initiatorAuth, 0x1111, RANDOM);
                        t.request();
                        assertNotNull(t.onResponse(mutated(authAnswer.response())));
                    }
                    case 1 -> {
                        CreateChildSaInitiator t = CreateChildSaInitiator.newChild(iKeying, mine, Optional.of(DhGroup.CURVE25519), 0x1112, RANDOM);
                        t.request();
                        assertNotNull(t.onResponse(mutated(childAnswer.response())));
                    }
                    default -> {
                        CreateChildSaInitiator t = CreateChildSaInitiator.rekeyIke(iKeying, List.of(ike), 77, RANDOM);
                        t.request();
                        assertNotNull(t.onResponse(mutated(rekeyAnswer.response())));
                    }
                }
                judged++;
            } catch (RuntimeException | Error e) {
                fail("an initiator task threw " + e, e);
            }
        }
        System.out.printf("protected exchange fuzz: %d mutated answers through 3 initiator tasks%n", judged);
        // A duplicate of an answer after the exchange ended is refused, not re-processed.
        assertTrue(child.onResponse(childAnswer.response()) instanceof CreateChildSaInitiator.Outcome.ChildCreated);
        assertTrue(child.onResponse(childAnswer.response()) instanceof CreateChildSaInitiator.Outcome.Failed);
        assertTrue(rekey.onResponse(rekeyAnswer.response()) instanceof CreateChildSaInitiator.Outcome.IkeRekeyed);
        assertTrue(rekey.onResponse(rekeyAnswer.response()) instanceof CreateChildSaInitiator.Outcome.Failed);
        assertTrue(auth.onResponse(authAnswer.response()) instanceof IkeAuthInitiator.Outcome.Established);
        assertTrue(auth.onResponse(authAnswer.response()) instanceof IkeAuthInitiator.Outcome.Failed);
    }
}

package org.cevpn.agent.reconcile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cevpn.agent.TestCa;
import org.cevpn.agent.config.Authentication;
import org.cevpn.agent.config.ChildSaProposal;
import org.cevpn.agent.config.IkeProposal;
import org.cevpn.agent.config.IpPrefix;
import org.cevpn.agent.config.PeerTuple;
import org.cevpn.agent.config.Secret;
import org.cevpn.agent.config.TunnelInformation;
import org.cevpn.ipsec.ike.crypto.SignatureScheme;
import org.cevpn.ipsec.ike.engine.EngineConfig;
import org.cevpn.ipsec.ike.engine.IkeEngine;
import org.cevpn.ipsec.ike.engine.IkeEvent;
import org.cevpn.ipsec.ike.engine.Outbound;
import org.cevpn.ipsec.ike.engine.PeerConfig;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.Credentials;
import org.cevpn.ipsec.ike.task.IkeAuthConfig;
import org.cevpn.ipsec.ike.task.IkeInitConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What this CE accepts from a digital-signature peer, with the engine the agent runs: the tuples are
 * translated by {@link PeerTranslation} and two IKE engines talk in memory. A peer whose certificate is
 * for another CE, expired, or from a CA this CE was not given fails IKE_AUTH with AUTHENTICATION_FAILED,
 * and the reason says which.
 */
class SignaturePeersTest {
    static final InetAddress CE1 = InetAddress.ofLiteral("192.0.2.1");
    static final InetAddress CE2 = InetAddress.ofLiteral("192.0.2.2");
    static TestCa provider;
    static TestCa stranger;

    @BeforeAll
    static void pki() throws Exception {
        provider = new TestCa("provider CA");
        stranger = new TestCa("another provider CA");
    }

    static PeerTuple tuple(InetAddress peer, String peerCeId, Authentication auth, String local, String remote) {
        return new PeerTuple(peer, peerCeId, "acme", auth, IkeProposal.DEFAULT, ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT,
                List.of(IpPrefix.parse(remote)), List.of(IpPrefix.parse(local)));
    }

    static Authentication signature(TestCa.Issued mine) throws Exception {
        return new Authentication.Signature(new Secret(mine.privateKey()), mine.certificateBase64(),
                List.of(provider.certificateBase64()));
    }

    static IkeEngine engine(InetAddress self, PeerConfig peer) {
        return new IkeEngine(new EngineConfig(self, 500, 4500, new IkeInitConfig(PeerTranslation.ikeProposals(), true,
                List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512)), List.of(peer), 50,
                RetransmitPolicy.STRONGSWAN_DEFAULT, 1280), new SecureRandom(), Clock.systemUTC());
    }

    /** CE1 (translated from its tuple) initiates to CE2 (whose credentials the case chooses); the two engines' events. */
    static Map<InetAddress, List<IkeEvent>> run(PeerConfig ce1, PeerConfig ce2) {
        IkeEngine e1 = engine(CE1, ce1);
        IkeEngine e2 = engine(CE2, ce2);
        List<Outbound> flight = new ArrayList<>(e1.initiate(CE2));
        for (int round = 0; round < 20 && !flight.isEmpty(); round++) {
            List<Outbound> next = new ArrayList<>();
            for (Outbound o : flight) {
                boolean toCe2 = o.to().getAddress().equals(CE2);
                IkeEngine to = toCe2 ? e2 : e1;
                next.addAll(to.receive(o.message(), new InetSocketAddress(toCe2 ? CE1 : CE2, 500), o.viaNatT()));
            }
            flight = next;
        }
        return Map.of(CE1, e1.drainEvents(), CE2, e2.drainEvents());
    }

    /** CE2's PeerConfig with its own certificate replaced by {@code presented} (which its own agent would refuse to use). */
    static PeerConfig presenting(PeerConfig ce2, TestCa.Issued presented) throws Exception {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(presented.certificate()));
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(presented.privateKey()));
        IkeAuthConfig a = ce2.auth();
        return new PeerConfig(ce2.address(), ce2.ikePort(), ce2.natTPort(), new IkeAuthConfig(a.local(),
                new Credentials.OwnCertificate(List.of(c), key, SignatureScheme.ECDSA_SHA256), a.remote(), a.peer(), true, a.child()));
    }

    PeerConfig ce1() throws Exception {
        return new PeerTranslation(500, 4500).peerConfig("ce1", CE1,
                tuple(CE2, "ce2", signature(provider.issue("ce1", TestCa.KeyType.EC_P256)), "10.1.0.0/16", "10.2.0.0/16"));
    }

    PeerConfig ce2(String ceId, TestCa.KeyType type) throws Exception {
        return new PeerTranslation(500, 4500).peerConfig(ceId, CE2,
                tuple(CE1, "ce1", signature(provider.issue(ceId, type)), "10.2.0.0/16", "10.1.0.0/16"));
    }

    static boolean up(List<IkeEvent> events) {
        return events.stream().anyMatch(e -> e instanceof IkeEvent.ChildSaUp);
    }

    static String authFailure(List<IkeEvent> events) {
        return events.stream().filter(e -> e instanceof IkeEvent.AuthenticationFailed).map(e -> ((IkeEvent.AuthenticationFailed) e).reason())
                .findFirst().orElseThrow(() -> new AssertionError("no AUTHENTICATION_FAILED in " + events));
    }

    @Test
    void ecdsaAndRsaCertificatesFromTheConfiguredCaEstablishTheTunnel() throws Exception {
        var events = run(ce1(), ce2("ce2", TestCa.KeyType.RSA_2048));
        assertTrue(up(events.get(CE1)) && up(events.get(CE2)), events.toString());
    }

    @Test
    void aValidCertificateOfAnotherCeIsRefused() throws Exception {
        // The agent at CE2's address is ce3, with ce3's genuine certificate: CE1's tuple says ce2.
        var events = run(ce1(), new PeerTranslation(500, 4500).peerConfig("ce3", CE2,
                tuple(CE1, "ce1", signature(provider.issue("ce3", TestCa.KeyType.EC_P256)), "10.2.0.0/16", "10.1.0.0/16")));
        assertTrue(!up(events.get(CE1)), events.toString());
        String why = authFailure(events.get(CE1));
        assertTrue(why.contains("ce3") && why.contains("ce2"), why);
    }

    @Test
    void aCertificateWhoseSubjectAltNameIsAnotherCeIsRefused() throws Exception {
        // CE2 says it is ce2 but presents ce3's certificate: the ID does not name the certificate.
        var events = run(ce1(), presenting(ce2("ce2", TestCa.KeyType.EC_P256), provider.issue("ce3", TestCa.KeyType.EC_P256)));
        assertTrue(!up(events.get(CE1)), events.toString());
        assertTrue(authFailure(events.get(CE1)).contains("ID does not name the certificate"), events.toString());
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        var expired = provider.issue("ce2", TestCa.KeyType.EC_P256, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(2)));
        var events = run(ce1(), presenting(ce2("ce2", TestCa.KeyType.EC_P256), expired));
        assertTrue(!up(events.get(CE1)), events.toString());
        String why = authFailure(events.get(CE1));
        assertTrue(why.contains("certificate chain rejected") && why.toLowerCase().contains("valid"), why);
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        var events = run(ce1(), presenting(ce2("ce2", TestCa.KeyType.EC_P256), stranger.issue("ce2", TestCa.KeyType.EC_P256)));
        assertTrue(!up(events.get(CE1)), events.toString());
        String why = authFailure(events.get(CE1));
        assertTrue(why.contains("certificate chain rejected"), why);
    }

    @Test
    void aPeerThatDoesNotTrustOurCaAnswersAuthenticationFailed() throws Exception {
        // CE2 was given another CA only: it refuses CE1's certificate, and CE1 hears AUTHENTICATION_FAILED.
        TestCa.Issued ce2 = provider.issue("ce2", TestCa.KeyType.EC_P256);
        var events = run(ce1(), new PeerTranslation(500, 4500).peerConfig("ce2", CE2, tuple(CE1, "ce1",
                new Authentication.Signature(new Secret(ce2.privateKey()), ce2.certificateBase64(), List.of(stranger.certificateBase64())),
                "10.2.0.0/16", "10.1.0.0/16")));
        assertTrue(authFailure(events.get(CE2)).contains("certificate chain rejected"), events.toString());
        assertTrue(authFailure(events.get(CE1)).contains("AUTHENTICATION_FAILED"), events.toString());
    }
}

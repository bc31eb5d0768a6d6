package org.cevpn.agent.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.cevpn.agent.config.Algorithms.DhGroup;
import org.cevpn.agent.config.Algorithms.Encryption;
import org.cevpn.agent.config.Algorithms.Integrity;
import org.cevpn.agent.config.Authentication;
import org.cevpn.agent.config.ChildSaProposal;
import org.cevpn.agent.config.ConfigurationException;
import org.cevpn.agent.config.IkeProposal;
import org.cevpn.agent.config.IpPrefix;
import org.cevpn.agent.config.PeerTuple;
import org.cevpn.agent.config.PreConfiguration;
import org.cevpn.agent.config.Secret;
import org.cevpn.agent.config.TunnelInformation;
import org.cevpn.agent.config.TunnelInformation.Establishment;
import org.cevpn.agent.config.TunnelInformation.IpsecMode;
import org.cevpn.agent.TestCa;
import org.cevpn.ipsec.ike.crypto.SignatureScheme;
import org.cevpn.ipsec.ike.message.IdType;
import org.cevpn.ipsec.ike.message.TransformType;
import org.cevpn.ipsec.ike.task.Credentials;
import org.junit.jupiter.api.Test;

/** Peer tuples in the engine's terms, and what the agent refuses rather than approximates. */
class PeerTranslationTest {
    static final InetAddress PEER = InetAddress.ofLiteral("192.0.2.2");
    static final InetAddress SP = InetAddress.ofLiteral("192.0.2.1");
    static final PreConfiguration PRE = new PreConfiguration(InetAddress.ofLiteral("192.0.2.1"), Duration.ofSeconds(900),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1800), 6, Duration.ofSeconds(30));

    static PeerTuple tuple(Authentication auth, ChildSaProposal child, TunnelInformation tunnel, List<IpPrefix> remote) {
        return new PeerTuple(PEER, "ce2", "acme", auth, IkeProposal.DEFAULT, child, tunnel, remote,
                List.of(IpPrefix.parse("10.1.0.0/16")));
    }

    static Authentication psk() {
        return new Authentication.PreSharedKey(new Secret("0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void pskTupleBecomesKeyIdIdentitiesSharedKeysSelectorsAndOneEspSuiteWithOptionalPfs() {
        var child = new ChildSaProposal(Encryption.AES_CBC, 128, Integrity.HMAC_SHA2_256_128, Optional.of(DhGroup.CURVE25519),
                Duration.ofSeconds(1800), 0);
        var config = new PeerTranslation(500, 4500).peerConfig("ce1", SP,
                tuple(psk(), child, TunnelInformation.DEFAULT, List.of(IpPrefix.parse("10.2.0.0/16"))));
        assertEquals(PEER, config.address());
        assertEquals(IdType.KEY_ID.value(), config.auth().local().idType());
        assertEquals("ce1", new String(config.auth().local().data().toByteArray(), StandardCharsets.UTF_8));
        assertEquals("ce2", new String(config.auth().remote().data().toByteArray(), StandardCharsets.UTF_8));
        assertTrue(config.auth().own() instanceof Credentials.OwnSharedKey);
        var proposals = config.auth().child().proposals();
        // One proposal, with the PFS group: IKE_AUTH leaves the group out of the first child SA, and a rekey
        // without PFS (no KE) matches nothing, so the configured PFS cannot be negotiated away.
        assertEquals(1, proposals.size(), "the configured suite, PFS included");
        assertEquals(128, proposals.getFirst().transforms(TransformType.ENCRYPTION).getFirst().keyLength().orElseThrow());
        assertEquals(1, proposals.getFirst().transforms(TransformType.INTEGRITY).size());
        assertEquals(31, proposals.getFirst().transforms(TransformType.KEY_EXCHANGE).getFirst().id());
        var remote = config.auth().child().remote().getFirst();
        assertTrue(remote.containsAddress(InetAddress.ofLiteral("10.2.255.255")));
        assertFalse(remote.containsAddress(InetAddress.ofLiteral("10.3.0.0")));
    }

    @Test
    void timersAndTunnelInformationMakeThePolicy() {
        var permanent = PeerTranslation.policy(tuple(psk(), ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT, List.of()), PRE);
        assertTrue(permanent.permanent());
        assertEquals(Duration.ofSeconds(5), permanent.retryMinimum());
        assertEquals(Duration.ofSeconds(30), permanent.t1());
        assertEquals(Duration.ofSeconds(1800), permanent.backoffLimit());
        assertEquals(Duration.ofDays(1), permanent.ikeLifetime());
        assertEquals(Duration.ofHours(1), permanent.childLifetime());
        assertEquals(Duration.ZERO, permanent.idleTimeout());
        var onDemand = PeerTranslation.policy(tuple(psk(), ChildSaProposal.DEFAULT,
                new TunnelInformation(Establishment.TRAFFIC_DRIVEN, IpsecMode.TUNNEL, false, Duration.ofSeconds(600)), List.of()), PRE);
        assertFalse(onDemand.permanent());
        assertEquals(Duration.ofSeconds(600), onDemand.idleTimeout());
    }

    @Test
    void transportIpInIpProtectsProtocol4BetweenTheSpAddressesAndRoutesTheCustomerPrefixes() {
        var remote = List.of(IpPrefix.parse("10.2.0.0/16"));
        var tuple = tuple(psk(), ChildSaProposal.DEFAULT,
                new TunnelInformation(Establishment.PERMANENT, IpsecMode.TRANSPORT_IP_IN_IP, false, Duration.ZERO), remote);
        var child = new PeerTranslation(500, 4500).peerConfig("ce1", SP, tuple).auth().child();
        assertTrue(child.transportMode());
        var local = child.local().getFirst();
        var far = child.remote().getFirst();
        assertEquals(List.of(4, 4), List.of(local.ipProtocol(), far.ipProtocol()));
        assertEquals(List.of(SP, SP), List.of(local.start(), local.end()));
        assertEquals(List.of(PEER, PEER), List.of(far.start(), far.end()));
        var routes = PeerTranslation.ipIpRoutes(tuple, List.of());
        assertEquals(1, routes.remote().size());
        assertEquals(org.cevpn.ipsec.esp.TrafficSelector.ofPrefix("10.2.0.0/16"), routes.remote().getFirst());
        assertEquals(org.cevpn.ipsec.esp.TrafficSelector.ofPrefix("10.1.0.0/16"), routes.local().getFirst());
    }

    static Authentication signature(TestCa ca, TestCa.Issued mine) throws Exception {
        return new Authentication.Signature(new Secret(mine.privateKey()), mine.certificateBase64(), List.of(ca.certificateBase64()));
    }

    @Test
    void signatureTupleBecomesFqdnIdentitiesCertificateAndTrustAnchors() throws Exception {
        var ca = new TestCa("provider CA");
        var remote = List.of(IpPrefix.parse("10.2.0.0/16"));
        var t = new PeerTranslation(500, 4500);
        for (TestCa.KeyType type : TestCa.KeyType.values()) {
            var config = t.peerConfig("ce1", SP, tuple(signature(ca, ca.issue("ce1", type)), ChildSaProposal.DEFAULT,
                    TunnelInformation.DEFAULT, remote));
            assertEquals(IdType.FQDN.value(), config.auth().local().idType());
            assertEquals("ce1", config.auth().local().toString());
            assertEquals("ce2", config.auth().remote().toString());
            var own = (Credentials.OwnCertificate) config.auth().own();
            assertEquals(switch (type) {
                case EC_P256 -> SignatureScheme.ECDSA_SHA256;
                case EC_P384 -> SignatureScheme.ECDSA_SHA384;
                case RSA_2048 -> SignatureScheme.RSA_PSS_SHA256;
            }, own.scheme());
            String key = java.util.HexFormat.of().formatHex(own.key().getEncoded());
            assertFalse(config.toString().toLowerCase().contains(key.substring(key.length() - 40)), "no private key in toString");
            assertFalse(config.toString().contains(java.util.Base64.getEncoder().encodeToString(own.key().getEncoded()).substring(20, 60)));
            assertTrue(config.auth().peer() instanceof Credentials.PeerCertificate);
        }
    }

    @Test
    void badLocalCredentialsAreRefusedWithAClearErrorThatShowsNoKey() throws Exception {
        var ca = new TestCa("provider CA");
        var remote = List.of(IpPrefix.parse("10.2.0.0/16"));
        var t = new PeerTranslation(500, 4500);
        java.util.function.Function<Authentication, String> refusal = auth -> assertThrows(ConfigurationException.class,
                () -> t.peerConfig("ce1", SP, tuple(auth, ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT, remote))).getMessage();

        assertTrue(refusal.apply(signature(ca, ca.issue("ce9", TestCa.KeyType.EC_P256)))
                .contains("does not carry its ce-id 'ce1' as a subjectAltName dNSName"));
        var mine = ca.issue("ce1", TestCa.KeyType.EC_P256);
        var other = ca.issue("ce1", TestCa.KeyType.EC_P256);
        assertTrue(refusal.apply(new Authentication.Signature(new Secret(other.privateKey()), mine.certificateBase64(),
                List.of(ca.certificateBase64()))).contains("does not belong to the certificate"));
        assertTrue(refusal.apply(new Authentication.Signature(new Secret(new byte[] {1, 2, 3}), mine.certificateBase64(),
                List.of(ca.certificateBase64()))).contains("is not a PKCS #8 EC private key"));
        var expired = ca.issue("ce1", TestCa.KeyType.EC_P256, java.time.Instant.now().minus(Duration.ofDays(10)),
                java.time.Instant.now().minus(Duration.ofDays(1)));
        assertTrue(refusal.apply(signature(ca, expired)).contains("this CE's certificate expired"));
        assertTrue(refusal.apply(new Authentication.Signature(new Secret(mine.privateKey()), "MIIB", List.of(ca.certificateBase64())))
                .contains("not a DER X.509 certificate"));
        String underscore = assertThrows(ConfigurationException.class, () -> t.peerConfig("ce_1", SP, tuple(signature(ca, mine),
                ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT, remote))).getMessage();
        assertTrue(underscore.contains("'ce_1' is not a DNS name"), underscore);
    }

    @Test
    void aDynamicRoutingPeerIsATransportIpInIpTunnelWithoutLivenessChecksWhoseRoutesAreLearned() {
        var t = new PeerTranslation(500, 4500);
        var dynamic = new TunnelInformation(Establishment.PERMANENT, IpsecMode.TRANSPORT_IP_IN_IP, true, Duration.ZERO);
        var tuple = tuple(psk(), ChildSaProposal.DEFAULT, dynamic, List.of());
        var child = t.peerConfig("ce1", SP, tuple).auth().child();
        assertTrue(child.transportMode());
        assertEquals(List.of(4, 41), child.remote().stream().map(ts -> ts.ipProtocol()).toList(), "either family may be learned");
        assertEquals(Duration.ZERO, PeerTranslation.policy(tuple, PRE).livenessInterval(), "the routing protocol's hellos are the liveness");
        assertEquals(Duration.ofSeconds(30), PeerTranslation.policy(tuple(psk(), ChildSaProposal.DEFAULT,
                TunnelInformation.DEFAULT, List.of(IpPrefix.parse("10.2.0.0/16"))), PRE).livenessInterval());
        var routes = PeerTranslation.ipIpRoutes(tuple, List.of());
        assertEquals(List.of(), routes.remote(), "no route before one is learned");
        assertEquals(List.of(org.cevpn.ipsec.esp.TrafficSelector.ofPrefix("0.0.0.0/0"), org.cevpn.ipsec.esp.TrafficSelector.ofPrefix("::/0")),
                routes.local(), "whatever the site routes into the tunnel");
        assertEquals(List.of(org.cevpn.ipsec.esp.TrafficSelector.ofPrefix("10.9.0.0/16")),
                PeerTranslation.ipIpRoutes(tuple, List.of(IpPrefix.parse("10.9.0.0/16"))).remote());

        assertTrue(assertThrows(ConfigurationException.class, () -> t.peerConfig("ce1", SP, tuple(psk(), ChildSaProposal.DEFAULT,
                new TunnelInformation(Establishment.PERMANENT, IpsecMode.TUNNEL, true, Duration.ZERO), List.of())))
                .getMessage().contains("dynamic routing runs over transport-ip-in-ip"));
        assertTrue(assertThrows(ConfigurationException.class, () -> t.peerConfig("ce1", SP,
                tuple(psk(), ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT, List.of()))).getMessage().contains("remote prefixes"));
    }

    @Test
    void theTuplesIkeSuiteIsThePeersOnlyIkeProposal() {
        var ike = new IkeProposal(Encryption.AES_CBC, 128, Integrity.HMAC_SHA2_512_256,
                org.cevpn.agent.config.Algorithms.Prf.HMAC_SHA2_512, DhGroup.MODP_2048, Duration.ofHours(8));
        var tuple = new PeerTuple(PEER, "ce2", "acme", psk(), ike, ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT,
                List.of(IpPrefix.parse("10.2.0.0/16")), List.of(IpPrefix.parse("10.1.0.0/16")));
        var proposals = new PeerTranslation(500, 4500).peerConfig("ce1", SP, tuple).ikeProposals();
        assertEquals(1, proposals.size());
        var p = proposals.getFirst();
        assertEquals(12, p.transforms(TransformType.ENCRYPTION).getFirst().id());
        assertEquals(128, p.transforms(TransformType.ENCRYPTION).getFirst().keyLength().orElseThrow());
        assertEquals(14, p.transforms(TransformType.INTEGRITY).getFirst().id());
        assertEquals(7, p.transforms(TransformType.PRF).getFirst().id());
        assertEquals(14, p.transforms(TransformType.KEY_EXCHANGE).getFirst().id());
    }

    @Test
    void anIkeGroupTheEngineLacksIsRefusedNotApproximated() {
        var ike = new IkeProposal(Encryption.AES_GCM_16, 256, Integrity.NONE, org.cevpn.agent.config.Algorithms.Prf.HMAC_SHA2_256,
                DhGroup.ECP_521, Duration.ofHours(8));
        var tuple = new PeerTuple(PEER, "ce2", "acme", psk(), ike, ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT,
                List.of(IpPrefix.parse("10.2.0.0/16")), List.of(IpPrefix.parse("10.1.0.0/16")));
        var e = assertThrows(ConfigurationException.class, () -> new PeerTranslation(500, 4500).peerConfig("ce1", SP, tuple));
        assertTrue(e.getMessage().contains("ecp-521"), e.getMessage());
    }

    @Test
    void theChildSaLifetimeAndLifetimeOctetsBecomeTheSadLimits() {
        var child = new ChildSaProposal(Encryption.AES_GCM_16, 256, Integrity.NONE, Optional.empty(), Duration.ofSeconds(1200), 5_000_000);
        var policy = PeerTranslation.policy(tuple(psk(), child, TunnelInformation.DEFAULT, List.of(IpPrefix.parse("10.2.0.0/16"))), PRE);
        assertEquals(5_000_000, policy.childLifetimeOctets());
        var lifetime = policy.childSaLifetime(0.5);
        assertEquals(1200, lifetime.hardSeconds());
        assertEquals(5_000_000, lifetime.hardBytes());
        assertEquals(1020, lifetime.softSeconds(), "85 %: margin 0.1 plus half the 0.1 jitter");
        assertEquals(4_250_000, lifetime.softBytes());
        var unlimited = PeerTranslation.policy(tuple(psk(), ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT, List.of()), PRE);
        assertEquals(org.cevpn.ipsec.esp.Lifetime.NONE, unlimited.childSaLifetime(0.5).hardBytes(), "lifetime-octets 0: no volume limit");
    }

    @Test
    void prefixesOverlapWhenNested() {
        assertTrue(IpPrefix.parse("10.0.0.0/8").overlaps(IpPrefix.parse("10.9.0.0/16")));
        assertTrue(IpPrefix.parse("10.9.0.0/16").overlaps(IpPrefix.parse("10.0.0.0/8")));
        assertFalse(IpPrefix.parse("10.9.0.0/16").overlaps(IpPrefix.parse("10.10.0.0/16")));
        assertFalse(IpPrefix.parse("0.0.0.0/0").overlaps(IpPrefix.parse("::/0")));
        assertTrue(IpPrefix.parse("fd00::/8").overlaps(IpPrefix.parse("fd00:1::1/128")));
    }
}

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
import org.cevpn.ipsec.ike.message.IdType;
import org.cevpn.ipsec.ike.message.TransformType;
import org.cevpn.ipsec.ike.task.Credentials;
import org.junit.jupiter.api.Test;

/** Peer tuples in the engine's terms, and what the agent refuses rather than approximates. */
class PeerTranslationTest {
    static final InetAddress PEER = InetAddress.ofLiteral("192.0.2.2");
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
        var config = new PeerTranslation(500, 4500).peerConfig("ce1",
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
    void whatIsNotImplementedIsRefusedWithAClearError() {
        var t = new PeerTranslation(500, 4500);
        var remote = List.of(IpPrefix.parse("10.2.0.0/16"));
        var signature = new Authentication.Signature(new Secret(new byte[] {1}), "MIIB", List.of("MIIC"));
        assertTrue(assertThrows(ConfigurationException.class, () -> t.peerConfig("ce1",
                tuple(signature, ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT, remote))).getMessage().contains("digital-signature"));
        assertTrue(assertThrows(ConfigurationException.class, () -> t.peerConfig("ce1", tuple(psk(), ChildSaProposal.DEFAULT,
                new TunnelInformation(Establishment.PERMANENT, IpsecMode.TRANSPORT_IP_IN_IP, true, Duration.ZERO), remote)))
                .getMessage().contains("transport-ip-in-ip"));
        assertTrue(assertThrows(ConfigurationException.class, () -> t.peerConfig("ce1",
                tuple(psk(), ChildSaProposal.DEFAULT, TunnelInformation.DEFAULT, List.of()))).getMessage().contains("remote prefixes"));
    }
}

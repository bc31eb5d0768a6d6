package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.GeneralName;
import org.cevpn.ipsec.ike.crypto.CertificateChainValidator;
import org.cevpn.ipsec.ike.crypto.CertificateChainValidatorTest;
import org.cevpn.ipsec.ike.crypto.SignatureScheme;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.TrafficSelector;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.sk.SkProtection;
import org.junit.jupiter.api.Test;

/**
 * Our IKE_AUTH initiator against our responder: IKE_SA_INIT first, then IKE_AUTH messages sealed
 * and opened by SkProtection and passed through the codec, as on the wire.
 */
class IkeAuthExchangeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity CE1 = Identity.fqdn("ce1.vpn7.example.net");
    private static final Identity CE2 = Identity.fqdn("ce2.vpn7.example.net");
    private static final byte[] PSK = "tunnel-ce1-ce2-psk".getBytes(StandardCharsets.US_ASCII);

    private static Proposal esp(EncryptionAlgorithm e, int bits, IntegrityAlgorithm i) {
        List<Transform> t = new java.util.ArrayList<>();
        t.add(bits > 0 ? Transform.encryption(e, bits) : Transform.encryption(e));
        if (i != null) {
            t.add(Transform.integrity(i));
        }
        t.add(Transform.sequenceNumbers(SequenceNumbers.NO_ESN));
        return new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, t);
    }

    static TrafficSelector net(String from, String to) throws Exception {
        return TrafficSelector.range(InetAddress.getByName(from), InetAddress.getByName(to));
    }

    private static ChildSaConfig child(Proposal esp, TrafficSelector local, TrafficSelector remote) {
        return new ChildSaConfig(List.of(esp), List.of(local), List.of(remote));
    }

    private static ChildSaConfig defaultChild(boolean initiatorSide) throws Exception {
        TrafficSelector site1 = net("10.1.0.0", "10.1.255.255");
        TrafficSelector site2 = net("10.2.0.0", "10.2.255.255");
        Proposal p = esp(EncryptionAlgorithm.AES_GCM_16, 256, null);
        return initiatorSide ? child(p, site1, site2) : child(p, site2, site1);
    }

    record Pair(IkeInitResult initiator, IkeInitResult responder) {
    }

    static Pair init() throws Exception {
        IkeInitConfig c = new IkeInitConfig(List.of(IkeInitExchangeTest.proposal(1, List.of(DhGroup.CURVE25519))),
                true, List.of(HashAlgorithm.SHA2_256));
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 500);
        InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 500);
        IkeInitInitiator i = new IkeInitInitiator(c, new Endpoints(a, b), RANDOM.nextLong() | 1, RANDOM);
        byte[] req = i.request();
        var r = (IkeInitResponder.Outcome.Established) new IkeInitResponder(c, new Endpoints(b, a), RANDOM, new Cookies(RANDOM))
                .onRequest(IkeDecoder.decode(req), req, false, RANDOM.nextLong() | 1);
        var done = (IkeInitInitiator.Outcome.Established) i.onResponse(IkeDecoder.decode(r.response()), r.response());
        return new Pair(done.result(), r.result());
    }

    private record Run(IkeAuthInitiator.Outcome initiator, IkeAuthResponder.Outcome responder) {
    }

    /** One IKE_AUTH exchange through SkProtection and the codec. */
    private static Run run(IkeAuthConfig initiatorConfig, IkeAuthConfig responderConfig) throws Exception {
        Pair p = init();
        SkProtection iSk = SkProtection.of(p.initiator().chosen(), p.initiator().keys(), true, RANDOM);
        SkProtection rSk = SkProtection.of(p.responder().chosen(), p.responder().keys(), false, RANDOM);
        IkeAuthInitiator initiator = new IkeAuthInitiator(p.initiator(), initiatorConfig, 0x1000_0001, RANDOM);
        IkeHeader h = new IkeHeader(p.initiator().initiatorSpi(), p.initiator().responderSpi(), ExchangeType.IKE_AUTH, true, false, 1);
        byte[] request = iSk.seal(h, initiator.request());
        var atResponder = rSk.open(IkeDecoder.decode(request), request);
        IkeAuthResponder.Outcome r = new IkeAuthResponder(p.responder(), responderConfig, RANDOM).onRequest(atResponder, 0x2000_0002);
        List<Payload> answer = switch (r) {
            case IkeAuthResponder.Outcome.Established e -> e.response();
            case IkeAuthResponder.Outcome.Refused f -> f.response();
        };
        IkeHeader rh = new IkeHeader(h.initiatorSpi(), h.responderSpi(), ExchangeType.IKE_AUTH, false, true, 1);
        byte[] response = rSk.seal(rh, answer);
        return new Run(initiator.onResponse(iSk.open(IkeDecoder.decode(response), response)), r);
    }

    private static IkeAuthConfig psk(Identity me, Identity peer, byte[] mine, byte[] theirs, ChildSaConfig child) {
        return new IkeAuthConfig(me, new Credentials.OwnSharedKey(mine), peer, new Credentials.PeerSharedKey(theirs), true, child);
    }

    @Test
    void pskEstablishesTheIkeSaAndAMatchingChildSa() throws Exception {
        Run run = run(psk(CE1, CE2, PSK, PSK, defaultChild(true)), psk(CE2, CE1, PSK, PSK, defaultChild(false)));
        ChildSaResult mine = assertInstanceOf(IkeAuthInitiator.Outcome.Established.class, run.initiator()).child();
        var theirs = assertInstanceOf(IkeAuthResponder.Outcome.Established.class, run.responder());
        ChildSaResult other = theirs.child().orElseThrow();
        assertTrue(theirs.peerInitialContact());
        assertEquals(CE1, theirs.peer());
        assertEquals(mine.outboundSpi(), other.inboundSpi());
        assertEquals(mine.inboundSpi(), other.outboundSpi());
        assertArrayEquals(mine.keys().encryptionInitiator(), other.keys().encryptionInitiator());
        assertArrayEquals(mine.keys().encryptionResponder(), other.keys().encryptionResponder());
        assertEquals(36, mine.keys().encryptionInitiator().length); // AES-256 key + 4-octet salt
        assertEquals(mine.local(), other.remote());
        assertEquals(mine.remote(), other.local());
    }

    /** RFC 3884: a transport-mode child protecting IP-in-IP (protocol 4) between the two CE addresses. */
    private static ChildSaConfig ipip(String me, String peer, boolean transport) throws Exception {
        TrafficSelector a = ipipEnd(me);
        TrafficSelector b = ipipEnd(peer);
        return new ChildSaConfig(List.of(esp(EncryptionAlgorithm.AES_GCM_16, 256, null)), List.of(a), List.of(b), transport);
    }

    private static TrafficSelector ipipEnd(String address) throws Exception {
        TrafficSelector host = net(address, address);
        return new TrafficSelector(host.type(), 4, 0, 65535, host.startAddress(), host.endAddress());
    }

    @Test
    void transportModeIsAgreedWithUseTransportModeOnBothSides() throws Exception {
        Run run = run(psk(CE1, CE2, PSK, PSK, ipip("192.0.2.1", "192.0.2.2", true)),
                psk(CE2, CE1, PSK, PSK, ipip("192.0.2.2", "192.0.2.1", true)));
        ChildSaResult mine = assertInstanceOf(IkeAuthInitiator.Outcome.Established.class, run.initiator()).child();
        ChildSaResult theirs = assertInstanceOf(IkeAuthResponder.Outcome.Established.class, run.responder()).child().orElseThrow();
        assertTrue(mine.transportMode());
        assertTrue(theirs.transportMode());
        assertEquals(List.of(ipipEnd("192.0.2.1")), mine.local());
        assertEquals(4, mine.remote().getFirst().ipProtocol());

        // Installed, its data plane selectors are the IP-in-IP interface's routes, not the protocol-4 selectors.
        var sad = new org.cevpn.ipsec.esp.SecurityAssociationDatabase(e -> { });
        var installer = new org.cevpn.ipsec.ike.engine.ChildSaInstaller(sad);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 4500);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> installer.install(mine, peer));
        var site1 = org.cevpn.ipsec.esp.TrafficSelector.ofPrefix("10.1.0.0/16");
        var site2 = org.cevpn.ipsec.esp.TrafficSelector.ofPrefix("10.2.0.0/16");
        installer.installIpIp(mine, peer, List.of(site1), List.of(site2), org.cevpn.ipsec.esp.Lifetime.UNLIMITED);
        assertEquals(2, sad.all().size());
        for (var sa : sad.all()) {
            assertEquals(org.cevpn.ipsec.esp.Mode.TRANSPORT_IPIP, sa.config().mode());
            assertEquals(List.of(site1), sa.config().localSelectors());
            assertEquals(List.of(site2), sa.config().remoteSelectors());
        }
    }

    @Test
    void aResponderConfiguredForTransportModeRefusesATunnelModeChild() throws Exception {
        Run run = run(psk(CE1, CE2, PSK, PSK, ipip("192.0.2.1", "192.0.2.2", false)),
                psk(CE2, CE1, PSK, PSK, ipip("192.0.2.2", "192.0.2.1", true)));
        var theirs = assertInstanceOf(IkeAuthResponder.Outcome.Established.class, run.responder());
        assertEquals(Optional.of(NotifyType.NO_PROPOSAL_CHOSEN), theirs.childError());
        var mine = assertInstanceOf(IkeAuthInitiator.Outcome.EstablishedWithoutChild.class, run.initiator());
        assertEquals(Optional.of(NotifyType.NO_PROPOSAL_CHOSEN), mine.childError());
    }

    @Test
    void anInitiatorThatAskedForTransportModeDoesNotAcceptTunnelMode() throws Exception {
        // RFC 7296 §1.3.1: the responder may decline transport mode; our tunnel-configured responder does.
        Run run = run(psk(CE1, CE2, PSK, PSK, ipip("192.0.2.1", "192.0.2.2", true)),
                psk(CE2, CE1, PSK, PSK, ipip("192.0.2.2", "192.0.2.1", false)));
        ChildSaResult theirs = assertInstanceOf(IkeAuthResponder.Outcome.Established.class, run.responder()).child().orElseThrow();
        assertEquals(false, theirs.transportMode());
        var mine = assertInstanceOf(IkeAuthInitiator.Outcome.Failed.class, run.initiator());
        assertTrue(mine.reason().contains("declined transport mode"), mine.reason());
    }

    @Test
    void certificatesWithRfc7427SignaturesEstablishTheIkeSa() throws Exception {
        long day = 86_400_000L;
        Date from = new Date(System.currentTimeMillis() - day);
        Date to = new Date(System.currentTimeMillis() + day);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        KeyPair caKeys = g.generateKeyPair();
        KeyPair k1 = g.generateKeyPair();
        KeyPair k2 = g.generateKeyPair();
        X509Certificate ca = CertificateChainValidatorTest.issue("CN=VPN server CA", caKeys, "CN=VPN server CA", caKeys.getPrivate(), true, from, to);
        X509Certificate c1 = CertificateChainValidatorTest.issue("CN=ce1", k1, "CN=VPN server CA", caKeys.getPrivate(), false, from, to,
                new GeneralName(GeneralName.dNSName, "ce1.vpn7.example.net"));
        X509Certificate c2 = CertificateChainValidatorTest.issue("CN=ce2", k2, "CN=VPN server CA", caKeys.getPrivate(), false, from, to,
                new GeneralName(GeneralName.dNSName, "ce2.vpn7.example.net"));
        Credentials.PeerCertificate trust = new Credentials.PeerCertificate(new CertificateChainValidator(List.of(ca)),
                EnumSet.of(SignatureScheme.ECDSA_SHA256));
        Run run = run(new IkeAuthConfig(CE1, new Credentials.OwnCertificate(List.of(c1), k1.getPrivate(), SignatureScheme.ECDSA_SHA256),
                        CE2, trust, false, defaultChild(true)),
                new IkeAuthConfig(CE2, new Credentials.OwnCertificate(List.of(c2), k2.getPrivate(), SignatureScheme.ECDSA_SHA256),
                        CE1, trust, false, defaultChild(false)));
        assertInstanceOf(IkeAuthInitiator.Outcome.Established.class, run.initiator());
        assertTrue(!assertInstanceOf(IkeAuthResponder.Outcome.Established.class, run.responder()).peerInitialContact());
    }

    @Test
    void aWrongKeyOrAnUnknownPeerIsAuthenticationFailed() throws Exception {
        byte[] wrong = "another-psk".getBytes(StandardCharsets.US_ASCII);
        Run badKey = run(psk(CE1, CE2, wrong, wrong, defaultChild(true)), psk(CE2, CE1, PSK, PSK, defaultChild(false)));
        assertEquals(NotifyType.AUTHENTICATION_FAILED,
                assertInstanceOf(IkeAuthResponder.Outcome.Refused.class, badKey.responder()).error());
        assertEquals(Optional.of(NotifyType.AUTHENTICATION_FAILED),
                assertInstanceOf(IkeAuthInitiator.Outcome.Failed.class, badKey.initiator()).peerError());

        Identity stranger = Identity.fqdn("ce9.vpn7.example.net");
        Run unknown = run(psk(stranger, CE2, PSK, PSK, defaultChild(true)), psk(CE2, CE1, PSK, PSK, defaultChild(false)));
        var refused = assertInstanceOf(IkeAuthResponder.Outcome.Refused.class, unknown.responder());
        assertTrue(refused.reason().contains("unknown peer"), refused.reason());
    }

    @Test
    void theInitiatorChecksTheRespondersAuthToo() throws Exception {
        byte[] other = "responder-uses-another-key".getBytes(StandardCharsets.US_ASCII);
        // The responder accepts our key but proves itself with another one.
        Run run = run(psk(CE1, CE2, PSK, PSK, defaultChild(true)), psk(CE2, CE1, other, PSK, defaultChild(false)));
        assertInstanceOf(IkeAuthResponder.Outcome.Established.class, run.responder());
        var failed = assertInstanceOf(IkeAuthInitiator.Outcome.Failed.class, run.initiator());
        assertEquals(Optional.empty(), failed.peerError());
        assertTrue(failed.reason().contains("does not verify"), failed.reason());
    }

    @Test
    void childFailuresKeepTheIkeSa() throws Exception {
        TrafficSelector site1 = net("10.1.0.0", "10.1.255.255");
        TrafficSelector site2 = net("10.2.0.0", "10.2.255.255");
        Proposal gcm = esp(EncryptionAlgorithm.AES_GCM_16, 256, null);
        Proposal cbc = esp(EncryptionAlgorithm.AES_CBC, 128, IntegrityAlgorithm.HMAC_SHA2_256_128);
        Run noProposal = run(psk(CE1, CE2, PSK, PSK, child(gcm, site1, site2)), psk(CE2, CE1, PSK, PSK, child(cbc, site2, site1)));
        var w = assertInstanceOf(IkeAuthInitiator.Outcome.EstablishedWithoutChild.class, noProposal.initiator());
        assertEquals(Optional.of(NotifyType.NO_PROPOSAL_CHOSEN), w.childError());

        TrafficSelector site3 = net("10.3.0.0", "10.3.255.255");
        Run disjoint = run(psk(CE1, CE2, PSK, PSK, child(gcm, site1, site3)), psk(CE2, CE1, PSK, PSK, child(gcm, site2, site1)));
        var d = assertInstanceOf(IkeAuthInitiator.Outcome.EstablishedWithoutChild.class, disjoint.initiator());
        assertEquals(Optional.of(NotifyType.TS_UNACCEPTABLE), d.childError());
        assertEquals(Optional.of(NotifyType.TS_UNACCEPTABLE),
                assertInstanceOf(IkeAuthResponder.Outcome.Established.class, disjoint.responder()).childError());
    }

    @Test
    void theResponderNarrowsTrafficSelectorsAndTheInitiatorAcceptsTheNarrowing() throws Exception {
        Proposal gcm = esp(EncryptionAlgorithm.AES_GCM_16, 256, null);
        Run run = run(psk(CE1, CE2, PSK, PSK, child(gcm, net("10.1.0.0", "10.1.255.255"), net("10.2.0.0", "10.2.255.255"))),
                psk(CE2, CE1, PSK, PSK, child(gcm, net("10.2.7.0", "10.2.7.255"), net("10.1.0.0", "10.1.255.255"))));
        ChildSaResult mine = assertInstanceOf(IkeAuthInitiator.Outcome.Established.class, run.initiator()).child();
        assertEquals(List.of(net("10.2.7.0", "10.2.7.255")), mine.remote());
        assertEquals(List.of(net("10.1.0.0", "10.1.255.255")), mine.local());
    }
}

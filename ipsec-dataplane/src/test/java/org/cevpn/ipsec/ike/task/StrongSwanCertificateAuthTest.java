package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.cevpn.ipsec.ike.crypto.CertificateChainValidator;
import org.cevpn.ipsec.ike.crypto.CertificateChainValidatorTest;
import org.cevpn.ipsec.ike.crypto.SignatureScheme;
import org.cevpn.ipsec.ike.message.AuthMethod;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.sk.SkProtection;
import org.cevpn.ipsec.ike.testsupport.StrongSwanPeer;
import org.cevpn.ipsec.ike.testsupport.UdpEndpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Certificate authentication with RFC 7427 Digital Signatures against strongSwan 5.9 (netns;
 * root, ip, charon, swanctl). A test CA issues certificates to us (ECDSA P-256 or RSA) and to
 * charon (ECDSA P-256). charon sends its certificate only when asked (its default), so our
 * CERTREQ must name the CA. charon must verify our AUTH (method 14, our AlgorithmIdentifier and
 * signature) against our CERT and its CA, and we must validate charon's chain with our
 * CertificateChainValidator and verify its AUTH. In the fragmented variant charon sends at most
 * 400-octet datagrams and we at most 300: both sides must reassemble the other's RFC 7383 fragments.
 */
class StrongSwanCertificateAuthTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long DAY = 86_400_000L;

    /** Our key type; FRAGMENTED: ECDSA, and IKE_AUTH both ways in RFC 7383 fragments. */
    enum OurKey { ECDSA_P256, RSA_PSS, ECDSA_P256_FRAGMENTED }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    @ParameterizedTest
    @EnumSource(OurKey.class)
    void strongSwanAndWeVerifyEachOthersCertificatesAndSignatures(OurKey kind) throws Exception {
        Date from = new Date(System.currentTimeMillis() - DAY);
        Date to = new Date(System.currentTimeMillis() + DAY);
        KeyPair caKeys = ec();
        X509Certificate ca = CertificateChainValidatorTest.issue("CN=cevpn test CA", caKeys, "CN=cevpn test CA",
                caKeys.getPrivate(), true, from, to);
        KeyPair ourKeys;
        SignatureScheme scheme;
        if (kind == OurKey.RSA_PSS) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            ourKeys = g.generateKeyPair();
            scheme = SignatureScheme.RSA_PSS_SHA256;
        } else {
            ourKeys = ec();
            scheme = SignatureScheme.ECDSA_SHA256;
        }
        X509Certificate ours = CertificateChainValidatorTest.issue("CN=ce1", ourKeys, "CN=cevpn test CA",
                caKeys.getPrivate(), false, from, to, new GeneralName(GeneralName.dNSName, "ce1.example.net"));
        KeyPair theirKeys = ec();
        X509Certificate theirs = CertificateChainValidatorTest.issue("CN=ce2", theirKeys, "CN=cevpn test CA",
                caKeys.getPrivate(), false, from, to, new GeneralName(GeneralName.dNSName, "ce2.example.net"));

        boolean fragmented = kind == OurKey.ECDSA_P256_FRAGMENTED;
        StrongSwanPeer.Config config = new StrongSwanPeer.Config(fragmented ? "fragment_size = 400" : "",
                "aes128gcm16-prfsha256-ecp256", "",
                "auth = pubkey\n certs = ce2.pem\n id = ce2.example.net", "auth = pubkey\n id = ce1.example.net",
                Map.of("x509ca/ca.pem", pem(ca), "x509/ce2.pem", pem(theirs),
                        "private/ce2.pem", pem(new JcaPKCS8Generator(theirKeys.getPrivate(), null))));
        try (StrongSwanPeer peer = StrongSwanPeer.start(5 + kind.ordinal(), config);
             UdpEndpoint socket = new UdpEndpoint(new InetSocketAddress(peer.localAddress(), 0))) {
            IkeInitConfig init = new IkeInitConfig(List.of(new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                    Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 128),
                    Transform.prf(org.cevpn.ipsec.ike.message.PseudorandomFunction.HMAC_SHA2_256),
                    Transform.dhGroup(DhGroup.ECP_256)))),
                    true, List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512));
            IkeInitResult r = StrongSwanIkeInitTest.initiate(peer, socket, init).result();
            assertTrue(r.peerSignatureHashes().contains(HashAlgorithm.SHA2_256));

            IkeAuthConfig authConfig = new IkeAuthConfig(Identity.fqdn("ce1.example.net"),
                    new Credentials.OwnCertificate(List.of(ours), ourKeys.getPrivate(), scheme),
                    Identity.fqdn("ce2.example.net"),
                    new Credentials.PeerCertificate(new CertificateChainValidator(List.of(ca)), EnumSet.allOf(SignatureScheme.class)),
                    false, StrongSwanIkeInitTest.pskAuth().child());
            IkeAuthInitiator task = new IkeAuthInitiator(r, authConfig, 0x1000_0000 | RANDOM.nextInt(0x0fff_ffff) + 1, RANDOM);
            List<Payload> inner = task.request();
            SkProtection sk = SkProtection.of(r.chosen(), r.keys(), true, RANDOM);
            IkeHeader header = new IkeHeader(r.initiatorSpi(), r.responderSpi(), ExchangeType.IKE_AUTH, true, false, 1);
            List<byte[]> datagrams = new java.util.ArrayList<>();
            for (byte[] message : fragmented ? sk.sealFragments(header, inner, 300) : List.of(sk.seal(header, inner))) {
                byte[] datagram = new byte[4 + message.length]; // non-ESP marker, then the message
                System.arraycopy(message, 0, datagram, 4, message.length);
                datagrams.add(datagram);
            }
            if (fragmented) {
                assertTrue(datagrams.size() > 2, "our IKE_AUTH travels in fragments");
            }
            InetSocketAddress natT = new InetSocketAddress(peer.address().getAddress(), 4500);
            List<Payload> answer = null;
            int fragmentsReceived = 0;
            org.cevpn.ipsec.ike.sk.FragmentReassembly reassembly = new org.cevpn.ipsec.ike.sk.FragmentReassembly(1);
            for (int attempt = 0; attempt < 5 && answer == null; attempt++) {
                for (byte[] d : datagrams) {
                    socket.send(d, natT);
                }
                var got = socket.receive(1500);
                while (got.isPresent() && answer == null) {
                    byte[] raw = Arrays.copyOfRange(got.get().data(), 4, got.get().data().length);
                    DecodedMessage m = IkeDecoder.decode(raw);
                    if (m.payloads().getLast() instanceof Payload.EncryptedFragment) {
                        fragmentsReceived++;
                        answer = reassembly.offer(sk.openFragment(m, raw)).orElse(null);
                    } else {
                        answer = sk.open(m, raw);
                    }
                    got = answer == null ? socket.receive(1500) : java.util.Optional.empty();
                }
            }
            String log = peer.log();
            assertTrue(answer != null, () -> "no IKE_AUTH response\n" + log);
            String verdict = "authentication of 'ce1.example.net' with "
                    + (kind == OurKey.RSA_PSS ? "RSA_EMSA_PSS_SHA2_256_SALT_32" : "ECDSA_WITH_SHA256_DER") + " successful";
            assertTrue(log.contains(verdict), log);
            assertTrue(log.contains("IKE_SA peer[1] established"), log);
            if (fragmented) {
                assertTrue(fragmentsReceived > 1, "charon's IKE_AUTH came in fragments");
                assertTrue(log.contains("received fragment #"), log);
            }

            Payload.Authentication auth = first(answer, Payload.Authentication.class, log);
            assertEquals(AuthMethod.DIGITAL_SIGNATURE.value(), auth.method(), "charon uses RFC 7427 when both announce it");
            // Our task validates charon's chain against the CA and verifies its signature.
            IkeAuthInitiator.Outcome outcome = task.onResponse(answer);
            var established = assertInstanceOf(IkeAuthInitiator.Outcome.Established.class, outcome, () -> outcome + "\n" + log);
            assertEquals(Identity.fqdn("ce2.example.net"), established.peer());
            assertTrue(log.contains("CHILD_SA net{1} established"), log);
        }
    }

    private static <P extends Payload> P first(List<Payload> payloads, Class<P> type, String log) {
        return payloads.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + payloads + "\n" + log));
    }
}

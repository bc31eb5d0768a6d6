package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.sk.SkProtection;
import org.cevpn.ipsec.testing.ExternalTools;
import org.cevpn.ipsec.testing.Pcap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A program we did not write reads our IKE: tshark dissects our IKE_SA_INIT exchange (every
 * payload, no malformed-packet warning) and, given the IKE SA's keys in its
 * {@code ikev2_decryption_table}, decrypts and verifies our IKE_AUTH exchange.
 */
class TsharkIkeTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private static Proposal ike(boolean gcm) {
        List<Transform> t = gcm
                ? List.of(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                        Transform.dhGroup(DhGroup.ECP_256))
                : List.of(Transform.encryption(EncryptionAlgorithm.AES_CBC, 256), Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128),
                        Transform.prf(PseudorandomFunction.HMAC_SHA2_256), Transform.dhGroup(DhGroup.ECP_256));
        return new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, t);
    }

    private static IkeAuthConfig auth(String me, String peer, String localNet, String remoteNet) throws Exception {
        byte[] psk = "tshark-reads-our-ike".getBytes(StandardCharsets.US_ASCII);
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.sequenceNumbers(SequenceNumbers.NO_ESN)));
        return new IkeAuthConfig(Identity.fqdn(me), new Credentials.OwnSharedKey(psk), Identity.fqdn(peer),
                new Credentials.PeerSharedKey(psk), false, new ChildSaConfig(List.of(esp),
                List.of(IkeAuthExchangeTest.net(localNet, localNet.replace(".0.0", ".255.255"))),
                List.of(IkeAuthExchangeTest.net(remoteNet, remoteNet.replace(".0.0", ".255.255")))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"AES-GCM-16-256", "AES-CBC-256 + HMAC-SHA2-256-128"})
    void tsharkDissectsOurIkeSaInitAndDecryptsOurIkeAuth(String suite) throws Exception {
        Path tshark = ExternalTools.program("tshark", "tshark");
        boolean gcm = suite.startsWith("AES-GCM");
        IkeInitConfig c = new IkeInitConfig(List.of(ike(gcm)), true, List.of(HashAlgorithm.SHA2_256));
        InetSocketAddress ce1 = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 500);
        InetSocketAddress ce2 = new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 500);
        IkeInitInitiator i = new IkeInitInitiator(c, new Endpoints(ce1, ce2), RANDOM.nextLong() | 1, RANDOM);
        byte[] initRequest = i.request();
        var r = (IkeInitResponder.Outcome.Established) new IkeInitResponder(c, new Endpoints(ce2, ce1), RANDOM, new Cookies(RANDOM))
                .onRequest(IkeDecoder.decode(initRequest), initRequest, false, RANDOM.nextLong() | 1);
        var done = (IkeInitInitiator.Outcome.Established) i.onResponse(IkeDecoder.decode(r.response()), r.response());
        IkeInitResult ir = done.result();

        SkProtection iSk = SkProtection.of(ir.chosen(), ir.keys(), true, RANDOM);
        SkProtection rSk = SkProtection.of(r.result().chosen(), r.result().keys(), false, RANDOM);
        IkeAuthInitiator authI = new IkeAuthInitiator(ir, auth("ce1.example.net", "ce2.example.net", "10.1.0.0", "10.2.0.0"), 0x1000_0001, RANDOM);
        IkeHeader h = new IkeHeader(ir.initiatorSpi(), ir.responderSpi(), ExchangeType.IKE_AUTH, true, false, 1);
        byte[] authRequest = iSk.seal(h, authI.request());
        var inner = rSk.open(IkeDecoder.decode(authRequest), authRequest);
        var answer = (IkeAuthResponder.Outcome.Established) new IkeAuthResponder(r.result(),
                auth("ce2.example.net", "ce1.example.net", "10.2.0.0", "10.1.0.0"), RANDOM).onRequest(inner, 0x2000_0002);
        byte[] authResponse = rSk.seal(new IkeHeader(h.initiatorSpi(), h.responderSpi(), ExchangeType.IKE_AUTH, false, true, 1),
                answer.response());

        Pcap pcap = new Pcap();
        byte[] a = ce1.getAddress().getAddress();
        byte[] b = ce2.getAddress().getAddress();
        pcap.addUdp(a, 500, b, 500, initRequest);
        pcap.addUdp(b, 500, a, 500, r.response());
        pcap.addUdp(a, 500, b, 500, authRequest);
        pcap.addUdp(b, 500, a, 500, authResponse);
        Path file = dir.resolve("ike.pcap");
        pcap.write(file);

        // 1. The IKE_SA_INIT exchange, dissected without keys.
        String init = run(tshark, "-n", "-r", file.toString(), "-V", "-Y", "frame.number <= 2");
        for (String expected : List.of("Exchange type: IKE_SA_INIT (34)", "Payload: Security Association (33)",
                "Payload: Key Exchange (34)", "Payload: Nonce (40)", "NAT_DETECTION_SOURCE_IP",
                "NAT_DETECTION_DESTINATION_IP", "IKEV2_FRAGMENTATION_SUPPORTED", "SIGNATURE_HASH_ALGORITHMS",
                gcm ? "AES-GCM with a 16 octet ICV (20)" : "ENCR_AES_CBC (12)", "PRF_HMAC_SHA2_256 (5)", "256-bit random ECP group (19)",
                "Flags: 0x20 (Responder, No higher version, Response)")) {
            assertTrue(init.contains(expected), "tshark -V shows " + expected + ":\n" + init);
        }
        assertFalse(init.toLowerCase().contains("malformed"), init);
        assertFalse(init.contains("Expert Info (Error"), init);

        // 2. IKE_AUTH, decrypted with the keys of the IKE SA (and its ICV checked).
        IkeSaKeys k = ir.keys();
        HexFormat hex = HexFormat.of();
        String uat = String.join(",", List.of(
                String.format("%016x", ir.initiatorSpi()), String.format("%016x", ir.responderSpi()),
                hex.formatHex(k.skEi()), hex.formatHex(k.skEr()),
                "\"" + (gcm ? "AES-GCM-256 with 16 octet ICV [RFC5282]" : "AES-CBC-256 [RFC3602]") + "\"",
                gcm ? "" : hex.formatHex(k.skAi()), gcm ? "" : hex.formatHex(k.skAr()),
                "\"" + (gcm ? "NONE [RFC4306]" : "HMAC_SHA2_256_128 [RFC4868]") + "\""));
        String auth = run(tshark, "-n", "-r", file.toString(), "-V", "-Y", "frame.number >= 3",
                "-o", "uat:ikev2_decryption_table:" + uat);
        for (String expected : List.of("Exchange type: IKE_AUTH (35)", "Decrypted Data", "Payload: Identification - Initiator (35)",
                "ID_FQDN", "ce1.example.net", "Payload: Authentication (39)", "Payload: Traffic Selector - Initiator (44)",
                "Payload: Identification - Responder (36)", "ce2.example.net")) {
            assertTrue(auth.contains(expected), "decrypted IKE_AUTH shows " + expected + ":\n" + auth);
        }
        // Both IKE_AUTH messages: tshark checked each one's ICV (GCM tag or HMAC) with our keys.
        assertTrue(auth.split("Integrity Checksum Data: ", -1).length - 1 == 2, auth);
        assertTrue(auth.lines().filter(l -> l.contains("Integrity Checksum Data: ") && l.endsWith("[correct]")).count() == 2, "both ICVs [correct]:\n" + auth);
        assertFalse(auth.toLowerCase().contains("malformed"), auth);
    }

    private static String run(Path tshark, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tshark.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}

package org.cevpn.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.cevpn.agent.config.Algorithms.DhGroup;
import org.cevpn.agent.config.Algorithms.Encryption;
import org.cevpn.agent.config.Algorithms.Integrity;
import org.cevpn.agent.config.Algorithms.Prf;
import org.cevpn.agent.config.TunnelInformation.Establishment;
import org.cevpn.agent.config.TunnelInformation.IpsecMode;
import org.cevpn.netconf.validation.DatastoreValidator;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.Limits;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.cevpn.netconf.validation.YangSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/** The model's valid example (CE ce1 in VPN acme) read into peer tuples, and the resolution rules around it. */
class CeConfigurationReaderTest {
    static final Path EXAMPLE = Path.of("../yang/models/examples/valid/ce-vpn-configuration.xml");
    static final String PSK_CE2 = "XBsOP5p9Lktvihw9Xn+bCixOb4obPV9+nAsqTW+OHDs=";

    static YangSchema schema;
    static InstanceDocumentParser parser;
    static DatastoreValidator validator;
    static CeConfigurationReader reader;
    static String example;

    @BeforeAll
    static void load() throws Exception {
        schema = new SchemaContextLoader(CeConfigurationReaderTest.class.getClassLoader()).loadCevpnModels();
        parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
        validator = new DatastoreValidator(schema);
        reader = new CeConfigurationReader(schema);
        example = Files.readString(EXAMPLE);
    }

    /** Parses and validates like running would be, then reads. */
    static CeConfiguration read(String xml) throws Exception {
        ContainerNode root = parser.parseXml(xml.getBytes(StandardCharsets.UTF_8));
        validator.validate(root, DatastoreValidator.Scope.CONFIG).orThrow();
        return reader.read(root).orElseThrow();
    }

    @Test
    void preConfigurationTimersAndIdentity() throws Exception {
        CeConfiguration c = read(example);
        assertEquals("ce1", c.ceId());
        assertEquals(Optional.of(42L), c.configurationVersion());
        PreConfiguration pre = c.preConfiguration();
        assertEquals(InetAddress.ofLiteral("192.0.2.1"), pre.spAddress());
        assertEquals(Duration.ofSeconds(900), pre.pullInterval());
        assertEquals(Duration.ofSeconds(5), pre.minRetryWait());
        assertEquals(Duration.ofSeconds(30), pre.retryInterval());
        assertEquals(Duration.ofSeconds(1800), pre.backoffLimit());
        assertEquals(6, pre.alarmThreshold());
        assertEquals(Duration.ofSeconds(30), pre.livenessInterval());
        assertEquals(2, c.peers().size());
    }

    @Test
    void pskPeerTakesTheVpnDefaults() throws Exception {
        PeerTuple ce2 = read(example).peers().get(InetAddress.ofLiteral("192.0.2.2"));
        assertEquals("ce2", ce2.ceId());
        assertEquals("acme", ce2.vpnId());
        var psk = assertInstanceOf(Authentication.PreSharedKey.class, ce2.authentication());
        assertEquals(List.of(), toList(psk.key().octets(), PSK_CE2));
        assertEquals(new IkeProposal(Encryption.AES_GCM_16, 256, Integrity.NONE, Prf.HMAC_SHA2_256, DhGroup.ECP_256,
                Duration.ofDays(1)), ce2.ike());
        assertEquals(new ChildSaProposal(Encryption.AES_GCM_16, 256, Integrity.NONE, Optional.empty(), Duration.ofHours(1), 0),
                ce2.childSa());
        assertEquals(new TunnelInformation(Establishment.PERMANENT, IpsecMode.TRANSPORT_IP_IN_IP, true, Duration.ZERO), ce2.tunnel());
        assertEquals(List.of(), ce2.remotePrefixes());
        assertEquals(List.of(IpPrefix.parse("10.1.0.0/16")), ce2.localPrefixes());
    }

    @Test
    void signaturePeerOverridesWithItsOwnSaInformation() throws Exception {
        PeerTuple ce3 = read(example).peers().get(InetAddress.ofLiteral("192.0.2.3"));
        var sig = assertInstanceOf(Authentication.Signature.class, ce3.authentication());
        assertEquals(1, sig.caCertificatesBase64().size());
        assertTrue(sig.certificateBase64().startsWith("MIIBTTCB9AIU"));
        // The peer's ike proposal has no lifetime: the model's default (86400), not the VPN's.
        assertEquals(new IkeProposal(Encryption.AES_CBC, 128, Integrity.HMAC_SHA2_256_128, Prf.HMAC_SHA2_256, DhGroup.MODP_2048,
                Duration.ofDays(1)), ce3.ike());
        assertEquals(new ChildSaProposal(Encryption.CHACHA20_POLY1305, 256, Integrity.NONE, Optional.of(DhGroup.CURVE25519),
                Duration.ofSeconds(1800), 0), ce3.childSa());
        assertEquals(new TunnelInformation(Establishment.TRAFFIC_DRIVEN, IpsecMode.TUNNEL, false, Duration.ofSeconds(600)),
                ce3.tunnel());
        assertEquals(List.of(IpPrefix.parse("10.3.0.0/16"), IpPrefix.parse("2001:db8:3::/48")), ce3.remotePrefixes());
    }

    @Test
    void withoutSaDefaultsAndTimersTheModelDefaultsApply() throws Exception {
        String xml = example.replaceAll("(?s)<sa-defaults>.*?</sa-defaults>", "")
                .replaceAll("(?s)<timers>.*?</timers>", "")
                .replaceAll("(?s)<tunnel-information>\\s*<establishment>permanent.*?</tunnel-information>",
                        "<remote-prefix>10.2.0.0/16</remote-prefix>");
        CeConfiguration c = read(xml);
        PeerTuple ce2 = c.peers().get(InetAddress.ofLiteral("192.0.2.2"));
        assertEquals(IkeProposal.DEFAULT, ce2.ike());
        assertEquals(ChildSaProposal.DEFAULT, ce2.childSa());
        assertEquals(TunnelInformation.DEFAULT, ce2.tunnel());
        assertEquals(List.of(IpPrefix.parse("10.2.0.0/16")), ce2.remotePrefixes());
        assertEquals(Duration.ofSeconds(3600), c.preConfiguration().backoffLimit());
        assertEquals(Duration.ofSeconds(5), c.preConfiguration().minRetryWait());
    }

    @Test
    void noVpnConfigurationMeansNoPeers() throws Exception {
        CeConfiguration c = read(example.replaceAll("(?s)<vpn-configuration>.*</vpn-configuration>", ""));
        assertEquals(Optional.empty(), c.configurationVersion());
        assertTrue(c.peers().isEmpty());
    }

    @Test
    void emptyDatastoreHasNoConfiguration() throws Exception {
        ContainerNode empty = parser.parseXml("<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"/>"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), reader.read(empty));
    }

    @Test
    void aChangedKeyIsAChangedTupleAndAnIdenticalReadIsEqual() throws Exception {
        PeerTuple before = read(example).peers().get(InetAddress.ofLiteral("192.0.2.2"));
        assertEquals(before, read(example).peers().get(InetAddress.ofLiteral("192.0.2.2")));
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        PeerTuple after = read(example.replace(PSK_CE2, otherKey)).peers().get(InetAddress.ofLiteral("192.0.2.2"));
        assertNotEquals(before, after);
    }

    @Test
    void secretsNeverInToString() throws Exception {
        CeConfiguration c = read(example);
        String text = c.toString();
        byte[] psk = Base64.getDecoder().decode(PSK_CE2);
        assertFalse(text.contains(PSK_CE2), text);
        assertFalse(text.contains(java.util.HexFormat.of().formatHex(psk)), text);
        assertFalse(text.contains("MIGHAgEAMBMGByqGSM49"), "the local private key leaked");
        assertTrue(text.contains("hidden"));
    }

    @Test
    void prefixesAreMaskedAndSpanTheirRange() {
        IpPrefix p = IpPrefix.parse("10.1.2.3/16");
        assertEquals(InetAddress.ofLiteral("10.1.0.0"), p.address());
        assertEquals(InetAddress.ofLiteral("10.1.255.255"), p.lastAddress());
        assertEquals(InetAddress.ofLiteral("2001:db8:3:ffff:ffff:ffff:ffff:ffff"), IpPrefix.parse("2001:db8:3::/48").lastAddress());
        assertThrows(ConfigurationException.class, () -> IpPrefix.parse("10.0.0.0/33"));
        assertThrows(ConfigurationException.class, () -> IpPrefix.parse("10.0.0.0"));
    }

    /** Empty when {@code octets} are the base64 {@code expected}; else the mismatch, for a readable failure. */
    private static List<String> toList(byte[] octets, String expected) {
        return Base64.getEncoder().encodeToString(octets).equals(expected) ? List.of() : List.of("key differs");
    }
}

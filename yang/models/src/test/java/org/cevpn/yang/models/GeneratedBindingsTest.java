package org.cevpn.yang.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.ce.device.rev261122.vpn.configuration.Peer;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.ce.device.rev261122.vpn.configuration.PeerBuilder;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.ce.device.rev261122.vpn.configuration.PeerKey;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.ce.device.rev261122.vpn.configuration.VpnBuilder;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.ce.device.rev261122.vpn.configuration.peer.TunnelInformationBuilder;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.AuthenticationMethod;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.CeId;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.ConfigurationVersion;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.DhGroup;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.EncryptionAlgorithm;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.IntegrityAlgorithm;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.IpsecMode;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.PreSharedKey;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.PrfAlgorithm;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.TunnelEstablishment;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.types.rev261122.VpnId;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.PullConfigurationOutput;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.PullConfigurationOutputBuilder;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.pull.configuration.output.result.VpnConfiguration;
import org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database.rev261122.pull.configuration.output.result.VpnConfigurationBuilder;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.IpAddress;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.IpPrefix;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.Ipv4Address;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.Ipv4Prefix;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;

/** The Java bindings generated from our modules are usable the way the agent and controller will use them. */
class GeneratedBindingsTest {

    private static Peer pskPeer(byte[] key) {
        return new PeerBuilder()
            .setSpAddress(new IpAddress(new Ipv4Address("192.0.2.2")))
            .setCeId(new CeId("ce2"))
            .setVpnId(new VpnId("acme"))
            .setAuthenticationMethod(AuthenticationMethod.PreShared)
            .setPreSharedKey(new PreSharedKey(key))
            .setTunnelInformation(new TunnelInformationBuilder()
                .setEstablishment(TunnelEstablishment.Permanent)
                .setIpsecMode(IpsecMode.TransportIpInIp)
                .setDynamicRouting(true)
                .build())
            .setRemotePrefix(Set.of(new IpPrefix(new Ipv4Prefix("10.2.0.0/16"))))
            .build();
    }

    @Test
    void buildsAPeerTupleKeyedByItsSpAddress() {
        byte[] key = new byte[32];
        key[0] = 0x5c;
        Peer peer = pskPeer(key);

        assertEquals(new PeerKey(new IpAddress(new Ipv4Address("192.0.2.2"))), peer.key());
        assertEquals(AuthenticationMethod.PreShared, peer.getAuthenticationMethod());
        assertArrayEquals(key, peer.getPreSharedKey().getValue());
        assertEquals(IpsecMode.TransportIpInIp, peer.getTunnelInformation().getIpsecMode());
        assertEquals(pskPeer(key), peer, "bindings compare by value");
    }

    @Test
    void typesRejectOutOfConstraintValues() {
        assertThrows(IllegalArgumentException.class, () -> new PreSharedKey(new byte[8]), "length 16..128");
        assertThrows(IllegalArgumentException.class, () -> new CeId("-ce1"), "pattern");
        assertThrows(IllegalArgumentException.class, () -> new ConfigurationVersion(Uint64.ZERO), "range 1..max");
    }

    @Test
    void enumerationValuesAreTheIanaTransformNumbers() {
        // IANA IKEv2 registry, Transform Types 1-4, and the Authentication Method registry.
        assertEquals(12, EncryptionAlgorithm.EncrAesCbc.getIntValue());
        assertEquals(20, EncryptionAlgorithm.EncrAesGcm16.getIntValue());
        assertEquals(28, EncryptionAlgorithm.EncrChacha20Poly1305.getIntValue());
        assertEquals(5, PrfAlgorithm.PrfHmacSha2256.getIntValue());
        assertEquals(7, PrfAlgorithm.PrfHmacSha2512.getIntValue());
        assertEquals(0, IntegrityAlgorithm.AuthNone.getIntValue());
        assertEquals(14, IntegrityAlgorithm.AuthHmacSha2512256.getIntValue());
        assertEquals(31, DhGroup.Curve25519.getIntValue());
        assertSame(DhGroup.Modp2048, DhGroup.forValue(14), "decoding a received transform ID");
        assertEquals(null, DhGroup.forValue(2), "MODP-1024 is not offered");
        assertEquals(2, AuthenticationMethod.PreShared.getIntValue());
        assertEquals(14, AuthenticationMethod.DigitalSignature.getIntValue());
    }

    @Test
    void pullOutputCarriesTheCeGroupingAsIs() {
        Peer peer = pskPeer(new byte[16]);
        var vpn = new VpnBuilder().setVpnId(new VpnId("acme")).build();
        PullConfigurationOutput output = new PullConfigurationOutputBuilder()
            .setResult(new VpnConfigurationBuilder()
                .setVpnConfiguration(new org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.vpn.database
                        .rev261122.pull.configuration.output.result.vpn.configuration.VpnConfigurationBuilder()
                    .setConfigurationVersion(new ConfigurationVersion(Uint64.valueOf(42)))
                    .setVpn(Map.of(vpn.key(), vpn))
                    .setPeer(Map.of(peer.key(), peer))
                    .build())
                .build())
            .build();

        // The CE stores the very grouping objects it pulled: the same Peer class on both sides.
        var pulled = ((VpnConfiguration) output.getResult()).getVpnConfiguration();
        org.opendaylight.yang.gen.v1.urn.cevpn.params.xml.ns.yang.cevpn.ce.device.rev261122.VpnConfiguration grouping = pulled;
        assertSame(peer, grouping.getPeer().get(peer.key()));
        assertEquals(Uint64.valueOf(42), grouping.getConfigurationVersion().getValue());
        assertEquals(Uint32.valueOf(300), Uint32.valueOf(300));
    }
}

package org.cevpn.ipsec.dataplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.DropReason;
import org.cevpn.ipsec.esp.Mode;
import org.cevpn.ipsec.esp.SaConfig;
import org.cevpn.ipsec.esp.SaEventListener;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.esp.TrafficSelector;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.ipsec.io.UdpSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two complete data planes, ce1 on 127.0.0.21 and ce2 on 127.0.0.22 (ephemeral ports, so parallel
 * runs on one host do not collide), with static SAs in both directions: packets injected on ce1's
 * VPN side come out of ce2's and back, through real UDP sockets.
 */
class LoopbackDataPlaneTest {
    private DataPlane ce1;
    private DataPlane ce2;

    @AfterEach
    void close() throws Exception {
        if (ce1 != null) {
            ce1.close();
        }
        if (ce2 != null) {
            ce2.close();
        }
    }

    static SaConfig sa(Direction d, int spi, EncryptionAlgorithm alg, InetSocketAddress peer, String local, String remote, byte[] key) {
        SaConfig.Builder b = SaConfig.builder().direction(d).spi(spi).mode(Mode.TUNNEL)
                .encryption(alg, SecretBytes.copyOf(Arrays.copyOf(key, alg.keyMaterialLength()))).peer(peer)
                .localSelectors(List.of(TrafficSelector.ofPrefix(local)))
                .remoteSelectors(List.of(TrafficSelector.ofPrefix(remote)));
        if (!alg.isAead()) {
            b.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128, SecretBytes.copyOf(Arrays.copyOfRange(key, 40, 72)));
        }
        return b.build();
    }

    static byte[] packet(String src, String dst, int total, int seed) throws Exception {
        byte[] p = new byte[total];
        p[0] = 0x45;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, p, 16, 4);
        for (int i = 28; i < total; i++) {
            p[i] = (byte) (i ^ seed);
        }
        return p;
    }

    /**
     * A TCP super-packet (as a TUN with TSO hands over): segmented to its MSS before ESP for a peer
     * without super-packet support, carried whole for one that has it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void superPacketsAreSegmentedUnlessThePeerTakesThem(boolean superPackets) throws Exception {
        InetAddress a1 = InetAddress.getByName("127.0.0.21");
        InetAddress a2 = InetAddress.getByName("127.0.0.22");
        UdpSockets s1 = new UdpSockets(new InetSocketAddress(a1, 0), new InetSocketAddress(a1, 0));
        UdpSockets s2 = new UdpSockets(new InetSocketAddress(a2, 0), new InetSocketAddress(a2, 0));
        byte[] k = new byte[80];
        new Random(8).nextBytes(k);
        EncryptionAlgorithm alg = EncryptionAlgorithm.AES_GCM_16_256;
        SecurityAssociationDatabase sad1 = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        SecurityAssociationDatabase sad2 = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        SaConfig out = SaConfig.builder().direction(Direction.OUTBOUND).spi(0x7001).superPackets(superPackets)
                .encryption(alg, SecretBytes.copyOf(Arrays.copyOf(k, 36))).peer(s2.natTAddress())
                .localSelectors(List.of(TrafficSelector.ofPrefix("10.1.0.0/16")))
                .remoteSelectors(List.of(TrafficSelector.ofPrefix("10.2.0.0/16"))).build();
        sad1.install(out);
        sad2.install(SaConfig.builder().direction(Direction.INBOUND).spi(0x7001)
                .encryption(alg, SecretBytes.copyOf(Arrays.copyOf(k, 36))).peer(s1.natTAddress())
                .localSelectors(out.remoteSelectors()).remoteSelectors(out.localSelectors()).build());
        MemoryPacketPort vpn1 = new MemoryPacketPort("vpn1", 64);
        MemoryPacketPort vpn2 = new MemoryPacketPort("vpn2", 64);
        ce1 = new DataPlane(sad1, vpn1, s1, new IkeQueue(4), null, null);
        ce2 = new DataPlane(sad2, vpn2, s2, new IkeQueue(4), null, null);
        ce1.start();
        ce2.start();
        int total = 20 + 20 + 10_000;
        byte[] p = packet("10.1.0.5", "10.2.0.7", total, 3);
        p[9] = 6;
        p[32] = 0x50; // TCP data offset 20
        p[33] = 0x18; // ACK | PSH
        vpn1.injectSuperPacket(p, 1400);
        int segments = 0;
        int bytes = 0;
        for (byte[] got; (got = vpn2.poll(superPackets ? 2000 : 500)) != null; ) {
            segments++;
            bytes += got.length - 40;
            assertTrue(superPackets ? got.length == total : got.length <= 1440, "size " + got.length);
        }
        assertEquals(superPackets ? 1 : 8, segments);
        assertEquals(10_000, bytes);
    }

    /** IPv6 on the SP side (UDP over ::1) carrying IPv4 and IPv6 customer packets. */
    @org.junit.jupiter.api.Test
    void ipv6OuterAndInner() throws Exception {
        InetAddress lo6 = InetAddress.getByName("::1");
        UdpSockets s1 = new UdpSockets(new InetSocketAddress(lo6, 0), new InetSocketAddress(lo6, 0));
        UdpSockets s2 = new UdpSockets(new InetSocketAddress(lo6, 0), new InetSocketAddress(lo6, 0));
        byte[] k = new byte[80];
        new Random(6).nextBytes(k);
        EncryptionAlgorithm alg = EncryptionAlgorithm.AES_GCM_16_256;
        SecurityAssociationDatabase sad1 = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        SecurityAssociationDatabase sad2 = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        SaConfig out = SaConfig.builder().direction(Direction.OUTBOUND).spi(0x6001)
                .encryption(alg, SecretBytes.copyOf(Arrays.copyOf(k, 36))).peer(s2.natTAddress())
                .localSelectors(List.of(TrafficSelector.ofPrefix("10.1.0.0/16"), TrafficSelector.ofPrefix("fd00:1::/64")))
                .remoteSelectors(List.of(TrafficSelector.ofPrefix("10.2.0.0/16"), TrafficSelector.ofPrefix("fd00:2::/64"))).build();
        SaConfig in = SaConfig.builder().direction(Direction.INBOUND).spi(0x6001)
                .encryption(alg, SecretBytes.copyOf(Arrays.copyOf(k, 36))).peer(s1.natTAddress())
                .localSelectors(out.remoteSelectors()).remoteSelectors(out.localSelectors()).build();
        sad1.install(out);
        sad2.install(in);
        MemoryPacketPort vpn1 = new MemoryPacketPort("vpn1", 64);
        MemoryPacketPort vpn2 = new MemoryPacketPort("vpn2", 64);
        ce1 = new DataPlane(sad1, vpn1, s1, new IkeQueue(4), null, null);
        ce2 = new DataPlane(sad2, vpn2, s2, new IkeQueue(4), null, null);
        ce1.start();
        ce2.start();
        byte[] v4 = packet("10.1.0.5", "10.2.0.7", 300, 1);
        vpn1.inject(v4);
        assertArrayEquals(v4, vpn2.poll(2000));
        byte[] v6 = new byte[200];
        v6[0] = 0x60;
        v6[5] = (byte) 160;
        v6[6] = 59;
        v6[7] = 64;
        System.arraycopy(InetAddress.getByName("fd00:1::5").getAddress(), 0, v6, 8, 16);
        System.arraycopy(InetAddress.getByName("fd00:2::7").getAddress(), 0, v6, 24, 16);
        vpn1.inject(v6);
        assertArrayEquals(v6, vpn2.poll(2000));
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void packetsCrossBetweenTwoDataPlanesOverUdp(EncryptionAlgorithm alg) throws Exception {
        InetAddress a1 = InetAddress.getByName("127.0.0.21");
        InetAddress a2 = InetAddress.getByName("127.0.0.22");
        UdpSockets s1 = new UdpSockets(new InetSocketAddress(a1, 0), new InetSocketAddress(a1, 0));
        UdpSockets s2 = new UdpSockets(new InetSocketAddress(a2, 0), new InetSocketAddress(a2, 0));
        byte[] k12 = new byte[80];
        byte[] k21 = new byte[80];
        new Random(1).nextBytes(k12);
        new Random(2).nextBytes(k21);

        SecurityAssociationDatabase sad1 = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        SecurityAssociationDatabase sad2 = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        sad1.install(sa(Direction.OUTBOUND, 0x1001, alg, s2.natTAddress(), "10.1.0.0/16", "10.2.0.0/16", k12));
        sad2.install(sa(Direction.INBOUND, 0x1001, alg, s1.natTAddress(), "10.2.0.0/16", "10.1.0.0/16", k12));
        sad2.install(sa(Direction.OUTBOUND, 0x2002, alg, s1.natTAddress(), "10.2.0.0/16", "10.1.0.0/16", k21));
        sad1.install(sa(Direction.INBOUND, 0x2002, alg, s2.natTAddress(), "10.1.0.0/16", "10.2.0.0/16", k21));

        MemoryPacketPort vpn1 = new MemoryPacketPort("vpn1", 4096);
        MemoryPacketPort vpn2 = new MemoryPacketPort("vpn2", 4096);
        IkeQueue ike2 = new IkeQueue(16);
        ce1 = new DataPlane(sad1, vpn1, s1, new IkeQueue(16), null, Duration.ofMillis(200));
        ce2 = new DataPlane(sad2, vpn2, s2, ike2, null, null);
        ce1.start();
        ce2.start();

        for (int i = 0; i < 200; i++) {
            byte[] p = packet("10.1.0.5", "10.2.0.7", 28 + (i * 37) % 1400, i);
            assertTrue(vpn1.inject(p));
            byte[] got = vpn2.poll(2000);
            assertNotNull(got, "packet " + i + " reached ce2; drops " + ce1.drops() + " / " + ce2.drops());
            assertArrayEquals(p, got);
            byte[] reply = packet("10.2.0.7", "10.1.0.5", 28 + i, i);
            assertTrue(vpn2.inject(reply));
            assertArrayEquals(reply, vpn1.poll(2000));
        }

        // No SA covers 10.9/16 and ce1 has no internet gateway role: dropped and counted, nothing sent.
        vpn1.inject(packet("10.1.0.5", "10.9.0.1", 100, 0));
        // IKE via the NAT-T port behind the non-ESP marker, and via port 500, reach ce2's IKE queue.
        byte[] ikeMsg = new byte[60];
        ikeMsg[0] = 1;
        ce1.sendIke(ikeMsg, s2.natTAddress(), true);
        IkeDatagram d = ike2.poll(2, TimeUnit.SECONDS);
        assertNotNull(d);
        assertTrue(d.viaNatT());
        assertArrayEquals(ikeMsg, d.message());
        ce1.sendIke(ikeMsg, s2.ikeAddress(), false);
        d = ike2.poll(2, TimeUnit.SECONDS);
        assertNotNull(d);
        assertTrue(!d.viaNatT());
        // Garbage at ce2's 4500: counted, and the data plane keeps working.
        try (UdpSockets attacker = new UdpSockets(new InetSocketAddress(a1, 0), new InetSocketAddress(a1, 0))) {
            attacker.sendRawNatT(new byte[] {1, 2}, s2.natTAddress());
            byte[] forged = new byte[88]; // ce2's inbound SPI, a fresh sequence number, no valid ICV
            forged[2] = 0x10;
            forged[3] = 0x01;
            forged[4] = 0x7f;
            forged[5] = (byte) 0xff;
            attacker.sendRawNatT(forged, s2.natTAddress());
        }
        Thread.sleep(400); // keepalives every 200 ms from ce1
        byte[] p = packet("10.1.0.5", "10.2.0.7", 500, 99);
        vpn1.inject(p);
        assertArrayEquals(p, vpn2.poll(2000));
        assertEquals(1, ce1.drops().get(DropReason.NO_SA));
        assertEquals(1, ce2.drops().get(DropReason.TRUNCATED));
        assertEquals(1, ce2.drops().get(DropReason.BAD_ICV));
        assertTrue(ce2.drops().get(DropReason.NAT_KEEPALIVE) >= 1, ce2.drops().toString());
        assertNull(vpn2.poll(100));
        assertEquals(201, ce1.espSent());
        assertEquals(201, ce2.espDelivered());
    }
}

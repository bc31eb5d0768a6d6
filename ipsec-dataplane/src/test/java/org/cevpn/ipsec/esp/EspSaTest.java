package org.cevpn.ipsec.esp;

import static org.cevpn.ipsec.esp.EspFixtures.PEER;
import static org.cevpn.ipsec.esp.EspFixtures.SITE_A;
import static org.cevpn.ipsec.esp.EspFixtures.SITE_B;
import static org.cevpn.ipsec.esp.EspFixtures.SITE_B6;
import static org.cevpn.ipsec.esp.EspFixtures.config;
import static org.cevpn.ipsec.esp.EspFixtures.ipv4;
import static org.cevpn.ipsec.esp.EspFixtures.ipv6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.Rfc7634;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class EspSaTest {
    private final List<SaEvent> events = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final SecurityAssociationDatabase sadA = new SecurityAssociationDatabase(events::add, clock::get);
    private final SecurityAssociationDatabase sadB = new SecurityAssociationDatabase(events::add, clock::get);
    private final IpPacketView view = new IpPacketView();
    private final byte[] wire = new byte[4096];
    private final byte[] inner = new byte[4096];
    private final InetAddress peerAddr = PEER.getAddress();

    private OutboundSa out(SaConfig c) {
        return (OutboundSa) sadA.install(c);
    }

    private InboundSa in(SaConfig c) {
        return (InboundSa) sadB.install(c);
    }

    private void roundTrip(OutboundSa o, InboundSa i, byte[] pkt, int len) {
        byte[] original = Arrays.copyOf(pkt, len);
        int n = o.encapsulate(pkt, 0, len, wire, 0);
        assertTrue(n > len, "encapsulated: " + n);
        assertEquals(0, (n - 8 - 8 - 16) % 4, "ESP payload aligned to 4");
        int m = i.decapsulate(wire, 0, n, peerAddr, inner, 0, view);
        assertEquals(len, m, () -> "decap code " + (m < 0 ? DropReason.ofCode(m) : m));
        assertArrayEquals(original, Arrays.copyOf(inner, m));
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void roundTripEveryAlgorithmBothModesWithAndWithoutEsn(EncryptionAlgorithm alg) {
        for (Mode mode : Mode.values()) {
            for (boolean esn : new boolean[] {false, true}) {
                SecurityAssociationDatabase a = new SecurityAssociationDatabase(SaEventListener.IGNORE);
                SecurityAssociationDatabase b = new SecurityAssociationDatabase(SaEventListener.IGNORE);
                OutboundSa o = (OutboundSa) a.install(config(Direction.OUTBOUND, alg, esn, mode).build());
                InboundSa i = (InboundSa) b.install(config(Direction.INBOUND, alg, esn, mode).build());
                for (int len : new int[] {28, 29, 64, 511, 1400, 1500}) {
                    roundTrip(o, i, ipv4(len, len), len);
                }
                roundTrip(o, i, ipv6(1280), 1280);
                assertEquals(7, o.stats().packets());
                assertEquals(7, i.stats().packets());
                assertEquals(o.stats().bytes(), i.stats().bytes());
            }
        }
    }

    /** RFC 7634 Appendix A is a whole ESP packet: our decapsulation must recover its inner ICMP packet. */
    @Test
    void rfc7634EspExampleDecapsulates() {
        SaConfig c = SaConfig.builder().direction(Direction.INBOUND).spi(Rfc7634.SPI).esn(false)
                .encryption(EncryptionAlgorithm.CHACHA20_POLY1305, SecretBytes.fromHex(Rfc7634.KEY_AND_SALT))
                .localSelectors(List.of(TrafficSelector.ofPrefix("192.0.2.0/24")))
                .remoteSelectors(List.of(TrafficSelector.ofPrefix("198.51.100.0/24"))).peer(PEER).build();
        InboundSa sa = in(c);
        byte[] pkt = HexFormat.of().parseHex("01020304" + "00000005" + Rfc7634.IV + Rfc7634.ESP_CIPHER_AND_TAG);
        int n = sa.decapsulate(pkt, 0, pkt.length, peerAddr, inner, 0, view);
        byte[] plain = HexFormat.of().parseHex(Rfc7634.ESP_PLAIN);
        assertEquals(84, n);
        assertArrayEquals(Arrays.copyOf(plain, 84), Arrays.copyOf(inner, 84));
        assertEquals(1, view.protocol()); // ICMP
        // The same packet again is a replay.
        assertEquals(DropReason.REPLAYED.code(), sa.decapsulate(pkt, 0, pkt.length, peerAddr, inner, 0, view));
        assertEquals(1, sa.stats().drops(DropReason.REPLAYED));
    }

    @Test
    void esnCarriesOnPastTwoToThe32() {
        OutboundSa o = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_128, true, Mode.TUNNEL).build());
        InboundSa i = in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_128, true, Mode.TUNNEL).build());
        o.skipSequenceTo(0xFFFFFFFDL);
        for (int k = 0; k < 6; k++) {
            roundTrip(o, i, ipv4(100, k), 100);
        }
        assertEquals(0x1_0000_0003L, i.highestSequence());
        assertTrue(events.isEmpty(), "ESN SAs do not expire on 32-bit wrap: " + events);
    }

    @Test
    void esnHighBitsAreAuthenticatedCbcToo() {
        // An inbound SA that has not seen the wrap infers high half 0 for a packet sent with high half 1:
        // the ICV (which covers the high half) must then fail rather than deliver.
        OutboundSa o = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_CBC_128, true, Mode.TUNNEL).build());
        InboundSa i = in(config(Direction.INBOUND, EncryptionAlgorithm.AES_CBC_128, true, Mode.TUNNEL).build());
        o.skipSequenceTo(0x2_0000_0000L + 10);
        byte[] p = ipv4(100, 1);
        int n = o.encapsulate(p, 0, 100, wire, 0);
        assertEquals(DropReason.BAD_ICV.code(), i.decapsulate(wire, 0, n, peerAddr, inner, 0, view));
    }

    @Test
    void nonEsnSequenceExhaustionExpiresTheSa() {
        OutboundSa o = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, false, Mode.TUNNEL).build());
        o.skipSequenceTo(0xFFFFFFFEL);
        byte[] p = ipv4(64, 0);
        assertTrue(o.encapsulate(p, 0, 64, wire, 0) > 0); // seq 2^32-1: last one
        assertEquals(DropReason.SA_EXPIRED.code(), o.encapsulate(p, 0, 64, wire, 0));
        assertTrue(events.contains(new SaEvent.SoftExpired(Direction.OUTBOUND, 0x1001, SaEvent.Limit.SEQUENCE)), events.toString());
        assertTrue(events.contains(new SaEvent.HardExpired(Direction.OUTBOUND, 0x1001, SaEvent.Limit.SEQUENCE)));
        assertTrue(sadA.all().isEmpty(), "hard-expired SA removed from the SAD");
    }

    @Test
    void packetAndByteLifetimesRaiseSoftOnceThenHardAndRemove() {
        Lifetime lt = Lifetime.UNLIMITED.withPackets(3, 5);
        OutboundSa o = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).lifetime(lt).build());
        byte[] p = ipv4(100, 0);
        for (int k = 0; k < 5; k++) {
            assertTrue(o.encapsulate(p, 0, 100, wire, 0) > 0);
        }
        assertEquals(List.of(new SaEvent.SoftExpired(Direction.OUTBOUND, 0x1001, SaEvent.Limit.PACKETS),
                new SaEvent.HardExpired(Direction.OUTBOUND, 0x1001, SaEvent.Limit.PACKETS)), events);
        assertEquals(DropReason.SA_EXPIRED.code(), o.encapsulate(p, 0, 100, wire, 0));
        assertNull(sadA.selectOutbound(parsed(p, 100)));

        events.clear();
        InboundSa i = in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL)
                .lifetime(Lifetime.UNLIMITED.withBytes(150, 1000)).build());
        OutboundSa o2 = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).spi(0x1002).build());
        // o2 has a different SPI than i (0x1001): give i the matching key by building a fresh pair instead.
        assertNotNull(o2);
        OutboundSa o3 = (OutboundSa) new SecurityAssociationDatabase(SaEventListener.IGNORE)
                .install(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).build());
        roundTrip(o3, i, ipv4(100, 1), 100);
        assertTrue(events.isEmpty());
        roundTrip(o3, i, ipv4(100, 2), 100);
        assertEquals(List.of(new SaEvent.SoftExpired(Direction.INBOUND, 0x1001, SaEvent.Limit.BYTES)), events);
        assertSame(i, sadB.inbound(0x1001));
    }

    @Test
    void timeLifetimesFollowTheClock() {
        Lifetime lt = Lifetime.UNLIMITED.withSeconds(60, 90);
        InboundSa i = in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).lifetime(lt).build());
        clock.addAndGet(59_000_000_000L);
        sadB.tick();
        assertTrue(events.isEmpty());
        clock.addAndGet(1_000_000_000L);
        sadB.tick();
        sadB.tick();
        assertEquals(List.of(new SaEvent.SoftExpired(Direction.INBOUND, 0x1001, SaEvent.Limit.TIME)), events);
        clock.addAndGet(30_000_000_000L);
        sadB.tick();
        assertEquals(new SaEvent.HardExpired(Direction.INBOUND, 0x1001, SaEvent.Limit.TIME), events.get(1));
        assertNull(sadB.inbound(0x1001));
        assertTrue(i.isExpired());
    }

    @Test
    void inboundSelectorsAreEnforced() {
        OutboundSa o = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL)
                .localSelectors(List.of(TrafficSelector.ofPrefix("0.0.0.0/0")))
                .remoteSelectors(List.of(TrafficSelector.ofPrefix("0.0.0.0/0"))).build());
        InboundSa i = in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL)
                .localSelectors(List.of(TrafficSelector.ofPrefix("10.2.0.0/16")))
                .remoteSelectors(List.of(TrafficSelector.ofPrefix("10.1.0.0/24"))).build());
        byte[] p = ipv4(100, 0);
        p[14] = 9; // source 10.1.9.1: outside the peer's selectors
        int n = o.encapsulate(p, 0, 100, wire, 0);
        assertEquals(DropReason.SELECTOR_MISMATCH.code(), i.decapsulate(wire, 0, n, peerAddr, inner, 0, view));
        assertEquals(1, i.stats().drops(DropReason.SELECTOR_MISMATCH));
    }

    @Test
    void transportIpipChecksTheOuterSource() throws Exception {
        OutboundSa o = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TRANSPORT_IPIP).build());
        InboundSa i = in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TRANSPORT_IPIP).build());
        byte[] p = ipv4(100, 0);
        int n = o.encapsulate(p, 0, 100, wire, 0);
        InetAddress stranger = InetAddress.getByName("192.0.2.99");
        assertEquals(DropReason.SELECTOR_MISMATCH.code(), i.decapsulate(wire, 0, n, stranger, inner, 0, view));
        n = o.encapsulate(ipv4(100, 0), 0, 100, wire, 0);
        assertEquals(100, i.decapsulate(wire, 0, n, peerAddr, inner, 0, view));
    }

    @Test
    void transportIpipRoutesAreReplacedInPlaceAndATunnelModeSaNeedsSelectors() throws Exception {
        // An IP-in-IP interface before a routing protocol has learned anything: no routes, nothing covered.
        OutboundSa tunnel = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).spi(0x2002).build());
        OutboundSa o = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TRANSPORT_IPIP)
                .localSelectors(List.of(TrafficSelector.ofPrefix("0.0.0.0/0"))).remoteSelectors(List.of()).build());
        InboundSa i = in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TRANSPORT_IPIP)
                .localSelectors(List.of(TrafficSelector.ofPrefix("0.0.0.0/0"))).remoteSelectors(List.of()).build());
        byte[] p = ipv4(100, 0);
        assertTrue(view.parse(p, 0, 100));
        assertEquals(tunnel, sadA.selectOutbound(view), "only the tunnel-mode SA covers 10.1.0.1 -> 10.2.0.1");
        int n = o.encapsulate(p, 0, 100, wire, 0);
        assertEquals(DropReason.SELECTOR_MISMATCH.code(), i.decapsulate(wire, 0, n, peerAddr, inner, 0, view), "source not routed");

        // Learned: 10.2.0.0/16 via the peer (its inbound side: 10.1.0.0/16 is routed to us, so its source is ours).
        assertEquals(1, sadA.replaceIpIpRoutes(peerAddr, List.of(TrafficSelector.ofPrefix("0.0.0.0/0")), List.of(SITE_B)));
        assertEquals(1, sadB.replaceIpIpRoutes(peerAddr, List.of(TrafficSelector.ofPrefix("0.0.0.0/0")), List.of(SITE_A)));
        assertTrue(view.parse(ipv4(100, 0), 0, 100));
        assertEquals(o, sadA.selectOutbound(view), "the newest SA whose routes cover it");
        assertEquals(List.of(SITE_B), o.remoteSelectors());
        n = o.encapsulate(ipv4(100, 0), 0, 100, wire, 0);
        assertEquals(100, i.decapsulate(wire, 0, n, peerAddr, inner, 0, view), "sequence 2 accepted: the window stayed");
        assertEquals(List.of(SITE_B, SITE_B6), tunnel.remoteSelectors(), "tunnel-mode SAs keep their selectors");

        // Withdrawn again: not routed out, and what still arrives from 10.1.0.1 is dropped.
        sadA.replaceIpIpRoutes(peerAddr, List.of(TrafficSelector.ofPrefix("0.0.0.0/0")), List.of());
        sadB.replaceIpIpRoutes(peerAddr, List.of(TrafficSelector.ofPrefix("0.0.0.0/0")), List.of());
        assertTrue(view.parse(ipv4(100, 0), 0, 100));
        assertEquals(tunnel, sadA.selectOutbound(view));
        n = o.encapsulate(ipv4(100, 0), 0, 100, wire, 0);
        assertEquals(DropReason.SELECTOR_MISMATCH.code(), i.decapsulate(wire, 0, n, peerAddr, inner, 0, view));
        assertEquals(0, sadA.replaceIpIpRoutes(InetAddress.getByName("192.0.2.77"), List.of(), List.of()), "no SA with that peer");

        assertThrows(IllegalArgumentException.class, () -> config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true,
                Mode.TUNNEL).remoteSelectors(List.of()).build());
    }

    @Test
    void outboundSelectionNewestFirstAndBySelectors() throws Exception {
        OutboundSa old = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).build());
        OutboundSa other = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).spi(0x3003)
                .remoteSelectors(List.of(TrafficSelector.ofPrefix("10.3.0.0/16"))).build());
        byte[] p = ipv4(100, 0);
        assertSame(old, sadA.selectOutbound(parsed(p, 100)));
        OutboundSa rekeyed = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).spi(0x1005).build());
        assertSame(rekeyed, sadA.selectOutbound(parsed(p, 100)));
        p[17] = 3;
        assertSame(other, sadA.selectOutbound(parsed(p, 100)));
        p[17] = 4;
        assertNull(sadA.selectOutbound(parsed(p, 100)));
        // Port-restricted selector.
        OutboundSa dns = out(config(Direction.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).spi(0x4004)
                .remoteSelectors(List.of(TrafficSelector.ofPrefix("10.4.0.0/16").withProtocol(17, 53, 53))).build());
        assertSame(dns, sadA.selectOutbound(parsed(p, 100)));
        p[23] = 54;
        assertNull(sadA.selectOutbound(parsed(p, 100)));
        // By peer CE: the newest SA towards it.
        assertSame(dns, sadA.selectOutbound(PEER.getAddress()));
        assertNull(sadA.selectOutbound(InetAddress.getByName("192.0.2.77")));
    }

    @Test
    void sadRefusesDuplicateInboundSpiAndLooksUpMany() {
        in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).build());
        assertThrows(IllegalArgumentException.class,
                () -> in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).build()));
        for (int s = 0x2000; s < 0x2000 + 300; s++) {
            in(config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).spi(s).build());
        }
        for (int s = 0x2000; s < 0x2000 + 300; s++) {
            assertEquals(s, sadB.inbound(s).spi());
        }
        assertNull(sadB.inbound(0x1000));
        assertTrue(sadB.removeInbound(0x2005));
        assertNull(sadB.inbound(0x2005));
        assertEquals(0x2006, sadB.inbound(0x2006).spi());
        assertFalse(sadB.removeInbound(0x2005));
    }

    @Test
    void configRejectsBadCombinations() {
        assertThrows(IllegalArgumentException.class,
                () -> config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).spi(255).build());
        assertThrows(IllegalArgumentException.class,
                () -> config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL)
                        .encryption(EncryptionAlgorithm.AES_GCM_16_256, SecretBytes.fromHex("00112233")).build());
        assertThrows(IllegalArgumentException.class,
                () -> config(Direction.INBOUND, EncryptionAlgorithm.AES_CBC_128, true, Mode.TUNNEL)
                        .integrity(org.cevpn.ipsec.crypto.IntegrityAlgorithm.NONE, null).build());
        assertThrows(IllegalArgumentException.class,
                () -> config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).replayWindow(1000).build());
        String s = config(Direction.INBOUND, EncryptionAlgorithm.AES_GCM_16_256, true, Mode.TUNNEL).build().toString();
        assertTrue(s.contains("redacted"), s);
    }

    private IpPacketView parsed(byte[] p, int len) {
        assertTrue(view.parse(p, 0, len));
        return view;
    }
}

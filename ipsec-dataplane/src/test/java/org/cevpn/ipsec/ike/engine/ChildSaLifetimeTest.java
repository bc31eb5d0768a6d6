package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.Lifetime;
import org.cevpn.ipsec.esp.OutboundSa;
import org.cevpn.ipsec.esp.SaEvent;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.junit.jupiter.api.Test;

/**
 * Child SAs go into the SAD with the configured lifetime (seconds) and lifetime-octets as hard
 * limits and jittered soft limits; an octet limit reached by traffic rekeys the child (soft) or,
 * past the hard limit, the SAD drops the half and the rekey replaces and deletes the child.
 * Two real engines on EngineFixture's fake network; A with a real SAD, ChildSaInstaller and
 * supervisor, wired as the agent wires them.
 */
class ChildSaLifetimeTest {
    static final long OCTETS = 10_000;

    /** A's side: the SAD's lifetime events go to the supervisor, the engine's child events to the installer. */
    static final class CeA {
        final EngineFixture f;
        final List<SaEvent> saEvents = new ArrayList<>();
        final SecurityAssociationDatabase sad = new SecurityAssociationDatabase(saEvents::add);
        final ChildSaInstaller installer = new ChildSaInstaller(sad);
        final TunnelPolicy policy = TunnelSupervisorTest.permanent(Duration.ofHours(4), Duration.ofHours(1), Duration.ZERO)
                .withChildLifetimeOctets(OCTETS);
        final TunnelSupervisor sup;
        final SplittableRandom jitter = new SplittableRandom(11);
        final List<IkeEvent> eventsA = new ArrayList<>();
        final List<IkeEvent> eventsB = new ArrayList<>();
        final InetSocketAddress bNatT;

        CeA() throws Exception {
            f = new EngineFixture(7);
            sup = new TunnelSupervisor(f.engineA, Map.of(f.b, policy), new SadChildTraffic(sad), f.clock, new SplittableRandom(7));
            bNatT = new InetSocketAddress(f.b, 4500);
        }

        void pump() {
            for (SaEvent e : List.copyOf(saEvents)) {
                sup.onSaEvent(e);
            }
            saEvents.clear();
            for (IkeEvent e : f.engineA.drainEvents()) {
                sup.onEvent(e);
                eventsA.add(e);
                switch (e) {
                    case IkeEvent.ChildSaUp up -> installer.install(up.child(), bNatT, policy.childSaLifetime(jitter.nextDouble()));
                    case IkeEvent.ChildSaDown down -> installer.remove(down.child(), bNatT);
                    default -> { }
                }
            }
            eventsB.addAll(f.engineB.drainEvents());
        }

        void step() {
            f.clock.advance(Duration.ofSeconds(1));
            f.send(f.a, f.engineA.tick());
            f.send(f.b, f.engineB.tick());
            f.deliverAll();
            pump();
            f.send(f.a, sup.tick().ike());
            f.deliverAll();
            pump();
        }

        <E extends IkeEvent> List<E> a(Class<E> type) {
            return eventsA.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** Sends {@code bytes} of 1000-octet IPv4 packets through {@code sa}; the octets it accepted. */
        static long traffic(OutboundSa sa, long bytes) {
            byte[] packet = new byte[1000 + OutboundSa.TRAILER_ROOM];
            packet[0] = 0x45;
            byte[] wire = new byte[packet.length + OutboundSa.MAX_OVERHEAD];
            long sent = 0;
            while (sent < bytes && sa.encapsulate(packet, 0, 1000, wire, 0) > 0) {
                sent += 1000;
            }
            return sent;
        }
    }

    @Test
    void childSasAreInstalledWithTheConfiguredLifetimeAsHardAndAJitteredFractionAsSoftLimits() throws Exception {
        CeA ce = new CeA();
        ce.step();
        OutboundSa out = ce.sad.selectOutbound(ce.f.b);
        assertNotNull(out, "the child SA is installed");
        Lifetime l = out.config().lifetime();
        assertEquals(OCTETS, l.hardBytes());
        assertEquals(3600, l.hardSeconds());
        // Soft at 80-90 % (rekey margin 0.1, jitter 0.1), the same fraction for seconds and octets.
        assertTrue(l.softBytes() >= 8_000 && l.softBytes() <= 9_000, l.toString());
        assertTrue(l.softSeconds() >= 2880 && l.softSeconds() <= 3240, l.toString());
        assertEquals(Lifetime.NONE, l.hardPackets());
        assertEquals(l, ce.sad.inbound(ce.a(IkeEvent.ChildSaUp.class).getFirst().child().inboundSpi()).config().lifetime(),
                "both halves carry the same limits");
    }

    @Test
    void theSoftOctetLimitRekeysTheChildBeforeTheHardOneEndsIt() throws Exception {
        CeA ce = new CeA();
        ce.step();
        OutboundSa first = ce.sad.selectOutbound(ce.f.b);
        long sent = CeA.traffic(first, 9_000);
        assertEquals(9_000, sent);
        assertTrue(ce.saEvents.contains(new SaEvent.SoftExpired(Direction.OUTBOUND, first.spi(), SaEvent.Limit.BYTES)),
                ce.saEvents.toString());
        ce.pump();
        ce.step();

        assertEquals(1, ce.a(IkeEvent.ChildSaRekeyed.class).size(), ce.eventsA.toString());
        OutboundSa second = ce.sad.selectOutbound(ce.f.b);
        assertNotNull(second);
        assertNotEquals(first.spi(), second.spi(), "traffic now goes on the replacement");
        assertTrue(ce.eventsB.stream().anyMatch(e -> e instanceof IkeEvent.ChildSaDown), "the old child is deleted with the peer");
        assertTrue(ce.sad.all().stream().noneMatch(sa -> sa == first), "and from A's SAD");
        assertEquals(OCTETS - 1_000, CeA.traffic(second, OCTETS - 1_000), "the replacement starts with the full volume");
    }

    @Test
    void pastTheHardOctetLimitTheSadDropsTheHalfAndTheChildIsReplacedAndDeleted() throws Exception {
        CeA ce = new CeA();
        ce.step();
        OutboundSa first = ce.sad.selectOutbound(ce.f.b);
        // A burst through both limits before the IKE thread had a turn.
        assertEquals(OCTETS, CeA.traffic(first, 2 * OCTETS), "nothing beyond the hard limit goes out");
        assertTrue(ce.saEvents.contains(new SaEvent.HardExpired(Direction.OUTBOUND, first.spi(), SaEvent.Limit.BYTES)),
                ce.saEvents.toString());
        assertNull(ce.sad.selectOutbound(ce.f.b), "the hard-expired half is gone from the SAD");
        ce.pump();
        ce.step();

        assertEquals(1, ce.a(IkeEvent.ChildSaRekeyed.class).size(), ce.eventsA.toString());
        OutboundSa second = ce.sad.selectOutbound(ce.f.b);
        assertNotNull(second, "a replacement child carries the traffic");
        assertNotEquals(first.spi(), second.spi());
        assertTrue(ce.eventsB.stream().anyMatch(e -> e instanceof IkeEvent.ChildSaDown), "the expired child is deleted with the peer");
        assertEquals(1, ce.f.engineA.childSas(ce.f.b).size(), ce.f.engineA.childSas(ce.f.b).toString());
    }
}

package org.cevpn.agent.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.cevpn.ipsec.dataplane.DataPlane;
import org.cevpn.ipsec.dataplane.IkeDatagram;
import org.cevpn.ipsec.dataplane.IkeQueue;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.ike.engine.ChildSaInstaller;
import org.cevpn.ipsec.ike.engine.EngineConfig;
import org.cevpn.ipsec.ike.engine.IkeEngine;
import org.cevpn.ipsec.ike.engine.IkeEvent;
import org.cevpn.ipsec.ike.engine.IkeService;
import org.cevpn.ipsec.ike.engine.PeerConfig;
import org.cevpn.ipsec.ike.engine.SadChildTraffic;
import org.cevpn.ipsec.ike.engine.TunnelPolicy;
import org.cevpn.ipsec.ike.engine.TunnelSupervisor;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.IkeInitConfig;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.ipsec.io.UdpSockets;
import org.cevpn.agent.reconcile.PeerTranslation;

/**
 * One spoke CE of the hub benchmark, without NETCONF: the same engine, supervisor, SAD and data plane a
 * {@link org.cevpn.agent.CeAgent} wires (same IKE proposals, cookie threshold, retransmission schedule), on
 * its own SP address, with one peer, the hub, and a permanent tunnel to it. Child SAs go into its SAD as the
 * reconciler would put them. Its IKE input passes a tap that counts the hub's COOKIE challenges (RFC 7296
 * §2.6), so the benchmark can say whether the hub's half-open threshold was reached.
 */
final class Spoke implements AutoCloseable {
    private final InetAddress hub;
    private final TunnelPolicy policy;
    private final SecurityAssociationDatabase sad;
    private final TunnelSupervisor supervisor;
    private final IkeService ike;
    private final DataPlane dataPlane;
    private final AtomicLong cookieChallenges;
    private final AtomicLong repeats;
    /** Hashes of the IKE datagrams this spoke received: a retransmission repeats one byte for byte (RFC 7296 §2.1). */
    private final java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int children;

    /**
     * @param cookieChallenges shared counter: IKE_SA_INIT responses with a COOKIE notify that reached a spoke
     * @param repeats          shared counter: datagrams from the hub a spoke had already received — the hub's
     *                         retransmitted requests, and its answers again to requests a spoke retransmitted
     */
    Spoke(InetAddress address, int ikePort, int natTPort, PeerConfig hubPeer, TunnelPolicy policy, AtomicLong cookieChallenges,
          AtomicLong repeats) throws IOException {
        this.hub = hubPeer.address();
        this.policy = policy;
        this.cookieChallenges = cookieChallenges;
        this.repeats = repeats;
        Clock clock = Clock.systemUTC();
        IkeService[] service = new IkeService[1];
        sad = new SecurityAssociationDatabase(e -> {
            if (service[0] != null) {
                service[0].saEvents().onSaEvent(e);
            }
        });
        IkeQueue queue = new IkeQueue(1024);
        UdpSockets sockets = new UdpSockets(new InetSocketAddress(address, natTPort), new InetSocketAddress(address, ikePort));
        IkeEngine engine = new IkeEngine(new EngineConfig(address, ikePort, natTPort,
                new IkeInitConfig(PeerTranslation.ikeProposals(), true,
                        List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512)),
                List.of(hubPeer), 50, RetransmitPolicy.STRONGSWAN_DEFAULT, 1280), new SecureRandom(), clock,
                spi -> sad.inbound(spi) != null);
        // No policy yet: the spoke initiates only when the benchmark says the hub has its configuration.
        supervisor = new TunnelSupervisor(engine, Map.of(), new SadChildTraffic(sad), clock, new SplittableRandom());
        ChildSaInstaller installer = new ChildSaInstaller(sad);
        InetSocketAddress hubNatT = new InetSocketAddress(hub, natTPort);
        service[0] = new IkeService(engine, supervisor, queue, sockets, event -> onEvent(event, installer, hubNatT), clock);
        ike = service[0];
        dataPlane = new DataPlane(sad, new MemoryPacketPort("spoke-" + address.getHostAddress(), 16), sockets,
                datagram -> tap(datagram) && queue.offer(datagram), null, null, ike.trafficWithoutSa());
    }

    void start() {
        dataPlane.start();
        ike.start();
    }

    /** Hands the permanent tunnel to the supervisor: the first IKE_SA_INIT leaves at its next tick (within 1 s). */
    void connect() {
        ike.submit(e -> {
            supervisor.putPeer(hub, policy);
            return List.of();
        });
    }

    /** At least one child SA with the hub is installed in this spoke's SAD. */
    boolean up() {
        return children > 0;
    }

    /** IKE thread: the reconciler's SAD work, reduced to one peer. */
    private void onEvent(IkeEvent event, ChildSaInstaller installer, InetSocketAddress hubNatT) {
        switch (event) {
            case IkeEvent.ChildSaUp c -> {
                installer.install(c.child(), hubNatT);
                children++;
            }
            case IkeEvent.ChildSaDown c -> {
                installer.remove(c.child(), hubNatT);
                children--;
            }
            case IkeEvent.IkeSaDown d -> {
                d.children().forEach(c -> installer.remove(c, hubNatT));
                children -= d.children().size();
            }
            default -> { }
        }
    }

    /** Counts COOKIE challenges and repeated datagrams; every datagram goes on to the engine. */
    private boolean tap(IkeDatagram datagram) {
        byte[] m = datagram.message();
        if (!seen.add(java.util.Arrays.hashCode(m))) {
            repeats.incrementAndGet();
        }
        // Header octets 18 (exchange type) and 19 (flags: 0x20 response): only IKE_SA_INIT responses are decoded.
        if (m.length > 28 && (m[18] & 0xff) == ExchangeType.IKE_SA_INIT.value() && (m[19] & 0x20) != 0) {
            try {
                if (IkeDecoder.decode(m).message().notify(NotifyType.COOKIE).isPresent()) {
                    cookieChallenges.incrementAndGet();
                }
            } catch (IkeDecodeException e) {
                // the engine counts it as malformed
            }
        }
        return true;
    }

    /**
     * Stops without IKE DELETE, as a spoke that lost power would: the hub keeps its SAs (the benchmark turns
     * liveness checks off), which is what the hub-side heap figure needs.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        ike.close();
        dataPlane.close();
    }
}

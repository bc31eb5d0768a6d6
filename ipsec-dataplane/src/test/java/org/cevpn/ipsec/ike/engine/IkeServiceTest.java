package org.cevpn.ipsec.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cevpn.ipsec.dataplane.DataPlane;
import org.cevpn.ipsec.dataplane.IkeQueue;
import org.cevpn.ipsec.esp.SaEventListener;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.io.MemoryPacketPort;
import org.cevpn.ipsec.io.UdpSockets;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.ChildSaResult;
import org.junit.jupiter.api.Test;

/**
 * IKE and ESP together: two CEs, each with the data plane (real UDP sockets on loopback, the
 * classifier handing IKE to the queue) and an IkeService. CE1 initiates; the child SAs the engines
 * negotiate are installed in each SAD from the events; a packet from site 1 then crosses to site 2
 * under the negotiated keys.
 */
class IkeServiceTest {

    private record Ce(InetAddress address, UdpSockets sockets, SecurityAssociationDatabase sad, MemoryPacketPort vpn,
                      IkeQueue queue, DataPlane dataPlane, LinkedBlockingQueue<IkeEvent> events) {
    }

    private static Ce ce(String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        UdpSockets s = new UdpSockets(new InetSocketAddress(a, 0), new InetSocketAddress(a, 0));
        SecurityAssociationDatabase sad = new SecurityAssociationDatabase(SaEventListener.IGNORE);
        MemoryPacketPort vpn = new MemoryPacketPort("vpn-" + address, 64);
        IkeQueue queue = new IkeQueue(64);
        return new Ce(a, s, sad, vpn, queue, new DataPlane(sad, vpn, s, queue, null, null), new LinkedBlockingQueue<>());
    }

    private static EngineConfig config(Ce me, Ce peer, String myName, String peerName, String myNet, String peerNet) throws Exception {
        EngineConfig base = EngineFixture.config(me.address(), peer.address(), myName, peerName, myNet, peerNet);
        PeerConfig p = base.peers().getFirst();
        return new EngineConfig(me.address(), me.sockets().ikeAddress().getPort(), me.sockets().natTAddress().getPort(), base.ike(),
                List.of(new PeerConfig(peer.address(), peer.sockets().ikeAddress().getPort(), peer.sockets().natTAddress().getPort(),
                        p.auth())), 50, RetransmitPolicy.STRONGSWAN_DEFAULT, 1280);
    }

    private static ChildSaResult childUp(Ce ce) throws InterruptedException {
        for (IkeEvent e; (e = ce.events().poll(10, TimeUnit.SECONDS)) != null; ) {
            if (e instanceof IkeEvent.ChildSaUp up) {
                return up.child();
            }
        }
        throw new AssertionError("no child SA within 10 s");
    }

    @Test
    void aTunnelNegotiatedByIkeCarriesTrafficThroughEsp() throws Exception {
        Ce ce1 = ce("127.0.0.41");
        Ce ce2 = ce("127.0.0.42");
        ce1.dataPlane().start();
        ce2.dataPlane().start();
        try (IkeService ike1 = new IkeService(new IkeEngine(config(ce1, ce2, "ce1", "ce2", "10.1.0.0", "10.2.0.0"),
                EngineFixture.RANDOM, Clock.systemUTC()), ce1.queue(), ce1.sockets(), ce1.events()::add, Clock.systemUTC());
             IkeService ike2 = new IkeService(new IkeEngine(config(ce2, ce1, "ce2", "ce1", "10.2.0.0", "10.1.0.0"),
                     EngineFixture.RANDOM, Clock.systemUTC()), ce2.queue(), ce2.sockets(), ce2.events()::add, Clock.systemUTC())) {
            ike1.start();
            ike2.start();
            ike1.submit(e -> e.initiate(ce2.address()));
            ChildSaResult c1 = childUp(ce1);
            ChildSaResult c2 = childUp(ce2);
            assertEquals(c1.outboundSpi(), c2.inboundSpi());
            // The agent's way: the negotiated transforms, keys by direction and narrowed selectors into each SAD.
            new ChildSaInstaller(ce1.sad()).install(c1, ce2.sockets().natTAddress());
            new ChildSaInstaller(ce2.sad()).install(c2, ce1.sockets().natTAddress());

            byte[] packet = ipv4Udp("10.1.0.5", "10.2.0.7", "through the tunnel IKE built".getBytes());
            ce1.vpn().inject(packet);
            byte[] arrived = ce2.vpn().poll(5000);
            assertNotNull(arrived, "the packet crossed");
            assertArrayEquals(packet, arrived);
            assertEquals(0, ike1.sendFailures() + ike2.sendFailures());
        } finally {
            ce1.dataPlane().close();
            ce2.dataPlane().close();
        }
    }

    private static byte[] ipv4Udp(String src, String dst, byte[] payload) throws Exception {
        int total = 28 + payload.length;
        byte[] p = new byte[total];
        p[0] = 0x45;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, p, 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        p[20] = 0x30;
        p[21] = 0x39;
        p[22] = 0x30;
        p[23] = 0x39;
        p[24] = (byte) ((8 + payload.length) >>> 8);
        p[25] = (byte) (8 + payload.length);
        System.arraycopy(payload, 0, p, 28, payload.length);
        return p;
    }
}

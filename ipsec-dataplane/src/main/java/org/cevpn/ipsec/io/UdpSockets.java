package org.cevpn.ipsec.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The SP-side sockets of one CE: UDP/4500 carrying ESP in UDP (RFC 3948), IKE behind the 4-byte
 * non-ESP marker and NAT keepalives; UDP/500 carrying plain IKE. Local address and ports are
 * configurable so many CEs can share a host (each on its own 127.x.y.z address, or port 0 in tests).
 *
 * <p>Receive and send take the caller's heap buffers; the JDK moves them through its per-thread
 * cached direct buffer and caches the last peer address, so the steady state allocates nothing.
 */
public final class UdpSockets implements Closeable {
    /** RFC 3948 §2.2: four zero bytes where an ESP packet has its SPI. */
    public static final int NON_ESP_MARKER_LENGTH = 4;
    /** RFC 3948 §2.3: a NAT-keepalive is a single 0xFF octet. */
    public static final byte NAT_KEEPALIVE = (byte) 0xFF;

    private final DatagramChannel natT;
    private final DatagramChannel ike;
    private final byte[] keepalive = {NAT_KEEPALIVE};

    /** Binds {@code natTAddress} (usually port 4500) and {@code ikeAddress} (usually port 500). */
    public UdpSockets(InetSocketAddress natTAddress, InetSocketAddress ikeAddress) throws IOException {
        this.natT = open(natTAddress);
        try {
            this.ike = open(ikeAddress);
        } catch (IOException e) {
            natT.close();
            throw e;
        }
    }

    private static DatagramChannel open(InetSocketAddress bind) throws IOException {
        DatagramChannel ch = DatagramChannel.open(bind.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.bind(bind);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot bind UDP " + bind + ": " + e.getMessage(), e);
        }
        return ch;
    }

    public InetSocketAddress natTAddress() throws IOException {
        return (InetSocketAddress) natT.getLocalAddress();
    }

    public InetSocketAddress ikeAddress() throws IOException {
        return (InetSocketAddress) ike.getLocalAddress();
    }

    /** Blocks for the next datagram on the NAT-T (4500) socket; {@code into}'s position/limit mark the data. */
    public InetSocketAddress receiveNatT(ByteBuffer into) throws IOException {
        into.clear();
        InetSocketAddress from = (InetSocketAddress) natT.receive(into);
        into.flip();
        return from;
    }

    /** Blocks for the next datagram on the IKE (500) socket. */
    public InetSocketAddress receiveIke(ByteBuffer into) throws IOException {
        into.clear();
        InetSocketAddress from = (InetSocketAddress) ike.receive(into);
        into.flip();
        return from;
    }

    /** Sends an ESP packet (starting at its SPI) in UDP from port 4500. */
    public void sendEsp(ByteBuffer packet, InetSocketAddress to) throws IOException {
        natT.send(packet, to);
    }

    /**
     * Sends an IKE message: on port 4500 behind the non-ESP marker when {@code natT}, else on port 500.
     * Not a hot path: allocates the marked copy.
     */
    public void sendIke(byte[] message, InetSocketAddress to, boolean viaNatT) throws IOException {
        if (viaNatT) {
            ByteBuffer b = ByteBuffer.allocate(NON_ESP_MARKER_LENGTH + message.length);
            b.put(new byte[NON_ESP_MARKER_LENGTH]).put(message).flip();
            natT.send(b, to);
        } else {
            ike.send(ByteBuffer.wrap(message), to);
        }
    }

    /** Sends one NAT-keepalive to {@code to} from port 4500. */
    public void sendNatKeepalive(InetSocketAddress to) throws IOException {
        natT.send(ByteBuffer.wrap(keepalive), to);
    }

    /** Sends raw bytes from the NAT-T socket (tests use it to throw garbage at a peer). */
    public void sendRawNatT(byte[] data, InetSocketAddress to) throws IOException {
        natT.send(ByteBuffer.wrap(data), to);
    }

    @Override
    public void close() throws IOException {
        try {
            natT.close();
        } finally {
            ike.close();
        }
    }
}

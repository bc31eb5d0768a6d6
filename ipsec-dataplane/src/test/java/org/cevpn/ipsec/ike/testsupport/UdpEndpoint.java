package org.cevpn.ipsec.ike.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.Optional;

/** A real UDP socket for exchange tests: send a datagram, wait (bounded) for one. */
public final class UdpEndpoint implements AutoCloseable {
    private final DatagramChannel channel;
    private final Selector selector;

    public record Received(byte[] data, InetSocketAddress from) {
    }

    public UdpEndpoint(InetSocketAddress bind) throws IOException {
        channel = DatagramChannel.open();
        channel.bind(bind);
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    public InetSocketAddress local() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    public void send(byte[] data, SocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(data), to);
    }

    public Optional<Received> receive(long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        while (true) {
            SocketAddress from = channel.receive(buf);
            if (from != null) {
                return Optional.of(new Received(Arrays.copyOf(buf.array(), buf.position()), (InetSocketAddress) from));
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return Optional.empty();
            }
            selector.select(left);
            selector.selectedKeys().clear();
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}

package org.cevpn.ipsec.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where whole IP packets enter and leave the data plane on the VPN side: a TUN device, or an
 * in-memory port in tests.
 */
public interface PacketPort extends Closeable {
    /**
     * Bytes before a packet that {@link #send} may overwrite with a port header (the TUN device's
     * virtio-net header), so senders keep this much room in front of every packet they pass.
     */
    int HEADROOM = 16;

    /**
     * Blocks until at least one packet is available, then fills {@code batch} with as many as are
     * ready (up to its capacity) without blocking again.
     *
     * @return the number of packets read, or -1 once the port is closed
     */
    int receive(PacketBatch batch) throws IOException;

    /** Writes one packet; {@code off} must be at least {@link #HEADROOM}, and the bytes before it are scratch. */
    void send(byte[] buf, int off, int len) throws IOException;

    /** A short name for logs. */
    String name();
}

package org.cevpn.ipsec.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where whole IP packets enter and leave the data plane on the VPN side: a TUN device, or an
 * in-memory port in tests.
 */
public interface PacketPort extends Closeable {

    /**
     * Blocks until at least one packet is available, then fills {@code batch} with as many as are
     * ready (up to its capacity) without blocking again.
     *
     * @return the number of packets read, or -1 once the port is closed
     */
    int receive(PacketBatch batch) throws IOException;

    /** Writes one packet. */
    void send(byte[] buf, int off, int len) throws IOException;

    /** A short name for logs. */
    String name();
}

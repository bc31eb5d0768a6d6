package org.cevpn.ipsec.esp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One traffic selector as IKEv2 carries it (RFC 7296 §3.13.1): an address range, an IP protocol
 * (0 = any) and a port range. A class rather than a record because it keeps the raw address bytes for
 * allocation-free matching against packet bytes.
 */
public final class TrafficSelector {
    private final InetAddress start;
    private final InetAddress end;
    private final byte[] startBytes;
    private final byte[] endBytes;
    private final int protocol;
    private final int startPort;
    private final int endPort;

    public TrafficSelector(InetAddress start, InetAddress end, int protocol, int startPort, int endPort) {
        this.startBytes = start.getAddress();
        this.endBytes = end.getAddress();
        if (startBytes.length != endBytes.length) {
            throw new IllegalArgumentException("selector range mixes IPv4 and IPv6: " + start + " - " + end);
        }
        if (Arrays.compareUnsigned(startBytes, endBytes) > 0) {
            throw new IllegalArgumentException("selector range start is above its end: " + start + " - " + end);
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol out of range: " + protocol);
        }
        if (startPort < 0 || endPort > 65535 || startPort > endPort) {
            throw new IllegalArgumentException("bad port range " + startPort + "-" + endPort);
        }
        this.start = start;
        this.end = end;
        this.protocol = protocol;
        this.startPort = startPort;
        this.endPort = endPort;
    }

    /** A selector for every address of {@code cidr} ("10.1.0.0/16", "2001:db8::/32", or one address), any protocol and port. */
    public static TrafficSelector ofPrefix(String cidr) {
        String s = cidr.strip();
        int slash = s.indexOf('/');
        byte[] a;
        try {
            a = parseLiteral(slash < 0 ? s : s.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP prefix: " + cidr);
        }
        int bits = a.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IP prefix: " + cidr);
            }
            if (bits < 0 || bits > a.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + cidr);
            }
        }
        byte[] lo = a.clone();
        byte[] hi = a.clone();
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
            lo[i] = (byte) (a[i] & mask);
            hi[i] = (byte) ((a[i] & mask) | (~mask & 0xff));
        }
        try {
            return new TrafficSelector(InetAddress.getByAddress(lo), InetAddress.getByAddress(hi), 0, 0, 65535);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Parses an IPv4 or IPv6 literal without ever doing a name lookup. */
    static byte[] parseLiteral(String s) {
        if (s.isEmpty() || !(s.contains(":") || s.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("not an IP literal: " + s);
        }
        try {
            return InetAddress.ofLiteral(s).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP literal: " + s);
        }
    }

    /** This selector restricted to one protocol and port range. */
    public TrafficSelector withProtocol(int protocol, int startPort, int endPort) {
        return new TrafficSelector(start, end, protocol, startPort, endPort);
    }

    public InetAddress start() { return start; }

    public InetAddress end() { return end; }

    public int protocol() { return protocol; }

    public int startPort() { return startPort; }

    public int endPort() { return endPort; }

    public boolean isIpv6() { return startBytes.length == 16; }

    /** Whether the address at {@code buf[off]} (4 or 16 bytes, per this selector's family) is in range. */
    boolean containsAddress(byte[] buf, int off, int addrLen) {
        int n = startBytes.length;
        return addrLen == n
                && Arrays.compareUnsigned(buf, off, off + n, startBytes, 0, n) >= 0
                && Arrays.compareUnsigned(buf, off, off + n, endBytes, 0, n) <= 0;
    }

    /** Whether protocol and port (of the side given) fit; {@code port} is -1 when the packet has none. */
    boolean containsProtocolPort(int packetProtocol, int port) {
        if (protocol != 0 && protocol != packetProtocol) {
            return false;
        }
        if (startPort == 0 && endPort == 65535) {
            return true;
        }
        return port >= startPort && port <= endPort;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficSelector t && Arrays.equals(startBytes, t.startBytes) && Arrays.equals(endBytes, t.endBytes)
                && protocol == t.protocol && startPort == t.startPort && endPort == t.endPort;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(startBytes) * 31 + Arrays.hashCode(endBytes) + protocol * 7 + startPort * 3 + endPort;
    }

    @Override
    public String toString() {
        String range = start.getHostAddress() + "-" + end.getHostAddress();
        String proto = protocol == 0 ? "" : " proto " + protocol;
        String ports = startPort == 0 && endPort == 65535 ? "" : " ports " + startPort + "-" + endPort;
        return range + proto + ports;
    }
}

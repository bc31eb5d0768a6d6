package org.cevpn.agent.config;

import java.net.InetAddress;

/** An IPv4 or IPv6 prefix (inet:ip-prefix), its address masked to the length: a traffic selector. */
public record IpPrefix(InetAddress address, int length) {
    /** IPv4 before IPv6, then by address, then by length. */
    public static final java.util.Comparator<IpPrefix> ORDER = java.util.Comparator
            .<IpPrefix>comparingInt(p -> p.address.getAddress().length)
            .thenComparing(p -> p.address.getAddress(), java.util.Arrays::compareUnsigned)
            .thenComparingInt(IpPrefix::length);

    public IpPrefix {
        int bits = address.getAddress().length * 8;
        if (length < 0 || length > bits) {
            throw new ConfigurationException("prefix length " + length + " outside 0.." + bits);
        }
        byte[] a = address.getAddress();
        for (int i = length; i < bits; i++) {
            a[i / 8] &= (byte) ~(0x80 >>> (i % 8));
        }
        address = InetAddress.ofLiteral(hostAddress(a));
    }

    /** Parses "10.1.0.0/16" or "2001:db8::/48". */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new ConfigurationException("prefix without a length");
        }
        try {
            return new IpPrefix(InetAddress.ofLiteral(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("malformed prefix: " + e.getMessage());
        }
    }

    /** The last address in the prefix. */
    public InetAddress lastAddress() {
        byte[] a = address.getAddress();
        for (int i = length; i < a.length * 8; i++) {
            a[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return InetAddress.ofLiteral(hostAddress(a));
    }

    /** Whether the two prefixes share an address (prefixes are nested or disjoint). */
    public boolean overlaps(IpPrefix other) {
        byte[] a = address.getAddress();
        byte[] b = other.address.getAddress();
        if (a.length != b.length) {
            return false;
        }
        return java.util.Arrays.compareUnsigned(a, other.lastAddress().getAddress()) <= 0
                && java.util.Arrays.compareUnsigned(b, lastAddress().getAddress()) <= 0;
    }

    private static String hostAddress(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}

package org.cevpn.ipsec.ike.message;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One traffic selector (RFC 7296 §3.13.1): an address range, a port range and an IP protocol
 * (0 = any). Addresses are four octets for {@link TsType#IPV4_ADDR_RANGE}, sixteen for
 * {@link TsType#IPV6_ADDR_RANGE}.
 */
public record TrafficSelector(int type, int ipProtocol, int startPort, int endPort,
                              Octets startAddress, Octets endAddress) {
    public TrafficSelector {
        int addressLength = addressLength(type);
        if (addressLength < 0) {
            throw new IllegalArgumentException("unsupported traffic selector type " + type);
        }
        if (startAddress.length() != addressLength || endAddress.length() != addressLength) {
            throw new IllegalArgumentException("address length does not match the TS type");
        }
        if (ipProtocol < 0 || ipProtocol > 0xff || startPort < 0 || startPort > 0xffff
                || endPort < 0 || endPort > 0xffff) {
            throw new IllegalArgumentException("protocol/port out of range");
        }
    }

    /** Address length for a TS type, or -1 for a type we do not know. */
    static int addressLength(int type) {
        if (type == TsType.IPV4_ADDR_RANGE.value()) {
            return 4;
        }
        if (type == TsType.IPV6_ADDR_RANGE.value()) {
            return 16;
        }
        return -1;
    }

    /** Any port, any protocol, between two addresses of the same family. */
    public static TrafficSelector range(InetAddress start, InetAddress end) {
        byte[] s = start.getAddress();
        byte[] e = end.getAddress();
        int type = s.length == 4 ? TsType.IPV4_ADDR_RANGE.value() : TsType.IPV6_ADDR_RANGE.value();
        return new TrafficSelector(type, 0, 0, 0xffff, Octets.copyOf(s), Octets.copyOf(e));
    }

    /** True if {@code address} (same family) lies in this selector's address range; ports are not looked at. */
    public boolean containsAddress(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == startAddress.length()
                && java.util.Arrays.compareUnsigned(startAddress.toByteArray(), a) <= 0
                && java.util.Arrays.compareUnsigned(a, endAddress.toByteArray()) <= 0;
    }

    public InetAddress start() {
        return toAddress(startAddress);
    }

    public InetAddress end() {
        return toAddress(endAddress);
    }

    private static InetAddress toAddress(Octets o) {
        try {
            return InetAddress.getByAddress(o.toByteArray());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("checked address length", e);
        }
    }

    /** Encoded size of this selector: 8 fixed octets and two addresses. */
    int encodedLength() {
        return 8 + 2 * startAddress.length();
    }
}

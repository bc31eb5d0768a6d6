package org.cevpn.ipsec.ike.task;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.TrafficSelector;

/**
 * Traffic selector narrowing (RFC 7296 §2.9): the responder answers with the intersection of
 * what the initiator proposed and what its policy allows; the initiator accepts an answer only
 * if every returned selector lies within what it proposed.
 */
final class TrafficSelectorMath {
    private TrafficSelectorMath() {
    }

    /** Every non-empty intersection of a proposed selector with an allowed one. */
    static List<TrafficSelector> narrow(List<TrafficSelector> proposed, List<TrafficSelector> allowed) {
        List<TrafficSelector> out = new ArrayList<>();
        for (TrafficSelector p : proposed) {
            for (TrafficSelector a : allowed) {
                TrafficSelector i = intersect(p, a);
                if (i != null && !out.contains(i)) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    /** True if every selector of {@code answer} lies inside some selector of {@code proposed}. */
    static boolean within(List<TrafficSelector> answer, List<TrafficSelector> proposed) {
        for (TrafficSelector s : answer) {
            boolean inside = proposed.stream().anyMatch(p -> s.equals(intersect(s, p)));
            if (!inside) {
                return false;
            }
        }
        return true;
    }

    private static TrafficSelector intersect(TrafficSelector x, TrafficSelector y) {
        if (x.type() != y.type()) {
            return null;
        }
        int protocol;
        if (x.ipProtocol() == 0) {
            protocol = y.ipProtocol();
        } else if (y.ipProtocol() == 0 || y.ipProtocol() == x.ipProtocol()) {
            protocol = x.ipProtocol();
        } else {
            return null;
        }
        int startPort = Math.max(x.startPort(), y.startPort());
        int endPort = Math.min(x.endPort(), y.endPort());
        if (startPort > endPort) {
            return null;
        }
        BigInteger start = max(value(x.startAddress()), value(y.startAddress()));
        BigInteger end = min(value(x.endAddress()), value(y.endAddress()));
        if (start.compareTo(end) > 0) {
            return null;
        }
        int length = x.startAddress().length();
        return new TrafficSelector(x.type(), protocol, startPort, endPort, octets(start, length), octets(end, length));
    }

    private static BigInteger value(Octets address) {
        return new BigInteger(1, address.toByteArray());
    }

    private static Octets octets(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return Octets.copyOf(out);
    }

    private static BigInteger max(BigInteger a, BigInteger b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static BigInteger min(BigInteger a, BigInteger b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

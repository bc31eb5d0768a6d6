package org.cevpn.ipsec.ike.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the strongSwan captures in src/test/resources/org/cevpn/ipsec/ike/captures (written by
 * capture.sh there): one datagram a line, "i" or "r" for who sent it, then the UDP payload in hex.
 */
public final class Captures {
    private Captures() {
    }

    /** One captured datagram; {@code ike} is the IKE message without the port-4500 non-ESP marker. */
    public record Datagram(boolean fromInitiator, boolean nonEspMarker, byte[] ike) {
    }

    public static List<Datagram> load(String scenario) throws IOException {
        String name = "/org/cevpn/ipsec/ike/captures/" + scenario + ".hex";
        try (InputStream in = Captures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing capture " + name);
            }
            List<Datagram> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                byte[] udp = HexFormat.of().parseHex(parts[1]);
                // On port 4500 IKE messages follow four zero octets; an IKE initiator SPI is never zero.
                boolean marker = udp.length >= 4 && udp[0] == 0 && udp[1] == 0 && udp[2] == 0 && udp[3] == 0;
                out.add(new Datagram(parts[0].equals("i"), marker, marker ? Arrays.copyOfRange(udp, 4, udp.length) : udp));
            }
            return out;
        }
    }
}

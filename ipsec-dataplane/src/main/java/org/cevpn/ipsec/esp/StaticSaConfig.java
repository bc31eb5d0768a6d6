package org.cevpn.ipsec.esp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;

/**
 * Static SAs from configuration, keys given (the IKE-less case of RFC 9061: a controller distributes
 * keys itself). One SA per line:
 *
 * <pre>
 * # direction  attributes (order free)
 * sa out spi=0x1001 peer=192.0.2.2:4500 enc=aes-gcm-16-256 key=HEX local=10.1.0.0/16 remote=10.2.0.0/16
 * sa in  spi=0x2001 peer=192.0.2.2      enc=aes-cbc-256 key=HEX integ=hmac-sha2-256-128 integ-key=HEX ...
 * </pre>
 *
 * Optional: {@code mode=tunnel|transport-ipip}, {@code esn=yes|no} (default yes), {@code window=N}
 * (default 1024), {@code lifetime-bytes=SOFT/HARD}, {@code lifetime-packets=SOFT/HARD},
 * {@code lifetime-seconds=SOFT/HARD}, {@code super-packets=yes} (outbound: the peer is this data plane
 * with TUN offloads; see {@link SaConfig#superPackets()}); {@code local}/{@code remote} may repeat or
 * hold comma lists.
 * Errors name the line and the attribute, never a key's value.
 */
public final class StaticSaConfig {
    private static final Set<String> KNOWN = Set.of("spi", "peer", "mode", "enc", "key", "integ", "integ-key", "esn",
            "window", "local", "remote", "lifetime-bytes", "lifetime-packets", "lifetime-seconds", "super-packets");

    private StaticSaConfig() {}

    public static List<SaConfig> read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static List<SaConfig> parse(String text) {
        List<SaConfig> out = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(parseLine(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static SaConfig parseLine(String line) {
        String[] words = line.split("\\s+");
        if (words.length < 2 || !words[0].equals("sa")) {
            throw new IllegalArgumentException("expected 'sa in|out key=value...'");
        }
        Direction direction = switch (words[1]) {
            case "in" -> Direction.INBOUND;
            case "out" -> Direction.OUTBOUND;
            default -> throw new IllegalArgumentException("direction must be 'in' or 'out', not '" + words[1] + "'");
        };
        Map<String, String> attrs = new HashMap<>();
        List<TrafficSelector> local = new ArrayList<>();
        List<TrafficSelector> remote = new ArrayList<>();
        for (int w = 2; w < words.length; w++) {
            int eq = words[w].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + words[w] + "'");
            }
            String k = words[w].substring(0, eq).toLowerCase(Locale.ROOT);
            String v = words[w].substring(eq + 1);
            if (!KNOWN.contains(k)) {
                throw new IllegalArgumentException("unknown attribute '" + k + "'");
            }
            if (k.equals("local") || k.equals("remote")) {
                for (String p : v.split(",")) {
                    (k.equals("local") ? local : remote).add(TrafficSelector.ofPrefix(p));
                }
            } else if (attrs.put(k, v) != null) {
                throw new IllegalArgumentException("attribute '" + k + "' given twice");
            }
        }
        SaConfig.Builder b = SaConfig.builder().direction(direction);
        b.spi(parseSpi(required(attrs, "spi")));
        b.peer(parsePeer(required(attrs, "peer")));
        b.mode(switch (attrs.getOrDefault("mode", "tunnel")) {
            case "tunnel" -> Mode.TUNNEL;
            case "transport-ipip" -> Mode.TRANSPORT_IPIP;
            default -> throw new IllegalArgumentException("mode must be tunnel or transport-ipip");
        });
        EncryptionAlgorithm enc = encryption(attrs.getOrDefault("enc", "aes-gcm-16-256"));
        b.encryption(enc, secret("key", required(attrs, "key")));
        if (attrs.containsKey("integ")) {
            b.integrity(integrity(attrs.get("integ")), secret("integ-key", required(attrs, "integ-key")));
        }
        b.esn(switch (attrs.getOrDefault("esn", "yes")) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException("esn must be yes or no");
        });
        b.superPackets(switch (attrs.getOrDefault("super-packets", "no")) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException("super-packets must be yes or no");
        });
        if (attrs.containsKey("window")) {
            b.replayWindow(parseInt("window", attrs.get("window")));
        }
        Lifetime lt = Lifetime.UNLIMITED;
        if (attrs.containsKey("lifetime-bytes")) {
            long[] sh = pair("lifetime-bytes", attrs.get("lifetime-bytes"));
            lt = lt.withBytes(sh[0], sh[1]);
        }
        if (attrs.containsKey("lifetime-packets")) {
            long[] sh = pair("lifetime-packets", attrs.get("lifetime-packets"));
            lt = lt.withPackets(sh[0], sh[1]);
        }
        if (attrs.containsKey("lifetime-seconds")) {
            long[] sh = pair("lifetime-seconds", attrs.get("lifetime-seconds"));
            lt = lt.withSeconds(sh[0], sh[1]);
        }
        b.lifetime(lt).localSelectors(local).remoteSelectors(remote);
        return b.build();
    }

    public static EncryptionAlgorithm encryption(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "aes-gcm-16-128", "aes128gcm16" -> EncryptionAlgorithm.AES_GCM_16_128;
            case "aes-gcm-16-256", "aes256gcm16" -> EncryptionAlgorithm.AES_GCM_16_256;
            case "chacha20-poly1305", "chacha20poly1305" -> EncryptionAlgorithm.CHACHA20_POLY1305;
            case "aes-cbc-128", "aes128" -> EncryptionAlgorithm.AES_CBC_128;
            case "aes-cbc-256", "aes256" -> EncryptionAlgorithm.AES_CBC_256;
            default -> throw new IllegalArgumentException("unknown encryption algorithm '" + name + "'");
        };
    }

    public static IntegrityAlgorithm integrity(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "hmac-sha2-256-128", "sha256" -> IntegrityAlgorithm.HMAC_SHA2_256_128;
            case "hmac-sha2-384-192", "sha384" -> IntegrityAlgorithm.HMAC_SHA2_384_192;
            case "hmac-sha2-512-256", "sha512" -> IntegrityAlgorithm.HMAC_SHA2_512_256;
            default -> throw new IllegalArgumentException("unknown integrity algorithm '" + name + "'");
        };
    }

    private static String required(Map<String, String> attrs, String k) {
        String v = attrs.get(k);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing attribute '" + k + "'");
        }
        return v;
    }

    private static SecretBytes secret(String name, String hex) {
        try {
            return SecretBytes.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    static int parseSpi(String s) {
        try {
            long v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("spi must be a 32-bit number, got '" + s + "'");
        }
    }

    static InetSocketAddress parsePeer(String s) {
        String host = s;
        int port = 4500;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("peer: missing ']' in '" + s + "'");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                port = portOf(s.substring(close + 2));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = portOf(s.substring(s.indexOf(':') + 1));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(TrafficSelector.parseLiteral(host)), port);
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            throw new IllegalArgumentException("peer must be an IP address [with :port], got '" + s + "'");
        }
    }

    private static int portOf(String s) {
        int p = parseInt("port", s);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port out of range: " + p);
        }
        return p;
    }

    private static int parseInt(String what, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + s + "'");
        }
    }

    private static long[] pair(String what, String s) {
        String[] p = s.split("/");
        try {
            if (p.length != 2) {
                throw new NumberFormatException();
            }
            return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be SOFT/HARD, got '" + s + "'");
        }
    }
}

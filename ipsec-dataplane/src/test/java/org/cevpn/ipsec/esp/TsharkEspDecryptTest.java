package org.cevpn.ipsec.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.testing.ExternalTools;
import org.cevpn.ipsec.testing.Pcap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Independent check: ESP-in-UDP packets produced by our encapsulation, written to a pcap, are
 * decrypted by tshark (Wireshark's own ESP implementation) with the SA keys, and the inner packets
 * it recovers are byte for byte the ones we sent. Wireshark 4.0 (Debian 12) has no ChaCha20-Poly1305
 * for ESP, so that algorithm is covered by the RFC 7634 vector instead.
 */
class TsharkEspDecryptTest {
    @TempDir
    Path dir;

    static String wiresharkName(EncryptionAlgorithm a) {
        return switch (a) {
            case AES_GCM_16_128, AES_GCM_16_256 -> "AES-GCM with 16 octet ICV [RFC4106]";
            case AES_CBC_128, AES_CBC_256 -> "AES-CBC [RFC3602]";
            case CHACHA20_POLY1305 -> throw new IllegalArgumentException("not in Wireshark 4.0");
        };
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionAlgorithm.class, names = {"AES_GCM_16_128", "AES_GCM_16_256", "AES_CBC_128", "AES_CBC_256"})
    void tsharkDecryptsOurEspToTheSameInnerPackets(EncryptionAlgorithm alg) throws Exception {
        Path tshark = ExternalTools.program("tshark", "tshark").path();
        SaConfig cfg = EspFixtures.config(Direction.OUTBOUND, alg, false, Mode.TUNNEL).build();
        OutboundSa sa = (OutboundSa) new SecurityAssociationDatabase(SaEventListener.IGNORE).install(cfg);
        Pcap pcap = new Pcap();
        byte[] ce1 = {(byte) 192, 0, 2, 1};
        byte[] ce2 = {(byte) 192, 0, 2, 2};
        List<byte[]> sent = new ArrayList<>();
        byte[] wire = new byte[2000];
        for (int i = 0; i < 6; i++) {
            int len = 28 + i * 250;
            byte[] p = EspFixtures.ipv4(len, i);
            sent.add(Arrays.copyOf(p, len));
            int n = sa.encapsulate(p, 0, len, wire, 0);
            pcap.addUdp(ce1, 4500, ce2, 4500, Arrays.copyOf(wire, n));
        }
        Path file = dir.resolve("esp.pcap");
        pcap.write(file);

        String integ = alg.isAead() ? "NULL" : "HMAC-SHA-256-128 [RFC4868]";
        String integKey = alg.isAead() ? "" : "0x" + cfg.integrityKey().toHexForExport();
        String uat = String.format("\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x%08x\",\"%s\",\"0x%s\",\"%s\",\"%s\"",
                cfg.spi(), wiresharkName(alg), cfg.encryptionKey().toHexForExport(), integ, integKey);
        Process proc = new ProcessBuilder(tshark.toString(), "-n", "-r", file.toString(),
                "-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE",
                "-o", "uat:esp_sa:" + uat, "-T", "fields", "-E", "separator=;",
                "-e", "esp.spi", "-e", "esp.decrypted_data", "-e", "esp.icv_good", "-e", "esp.pad_len", "-e", "esp.protocol")
                .redirectErrorStream(true).start();
        String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        proc.waitFor(60, TimeUnit.SECONDS);
        List<String> lines = output.lines().filter(l -> l.startsWith("0x")).toList();
        assertEquals(sent.size(), lines.size(), "tshark output:\n" + output);
        for (int i = 0; i < sent.size(); i++) {
            String[] f = lines.get(i).split(";", -1);
            assertEquals(String.format("0x%08x", cfg.spi()), f[0]);
            assertEquals("1", f[2], "tshark verified the ICV of packet " + i + ": " + lines.get(i));
            assertEquals("0x04", f[4], "next header IPv4");
            byte[] decrypted = HexFormat.of().parseHex(f[1]);
            byte[] expected = sent.get(i);
            assertArrayEquals(expected, Arrays.copyOf(decrypted, expected.length), "inner packet " + i);
            assertEquals(decrypted.length, expected.length + Integer.parseInt(f[3]) + 2, "payload + padding + trailer");
        }
    }
}

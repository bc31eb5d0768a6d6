package org.cevpn.ipsec.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.InboundSa;
import org.cevpn.ipsec.esp.IpPacketView;
import org.cevpn.ipsec.esp.OutboundSa;
import org.cevpn.ipsec.esp.SaConfig;
import org.cevpn.ipsec.esp.SaEventListener;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.esp.TrafficSelector;

/**
 * {@code ./cevpn bench esp}: ESP encapsulation + decapsulation on one core, for 64, 512 and 1400-byte
 * inner packets and every algorithm, next to the raw JCE cipher doing encrypt + decrypt of the same
 * bytes in the same run (the practical limit: our ESP cannot be faster than the cipher under it).
 * Also prints heap bytes allocated per packet on the measuring thread. Figures only, never a verdict.
 *
 * <p>Last line: {@code esp-vs-raw-aes256gcm-1400: R}, R = our rate / raw rate.
 * Option: {@code --seconds S} measuring time per figure (default 1.0).
 */
public final class EspBench {
    private static final int[] SIZES = {64, 512, 1400};
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4500);

    private final double seconds;

    private EspBench(double seconds) {
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        double seconds = 1.0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seconds") && i + 1 < args.length) {
                seconds = Double.parseDouble(args[++i]);
            } else {
                System.err.println("usage: EspBench [--seconds S]");
                System.exit(2);
            }
        }
        new EspBench(seconds).run();
    }

    /** One measured workload: process one packet per call. */
    private interface Workload {
        void once() throws Exception;
    }

    private record Result(double pps, double bytesPerPacket) {}

    private Result measure(Workload w) throws Exception {
        // Warm-up so C2 has compiled the path we measure.
        long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warmEnd) {
            for (int i = 0; i < 256; i++) {
                w.once();
            }
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long alloc0 = mx.getThreadAllocatedBytes(tid);
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                w.once();
            }
            n += 256;
            now = System.nanoTime();
        } while (now < end);
        long alloc = mx.getThreadAllocatedBytes(tid) - alloc0;
        return new Result(n / ((now - t0) / 1e9), (double) alloc / n);
    }

    private static SaConfig sa(Direction d, EncryptionAlgorithm alg, byte[] key) {
        SaConfig.Builder b = SaConfig.builder().direction(d).spi(0x1001).esn(true)
                .encryption(alg, SecretBytes.copyOf(java.util.Arrays.copyOf(key, alg.keyMaterialLength()))).peer(PEER)
                .localSelectors(List.of(TrafficSelector.ofPrefix(d == Direction.OUTBOUND ? "10.1.0.0/16" : "10.2.0.0/16")))
                .remoteSelectors(List.of(TrafficSelector.ofPrefix(d == Direction.OUTBOUND ? "10.2.0.0/16" : "10.1.0.0/16")));
        if (!alg.isAead()) {
            b.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128, SecretBytes.copyOf(java.util.Arrays.copyOfRange(key, 40, 72)));
        }
        return b.build();
    }

    private static byte[] innerPacket(int total) {
        byte[] p = new byte[total + OutboundSa.TRAILER_ROOM];
        p[0] = 0x45;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[8] = 64;
        p[9] = 17;
        p[12] = 10; p[13] = 1; p[15] = 1;
        p[16] = 10; p[17] = 2; p[19] = 1;
        for (int i = 28; i < total; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    /** Our ESP: encapsulate then decapsulate (with replay window, padding and selector checks). */
    private Workload esp(EncryptionAlgorithm alg, int size, byte[] key) {
        OutboundSa out = (OutboundSa) new SecurityAssociationDatabase(SaEventListener.IGNORE).install(sa(Direction.OUTBOUND, alg, key));
        InboundSa in = (InboundSa) new SecurityAssociationDatabase(SaEventListener.IGNORE).install(sa(Direction.INBOUND, alg, key));
        byte[] inner = innerPacket(size);
        byte[] wire = new byte[size + OutboundSa.MAX_OVERHEAD];
        byte[] back = new byte[size + OutboundSa.MAX_OVERHEAD];
        IpPacketView view = new IpPacketView();
        InetAddress src = PEER.getAddress();
        return () -> {
            int n = out.encapsulate(inner, 0, size, wire, 0);
            int m = in.decapsulate(wire, 0, n, src, back, 0, view);
            if (m != size) {
                throw new IllegalStateException("decapsulation failed: " + m);
            }
        };
    }

    /**
     * The raw JCE cipher on the same bytes ESP encrypts (payload + trailer, AAD of 8 bytes): the same
     * per-packet init with a fresh nonce ESP needs, encrypt, then decrypt. For CBC: cipher + HMAC.
     */
    private Workload raw(EncryptionAlgorithm alg, int size, byte[] key) throws GeneralSecurityException {
        int block = alg.blockSize();
        int len = (size + 2 + block - 1) / block * block;
        byte[] plain = new byte[len];
        byte[] ct = new byte[len + 32];
        byte[] back = new byte[len + 32];
        byte[] aad = new byte[8];
        byte[] nonce = new byte[12];
        byte[] macOut = new byte[32];
        if (alg.isAead()) {
            boolean gcm = alg != EncryptionAlgorithm.CHACHA20_POLY1305;
            String name = gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305";
            SecretKeySpec k = new SecretKeySpec(key, 0, alg.keyLength(), gcm ? "AES" : "ChaCha20");
            Cipher enc = Cipher.getInstance(name);
            Cipher dec = Cipher.getInstance(name);
            long[] counter = {0};
            return () -> {
                long c = ++counter[0];
                for (int i = 0; i < 8; i++) {
                    nonce[4 + i] = (byte) (c >>> (56 - 8 * i));
                }
                enc.init(Cipher.ENCRYPT_MODE, k, gcm ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce));
                enc.updateAAD(aad, 0, 8);
                int n = enc.doFinal(plain, 0, len, ct, 0);
                dec.init(Cipher.DECRYPT_MODE, k, gcm ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce));
                dec.updateAAD(aad, 0, 8);
                dec.doFinal(ct, 0, n, back, 0);
            };
        }
        SecretKeySpec k = new SecretKeySpec(key, 0, alg.keyLength(), "AES");
        Cipher enc = Cipher.getInstance("AES/CBC/NoPadding");
        Cipher dec = Cipher.getInstance("AES/CBC/NoPadding");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, 40, 32, "HmacSHA256"));
        byte[] iv = new byte[16];
        return () -> {
            enc.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(iv));
            int n = enc.doFinal(plain, 0, len, ct, 0);
            mac.update(ct, 0, n);
            mac.doFinal(macOut, 0);
            mac.update(ct, 0, n);
            mac.doFinal(macOut, 0);
            dec.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(iv));
            dec.doFinal(ct, 0, n, back, 0);
        };
    }

    private static String shortName(EncryptionAlgorithm a) {
        return switch (a) {
            case AES_GCM_16_128 -> "aes128gcm";
            case AES_GCM_16_256 -> "aes256gcm";
            case CHACHA20_POLY1305 -> "chacha20poly1305";
            case AES_CBC_128 -> "aes128cbc-sha256";
            case AES_CBC_256 -> "aes256cbc-sha256";
        };
    }

    private void run() throws Exception {
        byte[] key = new byte[80];
        new Random(7).nextBytes(key);
        System.out.printf(Locale.ROOT, "# ESP encap+decap vs raw JCE encrypt+decrypt, one core, %s %s, %.1f s per figure%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), seconds);
        System.out.printf(Locale.ROOT, "# %-28s %12s %9s %12s %9s %6s %10s %10s%n",
                "case", "esp pkt/s", "Gbit/s", "raw pkt/s", "Gbit/s", "ratio", "esp B/pkt", "raw B/pkt");
        double finalRatio = Double.NaN;
        EncryptionAlgorithm[] order = {EncryptionAlgorithm.AES_GCM_16_128, EncryptionAlgorithm.CHACHA20_POLY1305,
                EncryptionAlgorithm.AES_CBC_128, EncryptionAlgorithm.AES_CBC_256, EncryptionAlgorithm.AES_GCM_16_256};
        for (EncryptionAlgorithm alg : order) {
            for (int size : SIZES) {
                Workload ours = esp(alg, size, key);
                Workload theirs = raw(alg, size, key);
                // Alternate and keep the best of each: the machine is shared, noise only ever slows a run down.
                Result bestOurs = null;
                Result bestRaw = null;
                int rounds = alg == EncryptionAlgorithm.AES_GCM_16_256 && size == 1400 ? 3 : 2;
                for (int r = 0; r < rounds; r++) {
                    Result o = measure(ours);
                    Result w = measure(theirs);
                    bestOurs = bestOurs == null || o.pps > bestOurs.pps ? o : bestOurs;
                    bestRaw = bestRaw == null || w.pps > bestRaw.pps ? w : bestRaw;
                }
                double ratio = bestOurs.pps / bestRaw.pps;
                System.out.printf(Locale.ROOT, "esp-%-28s %12.0f %9.2f %12.0f %9.2f %6.2f %10.1f %10.1f%n",
                        shortName(alg) + "-" + size, bestOurs.pps, bestOurs.pps * size * 8 / 1e9,
                        bestRaw.pps, bestRaw.pps * size * 8 / 1e9, ratio, bestOurs.bytesPerPacket, bestRaw.bytesPerPacket);
                if (alg == EncryptionAlgorithm.AES_GCM_16_256 && size == 1400) {
                    finalRatio = ratio;
                }
            }
        }
        System.out.printf(Locale.ROOT, "esp-vs-raw-aes256gcm-1400: %.2f%n", finalRatio);
    }
}

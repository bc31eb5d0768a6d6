package org.cevpn.ipsec.ike.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.LongSupplier;
import org.cevpn.ipsec.ike.crypto.DiffieHellman;
import org.cevpn.ipsec.ike.crypto.InvalidPublicValueException;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeEncoder;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.task.Cookies;
import org.cevpn.ipsec.ike.task.Endpoints;
import org.cevpn.ipsec.ike.task.IkeInitConfig;
import org.cevpn.ipsec.ike.task.IkeInitInitiator;
import org.cevpn.ipsec.ike.task.IkeInitResponder;

/**
 * Prints what IKE_SA_INIT costs in CPU here, one thread: codec round trips, each DH group's key
 * generation plus agreement, and complete in-memory IKE_SA_INIT exchanges (both sides' work) per
 * group. The comparison is the groups against each other and the codec against the crypto; the
 * DESIGN.md figure for strongSwan (INIT+AUTH, MODP-2048, 11.7 ms on the wire) is for reference.
 * A benchmark, not a test: it never fails on a time.
 *
 * <p>Run: {@code java -cp ipsec-dataplane/target/classes:$(cat ipsec-dataplane/target/runtime.classpath)
 * org.cevpn.ipsec.ike.bench.IkeInitBenchmark [seconds-per-figure]}
 */
public final class IkeInitBenchmark {
    private static final SecureRandom RANDOM = new SecureRandom();

    private IkeInitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        InetSocketAddress i = new InetSocketAddress(InetAddress.getLoopbackAddress(), 500);
        InetSocketAddress r = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 500);
        System.out.printf("IKE_SA_INIT benchmark, %s, %.1f s per figure, 1 thread%n", Runtime.version(), seconds);

        byte[] request = new IkeInitInitiator(config(DhGroup.MODP_2048), new Endpoints(i, r), 1, RANDOM).request();
        report("codec: decode+encode IKE_SA_INIT request (" + request.length + " octets)", seconds, () -> {
            try {
                return IkeEncoder.encode(IkeDecoder.decode(request).message()).length;
            } catch (IkeDecodeException e) {
                throw new IllegalStateException(e);
            }
        });
        for (DhGroup g : List.of(DhGroup.CURVE25519, DhGroup.ECP_256, DhGroup.ECP_384, DhGroup.MODP_2048)) {
            DiffieHellman dh = DiffieHellman.of(g).orElseThrow();
            byte[] peer = dh.generate(RANDOM).publicValue();
            report("DH " + g + ": key pair + shared secret", seconds, () -> {
                try {
                    var share = dh.generate(RANDOM);
                    return share.sharedSecret(peer).length + share.publicValue().length;
                } catch (InvalidPublicValueException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        Cookies cookies = new Cookies(RANDOM);
        for (DhGroup g : List.of(DhGroup.CURVE25519, DhGroup.ECP_256, DhGroup.MODP_2048)) {
            IkeInitConfig config = config(g);
            report("IKE_SA_INIT both sides, " + g + " (request, response, keys)", seconds, () -> {
                try {
                    IkeInitInitiator init = new IkeInitInitiator(config, new Endpoints(i, r), RANDOM.nextLong() | 1, RANDOM);
                    byte[] req = init.request();
                    var answer = new IkeInitResponder(config, new Endpoints(r, i), RANDOM, cookies)
                            .onRequest(IkeDecoder.decode(req), req, false, RANDOM.nextLong() | 1);
                    byte[] resp = ((IkeInitResponder.Outcome.Established) answer).response();
                    var done = init.onResponse(IkeDecoder.decode(resp), resp);
                    return ((IkeInitInitiator.Outcome.Established) done).result().responderSpi();
                } catch (IkeDecodeException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static IkeInitConfig config(DhGroup group) {
        return new IkeInitConfig(List.of(new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_CBC, 256),
                Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128),
                Transform.dhGroup(group)))), true, List.of(HashAlgorithm.SHA2_256));
    }

    private static long sink;

    private static void report(String what, double seconds, LongSupplier op) {
        long warm = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warm) {
            sink += op.getAsLong();
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            sink += op.getAsLong();
            n++;
            now = System.nanoTime();
        } while (now < end);
        double perSecond = n / ((now - start) / 1e9);
        System.out.printf("  %-62s %10.0f /s  %9.1f us each%n", what, perSecond, 1e6 / perSecond);
    }
}

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
 * Prints what IKE costs in CPU here, one thread: codec round trips, each DH group's key
 * generation plus agreement, complete in-memory IKE_SA_INIT exchanges (both sides' work) per
 * group, and whole tunnels (IKE_SA_INIT + IKE_AUTH + child SA) between two engines. The comparison is the groups against each other and the codec against the crypto; the
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
        engines(seconds);
    }

    /** Two engines, in memory: IKE_SA_INIT and IKE_AUTH with a child SA, both sides' whole work. */
    private static void engines(double seconds) throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        report("engine to engine: IKE_SA_INIT + IKE_AUTH + child SA, X25519, PSK", seconds, () -> {
            try {
                org.cevpn.ipsec.ike.engine.IkeEngine ea = engine(a, b);
                org.cevpn.ipsec.ike.engine.IkeEngine eb = engine(b, a);
                java.util.ArrayDeque<org.cevpn.ipsec.ike.engine.Outbound> toB = new java.util.ArrayDeque<>(ea.initiate(b));
                java.util.ArrayDeque<org.cevpn.ipsec.ike.engine.Outbound> toA = new java.util.ArrayDeque<>();
                while (!toA.isEmpty() || !toB.isEmpty()) {
                    org.cevpn.ipsec.ike.engine.Outbound o;
                    if ((o = toB.poll()) != null) {
                        toA.addAll(eb.receive(o.message(), new InetSocketAddress(a, o.to().getPort()), o.viaNatT()));
                    }
                    if ((o = toA.poll()) != null) {
                        toB.addAll(ea.receive(o.message(), new InetSocketAddress(b, o.to().getPort()), o.viaNatT()));
                    }
                }
                return ea.drainEvents().size() + eb.drainEvents().size();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static org.cevpn.ipsec.ike.engine.IkeEngine engine(InetAddress me, InetAddress peer) throws Exception {
        byte[] psk = "bench".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        org.cevpn.ipsec.ike.message.TrafficSelector any = org.cevpn.ipsec.ike.message.TrafficSelector.range(
                InetAddress.getByName("10.0.0.0"), InetAddress.getByName("10.255.255.255"));
        Proposal esp = new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256),
                Transform.sequenceNumbers(org.cevpn.ipsec.ike.message.SequenceNumbers.NO_ESN)));
        var auth = new org.cevpn.ipsec.ike.task.IkeAuthConfig(org.cevpn.ipsec.ike.task.Identity.address(me),
                new org.cevpn.ipsec.ike.task.Credentials.OwnSharedKey(psk), org.cevpn.ipsec.ike.task.Identity.address(peer),
                new org.cevpn.ipsec.ike.task.Credentials.PeerSharedKey(psk), false,
                new org.cevpn.ipsec.ike.task.ChildSaConfig(List.of(esp), List.of(any), List.of(any)));
        var ike = new IkeInitConfig(List.of(new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, List.of(
                Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                Transform.dhGroup(DhGroup.CURVE25519)))), true, List.of(HashAlgorithm.SHA2_256));
        return new org.cevpn.ipsec.ike.engine.IkeEngine(new org.cevpn.ipsec.ike.engine.EngineConfig(me, 500, 4500, ike,
                List.of(new org.cevpn.ipsec.ike.engine.PeerConfig(peer, auth)), 1000,
                org.cevpn.ipsec.ike.sa.RetransmitPolicy.STRONGSWAN_DEFAULT, 1280), RANDOM, java.time.Clock.systemUTC());
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

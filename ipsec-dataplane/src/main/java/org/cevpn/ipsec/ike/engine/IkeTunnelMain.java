package org.cevpn.ipsec.ike.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cevpn.ipsec.dataplane.DataPlane;
import org.cevpn.ipsec.dataplane.IkeQueue;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.ike.crypto.CertificateChainValidator;
import org.cevpn.ipsec.ike.crypto.SignatureScheme;
import org.cevpn.ipsec.ike.message.DhGroup;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.HashAlgorithm;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.PseudorandomFunction;
import org.cevpn.ipsec.ike.message.SequenceNumbers;
import org.cevpn.ipsec.ike.message.Transform;
import org.cevpn.ipsec.ike.sa.RetransmitPolicy;
import org.cevpn.ipsec.ike.task.ChildSaConfig;
import org.cevpn.ipsec.ike.task.ChildSaResult;
import org.cevpn.ipsec.ike.task.Credentials;
import org.cevpn.ipsec.ike.task.IkeAuthConfig;
import org.cevpn.ipsec.ike.task.IkeInitConfig;
import org.cevpn.ipsec.ike.task.Identity;
import org.cevpn.ipsec.io.TunDevice;
import org.cevpn.ipsec.io.UdpSockets;

/**
 * One CE with one peer, end to end in one process: TUN + ESP data plane + IKE engine + tunnel
 * supervisor, the child SAs IKE negotiates installed in the SAD as they come. The interop tests run
 * it in a namespace opposite strongSwan. Prints "ready" and then one {@code event ...} line per IKE
 * event on standard output; reads commands on standard input: {@code initiate}, {@code rekey-child},
 * {@code rekey-ike}, {@code delete-child}, {@code delete-ike}, {@code liveness}, {@code status}.
 *
 * <pre>
 * IkeTunnelMain --tun tun0 --local 192.0.2.1 --peer 198.51.100.1 --local-id ce1.example.net --peer-id ce2.example.net
 *               (--psk HEX | --cert PEM --key PKCS8-PEM --ca PEM) --local-ts 10.1.0.0/24 --remote-ts 10.2.0.0/24
 *               [--suite gcm|cbc] [--permanent] [--liveness S] [--ike-lifetime S] [--child-lifetime S] [--child-lifetime-octets N]
 * </pre>
 */
public final class IkeTunnelMain {
    private IkeTunnelMain() {
    }

    /** The IKE and ESP proposals of one suite: AES-GCM, or AES-CBC with HMAC-SHA2 (both with ECP-256). */
    static List<Proposal> ikeProposals(String suite) {
        List<Transform> t = suite.equals("cbc")
                ? List.of(Transform.encryption(EncryptionAlgorithm.AES_CBC, 256), Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128),
                        Transform.prf(PseudorandomFunction.HMAC_SHA2_256), Transform.dhGroup(DhGroup.ECP_256))
                : List.of(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.prf(PseudorandomFunction.HMAC_SHA2_256),
                        Transform.dhGroup(DhGroup.ECP_256));
        return List.of(new Proposal(1, ProtocolId.IKE.value(), Octets.EMPTY, t));
    }

    static List<Proposal> espProposals(String suite) {
        List<Transform> base = suite.equals("cbc")
                ? List.of(Transform.encryption(EncryptionAlgorithm.AES_CBC, 256), Transform.integrity(IntegrityAlgorithm.HMAC_SHA2_256_128),
                        Transform.sequenceNumbers(SequenceNumbers.NO_ESN))
                : List.of(Transform.encryption(EncryptionAlgorithm.AES_GCM_16, 256), Transform.sequenceNumbers(SequenceNumbers.NO_ESN));
        List<Transform> pfs = new ArrayList<>(base);
        pfs.add(Transform.dhGroup(DhGroup.ECP_256));
        // Without and with PFS: the first child SA never has a KE; rekeys may.
        return List.of(new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, base), new Proposal(2, ProtocolId.ESP.value(), Octets.EMPTY, pfs));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--permanent")) {
                o.put("permanent", "yes");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                o.put(args[i].substring(2), args[++i]);
            } else {
                usage("bad argument " + args[i]);
            }
        }
        for (String required : List.of("tun", "local", "peer", "local-id", "peer-id", "local-ts", "remote-ts")) {
            if (!o.containsKey(required)) {
                usage("--" + required + " is required");
            }
        }
        String suite = o.getOrDefault("suite", "gcm");
        InetAddress local = InetAddress.ofLiteral(o.get("local"));
        InetAddress peer = InetAddress.ofLiteral(o.get("peer"));
        InetSocketAddress peerNatT = new InetSocketAddress(peer, 4500);

        Credentials.Own own;
        Credentials.Peer theirs;
        if (o.containsKey("psk")) {
            byte[] psk = HexFormat.of().parseHex(o.get("psk"));
            own = new Credentials.OwnSharedKey(psk);
            theirs = new Credentials.PeerSharedKey(psk);
        } else if (o.containsKey("cert") && o.containsKey("key") && o.containsKey("ca")) {
            X509Certificate cert = certificate(Path.of(o.get("cert")));
            PrivateKey key = privateKey(Path.of(o.get("key")), cert.getPublicKey().getAlgorithm());
            own = new Credentials.OwnCertificate(List.of(cert), key,
                    key.getAlgorithm().equals("EC") ? SignatureScheme.ECDSA_SHA256 : SignatureScheme.RSA_PSS_SHA256);
            theirs = new Credentials.PeerCertificate(new CertificateChainValidator(List.of(certificate(Path.of(o.get("ca"))))),
                    EnumSet.allOf(SignatureScheme.class));
        } else {
            usage("--psk, or --cert, --key and --ca");
            return;
        }
        ChildSaConfig child = new ChildSaConfig(espProposals(suite), List.of(ts(o.get("local-ts"))), List.of(ts(o.get("remote-ts"))));
        IkeAuthConfig auth = new IkeAuthConfig(Identity.fqdn(o.get("local-id")), own, Identity.fqdn(o.get("peer-id")), theirs, true, child);
        EngineConfig config = new EngineConfig(local, 500, 4500,
                new IkeInitConfig(ikeProposals(suite), true, List.of(HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512)),
                List.of(new PeerConfig(peer, auth)), 50, new RetransmitPolicy(Duration.ofSeconds(1), 1.5, 3), 1280);
        long liveness = Long.parseLong(o.getOrDefault("liveness", "0"));
        TunnelPolicy defaults = TunnelPolicy.permanentDefaults();
        TunnelPolicy policy = new TunnelPolicy(o.containsKey("permanent"), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(60),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("ike-lifetime", Long.toString(defaults.ikeLifetime().toSeconds())))),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("child-lifetime", Long.toString(defaults.childLifetime().toSeconds())))),
                0.1, 0.1, Duration.ofSeconds(liveness), o.containsKey("permanent") ? Duration.ZERO : Duration.ofDays(1), Duration.ZERO,
                Long.parseLong(o.getOrDefault("child-lifetime-octets", "0")));

        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        IkeQueue queue = new IkeQueue(256);
        // The SAD's soft-expiry events reach the supervisor through the service, created just below.
        IkeService[] service = new IkeService[1];
        SecurityAssociationDatabase sad = new SecurityAssociationDatabase(e -> {
            if (service[0] != null) {
                service[0].saEvents().onSaEvent(e);
            }
        });
        ChildSaInstaller installer = new ChildSaInstaller(sad);
        IkeEngine engine = new IkeEngine(config, random, clock, spi -> sad.inbound(spi) != null);
        TunnelSupervisor supervisor = new TunnelSupervisor(engine, Map.of(peer, policy), new SadChildTraffic(sad), clock, random);
        UdpSockets sockets = new UdpSockets(new InetSocketAddress(local, 4500), new InetSocketAddress(local, 500));
        List<ChildSaResult> children = java.util.Collections.synchronizedList(new ArrayList<>());
        service[0] = new IkeService(engine, supervisor, queue, sockets, event -> {
            switch (event) {
                case IkeEvent.ChildSaUp up -> {
                    installer.install(up.child(), peerNatT, policy.childSaLifetime(random.nextDouble()));
                    children.add(up.child());
                }
                case IkeEvent.ChildSaDown down -> {
                    installer.remove(down.child(), peerNatT);
                    children.remove(down.child());
                }
                case IkeEvent.IkeSaDown down -> down.children().forEach(c -> {
                    installer.remove(c, peerNatT);
                    children.remove(c);
                });
                default -> { }
            }
            System.out.println("event " + describe(event));
            System.out.flush();
        }, clock);
        DataPlane dp = new DataPlane(sad, TunDevice.open(o.get("tun"), false), sockets, queue, null, null, service[0].trafficWithoutSa());
        dp.start();
        service[0].start();
        System.out.println("ready " + o.get("tun") + " " + sockets.ikeAddress());
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String command = line.trim();
            switch (command) {
                case "initiate" -> service[0].submit(e -> e.initiate(peer));
                case "rekey-child" -> service[0].submit(e -> e.rekeyChildSa(peer, e.childSas(peer).getLast(), Optional.empty()));
                case "rekey-child-pfs" -> service[0].submit(e -> e.rekeyChildSa(peer, e.childSas(peer).getLast(), Optional.of(DhGroup.ECP_256)));
                case "rekey-ike" -> service[0].submit(e -> e.rekeyIkeSa(peer));
                case "delete-child" -> service[0].submit(e -> e.deleteChildSa(peer, e.childSas(peer).getLast()));
                case "delete-ike" -> service[0].submit(e -> e.deleteIkeSa(peer));
                case "liveness" -> service[0].submit(e -> e.checkLiveness(peer));
                case "status" -> service[0].submit(e -> {
                    System.out.println("status ike-sas=" + e.ikeSaCount() + " children=" + e.childSas(peer).size()
                            + " esp-sent=" + dp.espSent() + " esp-delivered=" + dp.espDelivered() + " drops=" + dp.drops());
                    System.out.flush();
                    return List.of();
                });
                case "" -> { }
                default -> System.out.println("error unknown command " + command);
            }
        }
        service[0].close();
        dp.close();
    }

    /** An event for the log: SPIs and reasons, never keys. */
    static String describe(IkeEvent event) {
        return switch (event) {
            case IkeEvent.ChildSaUp up -> "ChildSaUp in=" + Integer.toHexString(up.child().inboundSpi())
                    + " out=" + Integer.toHexString(up.child().outboundSpi());
            case IkeEvent.ChildSaDown down -> "ChildSaDown in=" + Integer.toHexString(down.child().inboundSpi())
                    + " out=" + Integer.toHexString(down.child().outboundSpi());
            case IkeEvent.ChildSaRekeyed r -> "ChildSaRekeyed old-in=" + Integer.toHexString(r.old().inboundSpi())
                    + " new-in=" + Integer.toHexString(r.replacement().inboundSpi());
            case IkeEvent.IkeSaDown d -> "IkeSaDown spi=" + Long.toHexString(d.initiatorSpi()) + " children=" + d.children().size()
                    + " reason=" + d.reason();
            default -> event.toString();
        };
    }

    /** An IPv4 or IPv6 prefix as the address range of an IKE traffic selector. */
    static org.cevpn.ipsec.ike.message.TrafficSelector ts(String cidr) throws IOException {
        String[] parts = cidr.split("/");
        byte[] start = InetAddress.ofLiteral(parts[0]).getAddress();
        int bits = Integer.parseInt(parts[1]);
        byte[] end = start.clone();
        for (int i = 0; i < start.length * 8; i++) {
            if (i >= bits) {
                start[i / 8] &= (byte) ~(0x80 >>> (i % 8));
                end[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        return org.cevpn.ipsec.ike.message.TrafficSelector.range(InetAddress.getByAddress(start), InetAddress.getByAddress(end));
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(Path pem, String algorithm) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static void usage(String why) {
        System.err.println("ike-tunnel: " + why);
        System.err.println("usage: IkeTunnelMain --tun NAME --local ADDR --peer ADDR --local-id FQDN --peer-id FQDN "
                + "(--psk HEX | --cert PEM --key PEM --ca PEM) --local-ts CIDR --remote-ts CIDR [--suite gcm|cbc] [--permanent] "
                + "[--liveness S] [--ike-lifetime S] [--child-lifetime S] [--child-lifetime-octets N]");
        System.exit(2);
    }
}

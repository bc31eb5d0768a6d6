package org.cevpn.ipsec.esp;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;

/**
 * Everything needed to install one unidirectional SA: what IKE negotiates, or what a controller
 * distributes itself in the IKE-less case (RFC 9061). Keys are {@link SecretBytes}, so the record's
 * toString never shows them.
 *
 * @param peer outbound: the peer CE's UDP encapsulation endpoint; inbound: the peer CE's address
 *             (checked in {@link Mode#TRANSPORT_IPIP}, informational in tunnel mode where NAT may move it)
 * @param localSelectors our side's selectors (source of outbound, destination of inbound packets)
 * @param remoteSelectors the peer side's selectors; in {@link Mode#TRANSPORT_IPIP} both are the IP-in-IP
 *                        interface's routes as installed, may be empty, and may be replaced later
 *                        ({@link SecurityAssociationDatabase#replaceIpIpRoutes})
 * @param superPackets outbound: the peer accepts ESP packets carrying TCP super-packets larger than the
 *                     path MTU (it is this data plane with TUN offloads; the UDP datagram is IP-fragmented
 *                     on the way). Without it, super-packets are segmented to their MSS before ESP.
 */
public record SaConfig(Direction direction, int spi, Mode mode,
                       EncryptionAlgorithm encryption, SecretBytes encryptionKey,
                       IntegrityAlgorithm integrity, SecretBytes integrityKey,
                       boolean esn, int replayWindow, Lifetime lifetime,
                       List<TrafficSelector> localSelectors, List<TrafficSelector> remoteSelectors,
                       InetSocketAddress peer, boolean superPackets) {

    public SaConfig {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(encryptionKey, "encryption key");
        Objects.requireNonNull(integrity, "integrity");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(peer, "peer");
        if (spi >= 0 && spi < 256) {
            throw new IllegalArgumentException("SPI values 0-255 are reserved (RFC 4303 §2.1): " + spi);
        }
        if (encryptionKey.length() != encryption.keyMaterialLength()) {
            throw new IllegalArgumentException(encryption + " needs " + encryption.keyMaterialLength()
                    + " bytes of key material, got " + encryptionKey.length());
        }
        if (encryption.isAead() != (integrity == IntegrityAlgorithm.NONE)) {
            throw new IllegalArgumentException(encryption.isAead()
                    ? encryption + " is combined mode: integrity must be NONE"
                    : encryption + " needs an integrity algorithm");
        }
        if (integrity != IntegrityAlgorithm.NONE
                && (integrityKey == null || integrityKey.length() != integrity.keyLength())) {
            throw new IllegalArgumentException(integrity + " needs a " + integrity.keyLength() + "-byte key");
        }
        new ReplayWindow(replayWindow); // validates the size with a clear message
        localSelectors = List.copyOf(localSelectors);
        remoteSelectors = List.copyOf(remoteSelectors);
        // An IP-in-IP interface whose routes a routing protocol learns has none before the first is learned.
        if (mode == Mode.TUNNEL && (localSelectors.isEmpty() || remoteSelectors.isEmpty())) {
            throw new IllegalArgumentException("an SA needs at least one local and one remote traffic selector");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: tunnel mode, AES-GCM-16-256, ESN on, 1024-packet window, no lifetime limits. */
    public static final class Builder {
        private Direction direction;
        private int spi;
        private Mode mode = Mode.TUNNEL;
        private EncryptionAlgorithm encryption = EncryptionAlgorithm.AES_GCM_16_256;
        private SecretBytes encryptionKey;
        private IntegrityAlgorithm integrity = IntegrityAlgorithm.NONE;
        private SecretBytes integrityKey;
        private boolean esn = true;
        private int replayWindow = ReplayWindow.DEFAULT_SIZE;
        private Lifetime lifetime = Lifetime.UNLIMITED;
        private List<TrafficSelector> local = List.of();
        private List<TrafficSelector> remote = List.of();
        private InetSocketAddress peer;
        private boolean superPackets;

        public Builder direction(Direction d) { this.direction = d; return this; }
        public Builder spi(int s) { this.spi = s; return this; }
        public Builder mode(Mode m) { this.mode = m; return this; }
        public Builder encryption(EncryptionAlgorithm e, SecretBytes key) { this.encryption = e; this.encryptionKey = key; return this; }
        public Builder integrity(IntegrityAlgorithm i, SecretBytes key) { this.integrity = i; this.integrityKey = key; return this; }
        public Builder esn(boolean on) { this.esn = on; return this; }
        public Builder replayWindow(int w) { this.replayWindow = w; return this; }
        public Builder lifetime(Lifetime l) { this.lifetime = l; return this; }
        public Builder localSelectors(List<TrafficSelector> ts) { this.local = ts; return this; }
        public Builder remoteSelectors(List<TrafficSelector> ts) { this.remote = ts; return this; }
        public Builder peer(InetSocketAddress p) { this.peer = p; return this; }
        public Builder superPackets(boolean on) { this.superPackets = on; return this; }

        public SaConfig build() {
            return new SaConfig(direction, spi, mode, encryption, encryptionKey, integrity, integrityKey, esn,
                    replayWindow, lifetime, local, remote, peer, superPackets);
        }
    }
}

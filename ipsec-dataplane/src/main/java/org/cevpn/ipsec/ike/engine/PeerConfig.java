package org.cevpn.ipsec.ike.engine;

import java.net.InetAddress;
import java.util.List;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.task.IkeAuthConfig;

/**
 * A peer CE this CE builds a tunnel with (draft-ietf-l3vpn-ce-based §4: the VPN server tells each
 * CE its peers): its address and IKE ports (500 and 4500 unless a test says otherwise), the
 * IKE_AUTH settings (identities, credentials, child SA), and the IKE SA proposals configured for it
 * (its tuple's {@code sa-information/ike}). With those the engine offers, as initiator, exactly that
 * peer's suite and, as responder, accepts from that address only that suite; empty means the
 * engine's own list ({@link EngineConfig#ike()}).
 */
public record PeerConfig(InetAddress address, int ikePort, int natTPort, IkeAuthConfig auth, List<Proposal> ikeProposals) {
    public PeerConfig {
        ikeProposals = List.copyOf(ikeProposals);
        for (int i = 0; i < ikeProposals.size(); i++) {
            Proposal p = ikeProposals.get(i);
            if (p.protocolId() != org.cevpn.ipsec.ike.message.ProtocolId.IKE.value() || p.number() != i + 1 || !p.spi().isEmpty()) {
                throw new IllegalArgumentException("a peer's IKE proposals are IKE, numbered 1.., without SPI");
            }
        }
    }

    public PeerConfig(InetAddress address, int ikePort, int natTPort, IkeAuthConfig auth) {
        this(address, ikePort, natTPort, auth, List.of());
    }

    public PeerConfig(InetAddress address, IkeAuthConfig auth) {
        this(address, 500, 4500, auth);
    }

    /** This peer with its own IKE proposals (numbered from 1, protocol IKE, as IKE_SA_INIT carries them). */
    public PeerConfig withIkeProposals(List<Proposal> proposals) {
        return new PeerConfig(address, ikePort, natTPort, auth, proposals);
    }
}

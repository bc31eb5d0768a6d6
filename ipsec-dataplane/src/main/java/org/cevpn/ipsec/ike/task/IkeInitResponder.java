package org.cevpn.ipsec.ike.task;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.crypto.DiffieHellman;
import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.crypto.InvalidPublicValueException;
import org.cevpn.ipsec.ike.crypto.KeyDerivation;
import org.cevpn.ipsec.ike.crypto.KeyLengths;
import org.cevpn.ipsec.ike.crypto.Prf;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.ExchangeType;
import org.cevpn.ipsec.ike.message.IkeEncoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.IkeMessage;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.cevpn.ipsec.ike.message.TransformType;

/**
 * The responder's IKE_SA_INIT task: answers one request with a COOKIE challenge (when the caller
 * says the half-open threshold is reached, RFC 7296 §2.6), NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD
 * with the group it wants (§1.2), INVALID_SYNTAX for a request missing its payloads or carrying
 * an invalid KE value, or the full response with SA, KE, Nr and NAT detection (§2.23). Error
 * answers carry a zero responder SPI and create no state. Not thread-safe: one task per request.
 */
public final class IkeInitResponder {
    private final IkeInitConfig config;
    private final Endpoints endpoints;
    private final SecureRandom random;
    private final Cookies cookies;

    /** The answer to one request. */
    public sealed interface Outcome {
        /** Send {@code response}; no IKE SA was created. */
        record Refused(byte[] response, NotifyType error, String reason) implements Outcome {
        }

        /** Send {@code response}; the IKE SA is half-open with these keys, awaiting IKE_AUTH. */
        record Established(byte[] response, IkeInitResult result) implements Outcome {
        }

        /** Nothing to send (not an IKE_SA_INIT request we can answer); counted by the caller. */
        record Dropped(String reason) implements Outcome {
        }
    }

    public IkeInitResponder(IkeInitConfig config, Endpoints endpoints, SecureRandom random, Cookies cookies) {
        this.config = config;
        this.endpoints = endpoints;
        this.random = random;
        this.cookies = cookies;
    }

    /**
     * @param raw            the request's octets as received (signed later by the initiator's AUTH)
     * @param cookieRequired the caller's half-open count is at or above its threshold
     * @param newSpi         our SPI for the IKE SA, if one is created
     */
    public Outcome onRequest(DecodedMessage request, byte[] raw, boolean cookieRequired, long newSpi) {
        return onRequest(request, raw, cookieRequired, newSpi, Optional.empty());
    }

    /**
     * @param certificateRequest a CERTREQ naming the CAs we trust, for a peer that authenticates with a
     *                           certificate: RFC 7296 §3.7 puts the responder's in the IKE_SA_INIT
     *                           response, and peers like strongSwan (send_cert = ifasked) send their
     *                           certificate in IKE_AUTH only when asked
     */
    public Outcome onRequest(DecodedMessage request, byte[] raw, boolean cookieRequired, long newSpi,
                             Optional<Payload.CertificateRequest> certificateRequest) {
        IkeHeader h = request.header();
        if (h.response() || !h.initiator() || h.messageId() != 0 || h.responderSpi() != 0 || h.initiatorSpi() == 0
                || h.exchangeType() != ExchangeType.IKE_SA_INIT.value()) {
            return new Outcome.Dropped("not an initial IKE_SA_INIT request: " + h);
        }
        if (newSpi == 0) {
            throw new IllegalArgumentException("the responder SPI must not be zero");
        }
        IkeMessage m = request.message();
        long spiI = h.initiatorSpi();
        Optional<Payload.SecurityAssociation> sa = m.first(Payload.SecurityAssociation.class);
        Optional<Payload.KeyExchange> ke = m.first(Payload.KeyExchange.class);
        Optional<Payload.Nonce> ni = m.first(Payload.Nonce.class);
        if (sa.isEmpty() || ke.isEmpty() || ni.isEmpty()) {
            return refuse(spiI, NotifyType.INVALID_SYNTAX, Octets.EMPTY, "request lacks SA, KE or Ni");
        }
        if (cookieRequired) {
            byte[] niBytes = ni.get().data().toByteArray();
            Optional<Payload.Notify> cookie = m.notify(NotifyType.COOKIE);
            boolean valid = cookie.isPresent()
                    && cookies.verify(cookie.get().data().toByteArray(), niBytes, endpoints.remote().getAddress(), spiI);
            if (!valid) {
                Octets fresh = Octets.copyOf(cookies.issue(niBytes, endpoints.remote().getAddress(), spiI));
                return refuse(spiI, NotifyType.COOKIE, fresh,
                        cookie.isPresent() ? "stale or forged cookie" : "half-open threshold reached");
            }
        }
        int offeredGroup = ke.get().dhGroup();
        Optional<Proposal> chosen = ProposalSelector.select(sa.get().proposals(), config.proposals(),
                ProtocolId.IKE.value(), offeredGroup);
        if (chosen.isEmpty()) {
            return refuse(spiI, NotifyType.NO_PROPOSAL_CHOSEN, Octets.EMPTY, "no acceptable proposal");
        }
        int group = chosen.get().transforms(TransformType.KEY_EXCHANGE).getFirst().id();
        if (group != offeredGroup) {
            return refuse(spiI, NotifyType.INVALID_KE_PAYLOAD, Octets.copyOf(new byte[] {(byte) (group >>> 8), (byte) group}),
                    "KE for group " + offeredGroup + ", chosen group " + group);
        }
        Prf prf = Prf.of(chosen.get().transforms(TransformType.PRF).getFirst().id()).orElseThrow(
                () -> new IllegalStateException("configured proposal with a PRF we do not implement"));
        DiffieHellman.KeyShare share = DiffieHellman.of(group).orElseThrow(
                () -> new IllegalStateException("configured proposal with a DH group we do not implement")).generate(random);
        byte[] shared;
        try {
            shared = share.sharedSecret(ke.get().keyData().toByteArray());
        } catch (InvalidPublicValueException e) {
            share.destroy();
            return refuse(spiI, NotifyType.INVALID_SYNTAX, Octets.EMPTY, "initiator's KE: " + e.getMessage());
        }
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        byte[] niBytes = ni.get().data().toByteArray();
        byte[] skeyseed = KeyDerivation.skeyseed(prf, niBytes, nonce, shared);
        Arrays.fill(shared, (byte) 0);
        IkeSaKeys keys = KeyDerivation.ikeSaKeys(prf, skeyseed, niBytes, nonce, spiI, newSpi, KeyLengths.forIke(chosen.get()));
        Arrays.fill(skeyseed, (byte) 0);

        boolean peerFragments = m.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isPresent();
        List<Payload> payloads = new ArrayList<>();
        payloads.add(new Payload.SecurityAssociation(List.of(chosen.get())));
        payloads.add(new Payload.KeyExchange(group, Octets.copyOf(share.publicValue())));
        share.destroy();
        payloads.add(new Payload.Nonce(Octets.copyOf(nonce)));
        payloads.addAll(InitPayloads.natDetection(spiI, newSpi, endpoints));
        certificateRequest.ifPresent(payloads::add);
        // Announce extensions only to peers that announced them (RFC 7383 §2.3, RFC 7427 §4).
        for (Payload p : InitPayloads.extensions(config)) {
            Payload.Notify n = (Payload.Notify) p;
            boolean peerAnnounced = m.all(Payload.Notify.class).stream().anyMatch(x -> x.notifyType() == n.notifyType());
            if (peerAnnounced) {
                payloads.add(p);
            }
        }
        byte[] response = IkeEncoder.encode(new IkeMessage(
                new IkeHeader(spiI, newSpi, ExchangeType.IKE_SA_INIT, false, true, 0), payloads));

        // Request hashes use SPIr = 0: the initiator did not know ours yet.
        boolean remoteBehindNat = !InitPayloads.matchesOrAbsent(m, NotifyType.NAT_DETECTION_SOURCE_IP, spiI, 0, endpoints.remote());
        boolean localBehindNat = !InitPayloads.matchesOrAbsent(m, NotifyType.NAT_DETECTION_DESTINATION_IP, spiI, 0, endpoints.local());
        return new Outcome.Established(response, new IkeInitResult(spiI, newSpi, chosen.get(), prf, keys,
                ni.get().data(), Octets.copyOf(nonce), Octets.copyOf(raw), Octets.copyOf(response),
                localBehindNat, remoteBehindNat, peerFragments && config.fragmentation(), InitPayloads.signatureHashes(m)));
    }

    private static Outcome refuse(long spiI, NotifyType type, Octets data, String reason) {
        IkeHeader h = new IkeHeader(spiI, 0, ExchangeType.IKE_SA_INIT, false, true, 0);
        byte[] response = IkeEncoder.encode(new IkeMessage(h, List.of(Payload.Notify.of(type, data))));
        return new Outcome.Refused(response, type, reason);
    }
}

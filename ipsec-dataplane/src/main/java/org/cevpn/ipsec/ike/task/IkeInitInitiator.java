package org.cevpn.ipsec.ike.task;

import java.security.SecureRandom;
import java.util.ArrayList;
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
 * The initiator's IKE_SA_INIT task (RFC 7296 §1.2, strongSwan's ike_init): builds the request,
 * and reads the response, which either completes the exchange or asks for a retry with a COOKIE
 * (§2.6) or another DH group (INVALID_KE_PAYLOAD, §1.2). Retries keep the SPI and the nonce, as
 * the cookie is bound to both. Not thread-safe: one task per IKE SA, driven by its owner.
 */
public final class IkeInitInitiator {
    /** Retries of each kind before we give up: a peer that keeps asking is broken or hostile. */
    static final int MAX_RETRIES = 3;

    private final IkeInitConfig config;
    private final Endpoints endpoints;
    private final long spi;
    private final SecureRandom random;
    private final byte[] nonce;
    private DiffieHellman.KeyShare share;
    private Octets cookie;
    private byte[] request;
    private int cookieRetries;
    private int groupRetries;
    private boolean finished;

    /** What the response means for the exchange. */
    public sealed interface Outcome {
        /** Send this request (message id 0 again, RFC 7296 §2.6) and wait for the next response. */
        record Retry(byte[] request, String reason) implements Outcome {
        }

        record Established(IkeInitResult result) implements Outcome {
        }

        /** The exchange is over without an IKE SA; {@code peerError} is the notify the peer answered with, if it sent one. */
        record Failed(String reason, Optional<NotifyType> peerError) implements Outcome {
        }
    }

    public IkeInitInitiator(IkeInitConfig config, Endpoints endpoints, long spi, SecureRandom random) {
        if (spi == 0) {
            throw new IllegalArgumentException("the initiator SPI must not be zero");
        }
        this.config = config;
        this.endpoints = endpoints;
        this.spi = spi;
        this.random = random;
        // RFC 7296 §2.10: at least 128 bits and at least half the PRF key size; 32 octets covers all our PRFs.
        this.nonce = new byte[32];
        random.nextBytes(nonce);
        int group = config.proposals().getFirst().transforms(TransformType.KEY_EXCHANGE).stream()
                .mapToInt(t -> t.id()).filter(g -> DiffieHellman.of(g).isPresent()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the first proposal has no DH group we implement"));
        this.share = DiffieHellman.of(group).orElseThrow().generate(random);
    }

    public long spi() {
        return spi;
    }

    /** The current request, encoded; the same octets on every retransmission. */
    public byte[] request() {
        if (request == null) {
            request = encodeRequest();
        }
        return request.clone();
    }

    private byte[] encodeRequest() {
        List<Payload> payloads = new ArrayList<>();
        if (cookie != null) {
            payloads.add(Payload.Notify.of(NotifyType.COOKIE, cookie)); // §2.6: first payload
        }
        payloads.add(new Payload.SecurityAssociation(config.proposals()));
        payloads.add(new Payload.KeyExchange(share.group().value(), Octets.copyOf(share.publicValue())));
        payloads.add(new Payload.Nonce(Octets.copyOf(nonce)));
        payloads.addAll(InitPayloads.natDetection(spi, 0, endpoints));
        payloads.addAll(InitPayloads.extensions(config));
        IkeHeader h = new IkeHeader(spi, 0, ExchangeType.IKE_SA_INIT, true, false, 0);
        return IkeEncoder.encode(new IkeMessage(h, payloads));
    }

    /**
     * Reads the IKE_SA_INIT response to our request; {@code raw} are its octets as received. Once
     * the exchange has ended, further responses (network duplicates) are refused, not re-processed.
     */
    public Outcome onResponse(DecodedMessage response, byte[] raw) {
        if (finished) {
            return new Outcome.Failed("IKE_SA_INIT already ended; response ignored", Optional.empty());
        }
        Outcome o = judge(response, raw);
        finished = !(o instanceof Outcome.Retry);
        return o;
    }

    private Outcome judge(DecodedMessage response, byte[] raw) {
        IkeHeader h = response.header();
        if (!h.response() || h.initiator() || h.messageId() != 0 || h.initiatorSpi() != spi
                || h.exchangeType() != ExchangeType.IKE_SA_INIT.value()) {
            return new Outcome.Failed("not a response to our IKE_SA_INIT: " + h, Optional.empty());
        }
        IkeMessage m = response.message();
        Optional<Payload.Notify> cookieRequest = m.notify(NotifyType.COOKIE);
        if (cookieRequest.isPresent()) {
            Octets c = cookieRequest.get().data();
            if (c.isEmpty() || c.length() > Cookies.MAX_LENGTH) {
                return new Outcome.Failed("COOKIE of " + c.length() + " octets", Optional.empty());
            }
            if (++cookieRetries > MAX_RETRIES) {
                return new Outcome.Failed("responder keeps asking for cookies", Optional.of(NotifyType.COOKIE));
            }
            cookie = c;
            request = encodeRequest();
            return new Outcome.Retry(request.clone(), "responder asked for a cookie");
        }
        Optional<Payload.Notify> invalidKe = m.notify(NotifyType.INVALID_KE_PAYLOAD);
        if (invalidKe.isPresent()) {
            return retryWithGroup(invalidKe.get());
        }
        Optional<Payload.Notify> error = m.all(Payload.Notify.class).stream().filter(Payload.Notify::isError).findFirst();
        if (error.isPresent()) {
            Optional<NotifyType> type = NotifyType.of(error.get().notifyType());
            return new Outcome.Failed("responder refused: " + type.map(Enum::name).orElse("error " + error.get().notifyType()), type);
        }
        return complete(m, raw);
    }

    private Outcome retryWithGroup(Payload.Notify invalidKe) {
        Octets d = invalidKe.data();
        if (d.length() != 2) {
            return new Outcome.Failed("INVALID_KE_PAYLOAD with " + d.length() + " octets of data", Optional.empty());
        }
        int wanted = (d.get(0) & 0xff) << 8 | d.get(1) & 0xff;
        boolean offered = config.proposals().stream().flatMap(p -> p.transforms(TransformType.KEY_EXCHANGE).stream())
                .anyMatch(t -> t.id() == wanted);
        Optional<DiffieHellman> dh = DiffieHellman.of(wanted);
        // §1.2: the group asked for must be one we offered; asking for the one we used is a loop.
        if (!offered || dh.isEmpty() || wanted == share.group().value() || ++groupRetries > MAX_RETRIES) {
            return new Outcome.Failed("INVALID_KE_PAYLOAD asks for group " + wanted + ", which we cannot use",
                    Optional.of(NotifyType.INVALID_KE_PAYLOAD));
        }
        share.destroy();
        share = dh.get().generate(random);
        request = encodeRequest();
        return new Outcome.Retry(request.clone(), "responder asked for DH group " + wanted);
    }

    private Outcome complete(IkeMessage m, byte[] raw) {
        long spiR = m.header().responderSpi();
        Optional<Payload.SecurityAssociation> sa = m.first(Payload.SecurityAssociation.class);
        Optional<Payload.KeyExchange> ke = m.first(Payload.KeyExchange.class);
        Optional<Payload.Nonce> nr = m.first(Payload.Nonce.class);
        if (spiR == 0 || sa.isEmpty() || ke.isEmpty() || nr.isEmpty()) {
            return new Outcome.Failed("IKE_SA_INIT response lacks SPIr, SA, KE or Nr", Optional.empty());
        }
        List<Proposal> answer = sa.get().proposals();
        Proposal chosen = answer.getFirst();
        if (answer.size() != 1 || chosen.protocolId() != ProtocolId.IKE.value()
                || !ProposalSelector.isValidChoice(chosen, config.proposals())) {
            return new Outcome.Failed("responder chose something we did not offer: " + answer, Optional.empty());
        }
        int group = chosen.transforms(TransformType.KEY_EXCHANGE).getFirst().id();
        if (group != share.group().value() || ke.get().dhGroup() != group) {
            return new Outcome.Failed("responder's KE group " + ke.get().dhGroup() + " is not the chosen "
                    + group + " of our KE " + share.group().value(), Optional.empty());
        }
        Optional<Prf> prf = Prf.of(chosen.transforms(TransformType.PRF).getFirst().id());
        if (prf.isEmpty()) {
            return new Outcome.Failed("chosen PRF is not implemented", Optional.empty());
        }
        byte[] shared;
        try {
            shared = share.sharedSecret(ke.get().keyData().toByteArray());
        } catch (InvalidPublicValueException e) {
            return new Outcome.Failed("responder's KE: " + e.getMessage(), Optional.empty());
        } finally {
            share.destroy();
        }
        byte[] nrBytes = nr.get().data().toByteArray();
        byte[] skeyseed = KeyDerivation.skeyseed(prf.get(), nonce, nrBytes, shared);
        java.util.Arrays.fill(shared, (byte) 0);
        IkeSaKeys keys;
        try {
            keys = KeyDerivation.ikeSaKeys(prf.get(), skeyseed, nonce, nrBytes, spi, spiR, KeyLengths.forIke(chosen));
        } catch (IllegalArgumentException e) {
            return new Outcome.Failed("chosen suite unusable: " + e.getMessage(), Optional.empty());
        } finally {
            java.util.Arrays.fill(skeyseed, (byte) 0);
        }
        // The responder's SOURCE hash is of its address as it sent; DESTINATION of ours as it saw it.
        boolean remoteBehindNat = !InitPayloads.matchesOrAbsent(m, NotifyType.NAT_DETECTION_SOURCE_IP, spi, spiR, endpoints.remote());
        boolean localBehindNat = !InitPayloads.matchesOrAbsent(m, NotifyType.NAT_DETECTION_DESTINATION_IP, spi, spiR, endpoints.local());
        return new Outcome.Established(new IkeInitResult(spi, spiR, chosen, prf.get(), keys,
                Octets.copyOf(nonce), nr.get().data(), Octets.copyOf(request), Octets.copyOf(raw),
                localBehindNat, remoteBehindNat,
                m.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isPresent(), InitPayloads.signatureHashes(m)));
    }
}

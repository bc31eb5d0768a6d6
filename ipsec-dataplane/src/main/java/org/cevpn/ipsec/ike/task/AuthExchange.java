package org.cevpn.ipsec.ike.task;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.crypto.AuthenticationFailedException;
import org.cevpn.ipsec.ike.crypto.DigitalSignatureAuth;
import org.cevpn.ipsec.ike.crypto.SharedKeyAuth;
import org.cevpn.ipsec.ike.crypto.SignedOctets;
import org.cevpn.ipsec.ike.message.AuthMethod;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;

/** What both IKE_AUTH roles share: making our AUTH (with CERTs) and checking the peer's (§2.15). */
final class AuthExchange {
    private AuthExchange() {
    }

    /** Our ID, CERT payloads (if any) and AUTH, in that order. */
    static List<Payload> identify(IkeInitResult init, IkeAuthConfig config, boolean initiator, SecureRandom random) {
        Payload.Identification id = config.local().payload(initiator);
        byte[] signed = initiator
                ? SignedOctets.of(init.prf(), init.initiatorMessage().toByteArray(), init.responderNonce().toByteArray(),
                        init.keys().skPi(), id)
                : SignedOctets.of(init.prf(), init.responderMessage().toByteArray(), init.initiatorNonce().toByteArray(),
                        init.keys().skPr(), id);
        List<Payload> out = new ArrayList<>();
        out.add(id);
        switch (config.own()) {
            case Credentials.OwnSharedKey k -> out.add(new Payload.Authentication(AuthMethod.SHARED_KEY_MIC.value(),
                    Octets.copyOf(SharedKeyAuth.compute(init.prf(), k.secret(), signed))));
            case Credentials.OwnCertificate c -> {
                out.addAll(c.certPayloads());
                out.add(new Payload.Authentication(AuthMethod.DIGITAL_SIGNATURE.value(),
                        Octets.copyOf(DigitalSignatureAuth.sign(c.scheme(), c.key(), signed, random))));
            }
        }
        return out;
    }

    /**
     * Checks the peer's ID and AUTH.
     *
     * @param peerIsInitiator true when we are the responder checking IDi
     * @return the failure, or empty when the peer is who it must be
     */
    static Optional<String> verify(IkeInitResult init, IkeAuthConfig config, List<Payload> inner, boolean peerIsInitiator) {
        Optional<Payload.Identification> id = inner.stream().filter(p -> p instanceof Payload.Identification i
                && i.initiator() == peerIsInitiator).map(Payload.Identification.class::cast).findFirst();
        Optional<Payload.Authentication> auth = inner.stream().filter(p -> p instanceof Payload.Authentication)
                .map(Payload.Authentication.class::cast).findFirst();
        if (id.isEmpty() || auth.isEmpty()) {
            return Optional.of("no ID or AUTH payload");
        }
        if (!Identity.of(id.get()).equals(config.remote())) {
            return Optional.of("unknown peer " + Identity.of(id.get()) + ", expected " + config.remote());
        }
        byte[] signed = peerIsInitiator
                ? SignedOctets.of(init.prf(), init.initiatorMessage().toByteArray(), init.responderNonce().toByteArray(),
                        init.keys().skPi(), id.get())
                : SignedOctets.of(init.prf(), init.responderMessage().toByteArray(), init.initiatorNonce().toByteArray(),
                        init.keys().skPr(), id.get());
        byte[] data = auth.get().data().toByteArray();
        switch (config.peer()) {
            case Credentials.PeerSharedKey k -> {
                if (auth.get().method() != AuthMethod.SHARED_KEY_MIC.value()) {
                    return Optional.of("AUTH method " + auth.get().method() + " where a shared key MIC was expected");
                }
                if (!SharedKeyAuth.verify(init.prf(), k.secret(), signed, data)) {
                    return Optional.of("shared key MIC does not verify");
                }
            }
            case Credentials.PeerCertificate c -> {
                if (auth.get().method() != AuthMethod.DIGITAL_SIGNATURE.value()) {
                    return Optional.of("AUTH method " + auth.get().method() + " where an RFC 7427 signature was expected");
                }
                List<Payload.Certificate> certs = inner.stream().filter(p -> p instanceof Payload.Certificate)
                        .map(Payload.Certificate.class::cast).toList();
                try {
                    PublicKey key = c.validator().validate(certs, id.get(), new Date());
                    DigitalSignatureAuth.verify(data, key, signed, c.accepted());
                } catch (AuthenticationFailedException e) {
                    return Optional.of(e.getMessage());
                }
            }
        }
        return Optional.empty();
    }
}

package org.cevpn.ipsec.ike.sa;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The responder's half-open IKE SAs: answered IKE_SA_INIT requests not yet followed by IKE_AUTH.
 * Their count drives the COOKIE challenge (RFC 7296 §2.6); their cached responses answer an
 * IKE_SA_INIT retransmission with the same octets and the same SPI (§2.1), instead of creating a
 * second SA. A retransmission is the same initiator SPI from the same address with the same
 * octets; the same SPI with other octets is a new attempt (e.g. after INVALID_KE_PAYLOAD) and is
 * processed. Entries expire after {@code lifetime} and are bounded in number. Not thread-safe.
 */
public final class HalfOpenSas {
    private record Key(long initiatorSpi, InetSocketAddress from) {
    }

    private record Entry(byte[] requestHash, byte[] response, long responderSpi, Instant expires) {
    }

    private final Duration lifetime;
    private final int capacity;
    private final Map<Key, Entry> entries = new LinkedHashMap<>();

    public HalfOpenSas(Duration lifetime, int capacity) {
        this.lifetime = lifetime;
        this.capacity = capacity;
    }

    /** The cached response if {@code request} retransmits one we answered. */
    public Optional<byte[]> retransmission(long initiatorSpi, InetSocketAddress from, byte[] request, Instant now) {
        expire(now);
        Entry e = entries.get(new Key(initiatorSpi, from));
        if (e != null && MessageDigest.isEqual(e.requestHash(), hash(request))) {
            return Optional.of(e.response().clone());
        }
        return Optional.empty();
    }

    /** Records an IKE SA we just created by answering {@code request}. Returns false when full (drop it). */
    public boolean created(long initiatorSpi, InetSocketAddress from, byte[] request, byte[] response, long responderSpi,
                           Instant now) {
        expire(now);
        if (entries.size() >= capacity) {
            return false;
        }
        entries.put(new Key(initiatorSpi, from), new Entry(hash(request), response.clone(), responderSpi, now.plus(lifetime)));
        return true;
    }

    /** The IKE SA completed IKE_AUTH (or was deleted): no longer half-open. */
    public void completed(long initiatorSpi, InetSocketAddress from) {
        entries.remove(new Key(initiatorSpi, from));
    }

    /** How many are half-open now: compare with the COOKIE threshold. */
    public int count(Instant now) {
        expire(now);
        return entries.size();
    }

    private void expire(Instant now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().expires())) {
                it.remove();
            }
        }
    }

    private static byte[] hash(byte[] request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(request);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "HalfOpenSas[" + entries.size() + "/" + capacity + "]";
    }

}

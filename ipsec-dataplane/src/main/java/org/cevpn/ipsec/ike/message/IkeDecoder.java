package org.cevpn.ipsec.ike.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes IKEv2 datagrams (RFC 7296 §3) with strict length checks. Every length field is checked
 * against the octets that enclose it before anything is read or allocated, so a decode never
 * allocates more than a small multiple of its input and every defect ends in an
 * {@link IkeDecodeException} carrying the notify to answer with.
 *
 * <p>Stateless and thread-safe.
 */
public final class IkeDecoder {
    /** The largest IKE message we accept in one datagram (the UDP payload limit). */
    public static final int MAX_MESSAGE_LENGTH = 65_535;

    private static final int GENERIC_HEADER = 4;

    private IkeDecoder() {
    }

    /** Decodes a whole datagram (without the four-zero non-ESP marker of port 4500). */
    public static DecodedMessage decode(byte[] datagram) throws IkeDecodeException {
        return decode(datagram, 0, datagram.length);
    }

    public static DecodedMessage decode(byte[] buf, int offset, int length) throws IkeDecodeException {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IllegalArgumentException("offset/length outside the buffer");
        }
        if (length < IkeHeader.LENGTH) {
            throw IkeDecodeException.unanswerable("datagram of " + length + " octets is shorter than the IKE header");
        }
        if (length > MAX_MESSAGE_LENGTH) {
            throw IkeDecodeException.unanswerable("datagram of " + length + " octets is too large");
        }
        Cursor c = new Cursor(buf, offset, offset + length);
        long spiI = c.u64();
        long spiR = c.u64();
        int firstPayload = c.u8();
        int version = c.u8();
        int exchange = c.u8();
        int flags = c.u8();
        long messageId = c.u32();
        long declared = c.u32();
        if (version >>> 4 != IkeHeader.MAJOR_VERSION) {
            throw IkeDecodeException.majorVersion(version >>> 4);
        }
        if (declared != length) {
            throw IkeDecodeException.syntax("IKE header length " + declared + " but datagram holds " + length);
        }
        IkeHeader header = new IkeHeader(spiI, spiR, exchange, (flags & IkeHeader.FLAG_INITIATOR) != 0,
                (flags & IkeHeader.FLAG_RESPONSE) != 0, messageId);
        List<Integer> ignored = new ArrayList<>(0);
        List<Payload> payloads = new ArrayList<>();
        int encryptedOffset = chain(c, firstPayload, payloads, ignored, true);
        if (encryptedOffset >= 0) {
            encryptedOffset -= offset;
        }
        return new DecodedMessage(new IkeMessage(header, payloads), encryptedOffset, ignored);
    }

    /**
     * Decodes the payload chain found inside a decrypted SK payload. {@code ignored} receives the
     * types of skipped non-critical unknown payloads.
     */
    public static List<Payload> decodeInner(int firstPayload, byte[] plaintext, int offset, int length,
                                            List<Integer> ignored) throws IkeDecodeException {
        if (offset < 0 || length < 0 || offset > plaintext.length - length) {
            throw new IllegalArgumentException("offset/length outside the buffer");
        }
        List<Payload> payloads = new ArrayList<>();
        chain(new Cursor(plaintext, offset, offset + length), firstPayload, payloads, ignored, false);
        return payloads;
    }

    public static List<Payload> decodeInner(int firstPayload, byte[] plaintext) throws IkeDecodeException {
        return decodeInner(firstPayload, plaintext, 0, plaintext.length, new ArrayList<>(0));
    }

    /**
     * Reads a payload chain to the end of the cursor. Returns the offset of the SK/SKF payload's
     * generic header if the chain ends in one (only allowed when {@code outer}), else -1.
     */
    private static int chain(Cursor c, int first, List<Payload> out, List<Integer> ignored, boolean outer)
            throws IkeDecodeException {
        int next = first;
        while (next != PayloadType.NONE.value()) {
            int start = c.pos;
            if (c.remaining() < GENERIC_HEADER) {
                throw IkeDecodeException.syntax("payload chain ends inside a generic payload header");
            }
            int following = c.u8();
            boolean critical = (c.u8() & 0x80) != 0;
            int length = c.u16();
            if (length < GENERIC_HEADER || length - GENERIC_HEADER > c.remaining()) {
                throw IkeDecodeException.syntax("payload type " + next + " has length " + length
                        + " with " + (c.remaining() + GENERIC_HEADER) + " octets left");
            }
            Cursor body = c.slice(length - GENERIC_HEADER);
            int type = next;
            if (type == PayloadType.ENCRYPTED.value() || type == PayloadType.ENCRYPTED_FRAGMENT.value()) {
                if (!outer) {
                    throw IkeDecodeException.syntax("an Encrypted payload inside an Encrypted payload");
                }
                if (c.remaining() != 0) {
                    throw IkeDecodeException.syntax("the Encrypted payload is not the last payload");
                }
                // Its Next Payload field names the first payload inside the encryption, not a successor.
                out.add(type == PayloadType.ENCRYPTED.value() ? encrypted(following, body)
                        : encryptedFragment(following, body));
                return start;
            }
            Payload p = payload(type, critical, body);
            if (p != null) {
                out.add(p);
            } else if (critical) {
                throw IkeDecodeException.unsupportedCritical(type);
            } else {
                ignored.add(type);
            }
            next = following;
        }
        if (c.remaining() != 0) {
            throw IkeDecodeException.syntax(c.remaining() + " octets after the last payload");
        }
        return -1;
    }

    /** Decodes one payload body; null for a type we do not know (the caller applies §2.5). */
    private static Payload payload(int type, boolean critical, Cursor b) throws IkeDecodeException {
        PayloadType known = PayloadType.of(type).orElse(null);
        if (known == null) {
            return null;
        }
        Payload p = switch (known) {
            case SECURITY_ASSOCIATION -> securityAssociation(b);
            case KEY_EXCHANGE -> {
                b.need(4, "KE");
                int group = b.u16();
                b.skip(2);
                yield new Payload.KeyExchange(group, b.rest());
            }
            case ID_INITIATOR, ID_RESPONDER -> {
                b.need(4, "ID");
                int idType = b.u8();
                b.skip(3);
                yield new Payload.Identification(known == PayloadType.ID_INITIATOR, idType, b.rest());
            }
            case CERTIFICATE -> {
                b.need(1, "CERT");
                yield new Payload.Certificate(b.u8(), b.rest());
            }
            case CERTIFICATE_REQUEST -> {
                b.need(1, "CERTREQ");
                yield new Payload.CertificateRequest(b.u8(), b.rest());
            }
            case AUTHENTICATION -> {
                b.need(4, "AUTH");
                int method = b.u8();
                b.skip(3);
                yield new Payload.Authentication(method, b.rest());
            }
            case NONCE -> {
                if (b.remaining() < Payload.Nonce.MIN_LENGTH || b.remaining() > Payload.Nonce.MAX_LENGTH) {
                    throw IkeDecodeException.syntax("nonce of " + b.remaining() + " octets (16..256 allowed)");
                }
                yield new Payload.Nonce(b.rest());
            }
            case NOTIFY -> notify(b);
            case DELETE -> delete(b);
            case VENDOR_ID -> new Payload.VendorId(b.rest());
            case TS_INITIATOR, TS_RESPONDER -> trafficSelectors(known == PayloadType.TS_INITIATOR, b);
            case CONFIGURATION, EAP -> new Payload.Opaque(type, critical, b.rest());
            // NONE ends the chain; ENCRYPTED and ENCRYPTED_FRAGMENT are handled by the caller.
            case NONE, ENCRYPTED, ENCRYPTED_FRAGMENT -> throw new IllegalStateException("unreachable: " + known);
        };
        b.expectEnd(known.name());
        return p;
    }

    private static Payload.SecurityAssociation securityAssociation(Cursor b) throws IkeDecodeException {
        List<Proposal> proposals = new ArrayList<>();
        boolean more = true;
        while (more) {
            if (b.remaining() < 8) {
                throw IkeDecodeException.syntax("SA payload ends inside a proposal header");
            }
            int last = b.u8();
            b.skip(1);
            int length = b.u16();
            if (last != 0 && last != 2) {
                throw IkeDecodeException.syntax("proposal Last Substruc is " + last + " (0 or 2 allowed)");
            }
            if (length < 8 || length - 4 > b.remaining()) {
                throw IkeDecodeException.syntax("proposal length " + length + " with " + (b.remaining() + 4) + " octets left");
            }
            Cursor p = b.slice(length - 4);
            int number = p.u8();
            int protocol = p.u8();
            int spiSize = p.u8();
            int transformCount = p.u8();
            // §3.3.1: numbered from 1, each one more than the previous. A response carries the one
            // accepted proposal with the number it had in the request, so the first may be above 1.
            int due = proposals.isEmpty() ? number : proposals.getLast().number() + 1;
            if (number == 0 || number != due) {
                throw IkeDecodeException.syntax("proposal number " + number + (proposals.isEmpty() ? "" : " where " + due + " was due"));
            }
            p.need(spiSize, "proposal SPI");
            Octets spi = p.take(spiSize);
            List<Transform> transforms = new ArrayList<>(Math.min(transformCount, p.remaining() / 8));
            for (int i = 0; i < transformCount; i++) {
                transforms.add(transform(p, i == transformCount - 1));
            }
            p.expectEnd("proposal");
            proposals.add(new Proposal(number, protocol, spi, transforms));
            more = last == 2;
            if (!more && b.remaining() != 0) {
                throw IkeDecodeException.syntax("octets after the last proposal");
            }
            if (more && b.remaining() == 0) {
                throw IkeDecodeException.syntax("proposal says more follow, but the SA payload ends");
            }
        }
        return new Payload.SecurityAssociation(proposals);
    }

    private static Transform transform(Cursor p, boolean expectLast) throws IkeDecodeException {
        if (p.remaining() < 8) {
            throw IkeDecodeException.syntax("proposal ends inside a transform header");
        }
        int last = p.u8();
        p.skip(1);
        int length = p.u16();
        if (last != (expectLast ? 0 : 3)) {
            throw IkeDecodeException.syntax("transform Last Substruc " + last + " disagrees with the transform count");
        }
        if (length < 8 || length - 4 > p.remaining()) {
            throw IkeDecodeException.syntax("transform length " + length + " with " + (p.remaining() + 4) + " octets left");
        }
        Cursor t = p.slice(length - 4);
        int type = t.u8();
        t.skip(1);
        int id = t.u16();
        List<TransformAttribute> attributes = new ArrayList<>(0);
        while (t.remaining() > 0) {
            t.need(4, "transform attribute");
            int word = t.u16();
            int attrType = word & 0x7fff;
            if ((word & 0x8000) != 0) {
                attributes.add(new TransformAttribute(attrType, true, t.take(2)));
            } else {
                int valueLength = t.u16();
                t.need(valueLength, "transform attribute value");
                attributes.add(new TransformAttribute(attrType, false, t.take(valueLength)));
            }
        }
        return new Transform(type, id, attributes);
    }

    private static Payload.Notify notify(Cursor b) throws IkeDecodeException {
        b.need(4, "N");
        int protocol = b.u8();
        int spiSize = b.u8();
        int type = b.u16();
        b.need(spiSize, "notify SPI");
        Octets spi = b.take(spiSize);
        return new Payload.Notify(protocol, spi, type, b.rest());
    }

    private static Payload.Delete delete(Cursor b) throws IkeDecodeException {
        b.need(4, "D");
        int protocol = b.u8();
        int spiSize = b.u8();
        int count = b.u16();
        if (protocol == ProtocolId.IKE.value()) {
            if (spiSize != 0 || count != 0) {
                throw IkeDecodeException.syntax("an IKE SA delete carries no SPIs");
            }
        } else if (protocol == ProtocolId.ESP.value() || protocol == ProtocolId.AH.value()) {
            if (spiSize != 4) {
                throw IkeDecodeException.syntax("ESP/AH delete with SPI size " + spiSize);
            }
        } else {
            throw IkeDecodeException.syntax("delete for unknown protocol " + protocol);
        }
        if ((long) spiSize * count != b.remaining()) {
            throw IkeDecodeException.syntax("delete announces " + count + " SPIs of " + spiSize
                    + " octets in " + b.remaining() + " octets");
        }
        List<Octets> spis = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spis.add(b.take(spiSize));
        }
        return new Payload.Delete(protocol, spiSize, spis);
    }

    private static Payload.TrafficSelectors trafficSelectors(boolean initiator, Cursor b) throws IkeDecodeException {
        b.need(4, "TS");
        int count = b.u8();
        b.skip(3);
        if (count == 0) {
            throw IkeDecodeException.syntax("TS payload without selectors");
        }
        List<TrafficSelector> selectors = new ArrayList<>(Math.min(count, b.remaining() / 16));
        for (int i = 0; i < count; i++) {
            if (b.remaining() < 4) {
                throw IkeDecodeException.syntax("TS payload ends inside a selector header");
            }
            int type = b.u8();
            int protocol = b.u8();
            int length = b.u16();
            int addressLength = TrafficSelector.addressLength(type);
            if (addressLength < 0) {
                throw IkeDecodeException.syntax("traffic selector type " + type + " is not supported");
            }
            if (length != 8 + 2 * addressLength) {
                throw IkeDecodeException.syntax("traffic selector of type " + type + " with length " + length);
            }
            b.need(length - 4, "traffic selector");
            int startPort = b.u16();
            int endPort = b.u16();
            selectors.add(new TrafficSelector(type, protocol, startPort, endPort, b.take(addressLength), b.take(addressLength)));
        }
        return new Payload.TrafficSelectors(initiator, selectors);
    }

    private static Payload.Encrypted encrypted(int firstInner, Cursor b) throws IkeDecodeException {
        if (b.remaining() == 0) {
            throw IkeDecodeException.syntax("empty Encrypted payload");
        }
        return new Payload.Encrypted(firstInner, b.rest());
    }

    private static Payload.EncryptedFragment encryptedFragment(int firstInner, Cursor b) throws IkeDecodeException {
        b.need(5, "SKF");
        int number = b.u16();
        int total = b.u16();
        if (number < 1 || number > total) {
            throw IkeDecodeException.syntax("fragment " + number + " of " + total);
        }
        if (number != 1 && firstInner != 0) {
            throw IkeDecodeException.syntax("fragment " + number + " names an inner payload");
        }
        return new Payload.EncryptedFragment(firstInner, number, total, b.rest());
    }

    /** A bounds-checked reader over {@code buf[pos, end)}. */
    private static final class Cursor {
        private final byte[] buf;
        private int pos;
        private final int end;

        Cursor(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        void need(int n, String what) throws IkeDecodeException {
            if (n < 0 || n > remaining()) {
                throw IkeDecodeException.syntax(what + " needs " + n + " octets, " + remaining() + " left");
            }
        }

        void expectEnd(String what) throws IkeDecodeException {
            if (remaining() != 0) {
                throw IkeDecodeException.syntax(remaining() + " unexpected octets at the end of " + what);
            }
        }

        // The callers check lengths first; these readers rely on that.
        int u8() {
            return buf[pos++] & 0xff;
        }

        int u16() {
            int v = (buf[pos] & 0xff) << 8 | buf[pos + 1] & 0xff;
            pos += 2;
            return v;
        }

        long u32() {
            long v = (long) u16() << 16;
            return v | u16();
        }

        long u64() {
            return u32() << 32 | u32();
        }

        void skip(int n) {
            pos += n;
        }

        Octets take(int n) {
            Octets o = Octets.copyOf(buf, pos, n);
            pos += n;
            return o;
        }

        Octets rest() {
            return take(remaining());
        }

        /** The next {@code n} octets as their own cursor; this cursor moves past them. */
        Cursor slice(int n) {
            Cursor s = new Cursor(buf, pos, pos + n);
            pos += n;
            return s;
        }
    }
}

package org.cevpn.ipsec.ike.message;

import java.util.Arrays;
import java.util.List;

/**
 * Encodes IKEv2 messages (RFC 7296 §3): computes every Next Payload, Last Substruc and Length
 * field from the records. Stateless and thread-safe.
 */
public final class IkeEncoder {
    private IkeEncoder() {
    }

    /** The whole datagram (without the non-ESP marker). */
    public static byte[] encode(IkeMessage message) {
        Writer w = new Writer(512);
        IkeHeader h = message.header();
        w.u64(h.initiatorSpi());
        w.u64(h.responderSpi());
        w.u8(firstPayloadType(message.payloads()));
        w.u8(IkeHeader.MAJOR_VERSION << 4);
        w.u8(h.exchangeType());
        w.u8((h.initiator() ? IkeHeader.FLAG_INITIATOR : 0) | (h.response() ? IkeHeader.FLAG_RESPONSE : 0));
        w.u32(h.messageId());
        int lengthAt = w.reserve(4);
        chain(w, message.payloads());
        w.patch32(lengthAt, w.size());
        return w.toByteArray();
    }

    /** A payload chain on its own: what goes, padded and encrypted, into an SK payload. */
    public static byte[] encodeChain(List<Payload> payloads) {
        Writer w = new Writer(256);
        chain(w, payloads);
        return w.toByteArray();
    }

    /** The type of the first payload of a chain, 0 for an empty chain. */
    public static int firstPayloadType(List<Payload> payloads) {
        return payloads.isEmpty() ? PayloadType.NONE.value() : payloads.getFirst().typeValue();
    }

    /**
     * One payload's body without the generic header: what RFC 7296 §2.15 signs for IDi/IDr
     * ("RestOfInitIDPayload") and hashes elsewhere.
     */
    public static byte[] encodeBody(Payload payload) {
        Writer w = new Writer(64);
        body(w, payload);
        return w.toByteArray();
    }

    private static void chain(Writer w, List<Payload> payloads) {
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            int next = switch (p) {
                // The SK/SKF Next Payload field names the first payload inside the encryption.
                case Payload.Encrypted sk -> sk.firstInnerPayload();
                case Payload.EncryptedFragment skf -> skf.firstInnerPayload();
                default -> i + 1 < payloads.size() ? payloads.get(i + 1).typeValue() : PayloadType.NONE.value();
            };
            int start = w.size();
            w.u8(next);
            w.u8(p instanceof Payload.Opaque o && o.critical() ? 0x80 : 0);
            int lengthAt = w.reserve(2);
            body(w, p);
            int length = w.size() - start;
            if (length > 0xffff) {
                throw new IllegalArgumentException("payload type " + p.typeValue() + " exceeds 65535 octets");
            }
            w.patch16(lengthAt, length);
        }
    }

    private static void body(Writer w, Payload payload) {
        switch (payload) {
            case Payload.SecurityAssociation sa -> {
                List<Proposal> proposals = sa.proposals();
                for (int i = 0; i < proposals.size(); i++) {
                    proposal(w, proposals.get(i), i == proposals.size() - 1);
                }
            }
            case Payload.KeyExchange ke -> {
                w.u16(ke.dhGroup());
                w.u16(0);
                w.bytes(ke.keyData());
            }
            case Payload.Identification id -> {
                w.u8(id.idType());
                w.zeros(3);
                w.bytes(id.data());
            }
            case Payload.Certificate cert -> {
                w.u8(cert.encoding());
                w.bytes(cert.data());
            }
            case Payload.CertificateRequest req -> {
                w.u8(req.encoding());
                w.bytes(req.authorities());
            }
            case Payload.Authentication auth -> {
                w.u8(auth.method());
                w.zeros(3);
                w.bytes(auth.data());
            }
            case Payload.Nonce nonce -> w.bytes(nonce.data());
            case Payload.Notify n -> {
                w.u8(n.protocolId());
                w.u8(n.spi().length());
                w.u16(n.notifyType());
                w.bytes(n.spi());
                w.bytes(n.data());
            }
            case Payload.Delete d -> {
                w.u8(d.protocolId());
                w.u8(d.spiSize());
                w.u16(d.spis().size());
                d.spis().forEach(w::bytes);
            }
            case Payload.VendorId v -> w.bytes(v.id());
            case Payload.TrafficSelectors ts -> {
                w.u8(ts.selectors().size());
                w.zeros(3);
                for (TrafficSelector s : ts.selectors()) {
                    w.u8(s.type());
                    w.u8(s.ipProtocol());
                    w.u16(s.encodedLength());
                    w.u16(s.startPort());
                    w.u16(s.endPort());
                    w.bytes(s.startAddress());
                    w.bytes(s.endAddress());
                }
            }
            case Payload.Encrypted sk -> w.bytes(sk.content());
            case Payload.EncryptedFragment skf -> {
                w.u16(skf.fragmentNumber());
                w.u16(skf.totalFragments());
                w.bytes(skf.content());
            }
            case Payload.Opaque o -> w.bytes(o.body());
        }
    }

    private static void proposal(Writer w, Proposal p, boolean last) {
        int start = w.size();
        w.u8(last ? 0 : 2);
        w.u8(0);
        int lengthAt = w.reserve(2);
        w.u8(p.number());
        w.u8(p.protocolId());
        w.u8(p.spi().length());
        w.u8(p.transforms().size());
        w.bytes(p.spi());
        List<Transform> transforms = p.transforms();
        for (int i = 0; i < transforms.size(); i++) {
            transform(w, transforms.get(i), i == transforms.size() - 1);
        }
        w.patch16(lengthAt, checkedLength(w.size() - start, "proposal"));
    }

    private static void transform(Writer w, Transform t, boolean last) {
        int start = w.size();
        w.u8(last ? 0 : 3);
        w.u8(0);
        int lengthAt = w.reserve(2);
        w.u8(t.type());
        w.u8(0);
        w.u16(t.id());
        for (TransformAttribute a : t.attributes()) {
            if (a.shortForm()) {
                w.u16(0x8000 | a.type());
                w.bytes(a.value());
            } else {
                w.u16(a.type());
                w.u16(a.value().length());
                w.bytes(a.value());
            }
        }
        w.patch16(lengthAt, checkedLength(w.size() - start, "transform"));
    }

    private static int checkedLength(int length, String what) {
        if (length > 0xffff) {
            throw new IllegalArgumentException(what + " exceeds 65535 octets");
        }
        return length;
    }

    /** A growable big-endian writer. */
    private static final class Writer {
        private byte[] buf;
        private int size;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        int size() {
            return size;
        }

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void u16(int v) {
            ensure(2);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void u32(long v) {
            u16((int) (v >>> 16));
            u16((int) v);
        }

        void u64(long v) {
            u32(v >>> 32);
            u32(v & 0xffff_ffffL);
        }

        void zeros(int n) {
            ensure(n);
            size += n;
        }

        void bytes(Octets o) {
            ensure(o.length());
            o.copyTo(buf, size);
            size += o.length();
        }

        int reserve(int n) {
            int at = size;
            zeros(n);
            return at;
        }

        void patch16(int at, int v) {
            buf[at] = (byte) (v >>> 8);
            buf[at + 1] = (byte) v;
        }

        void patch32(int at, int v) {
            patch16(at, v >>> 16);
            patch16(at + 2, v);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}

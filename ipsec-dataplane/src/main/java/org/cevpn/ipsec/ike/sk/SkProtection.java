package org.cevpn.ipsec.ike.sk;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cevpn.ipsec.crypto.Aead;
import org.cevpn.ipsec.crypto.AesCbc;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.cevpn.ipsec.crypto.SecretBytes;
import org.cevpn.ipsec.crypto.TruncatedHmac;
import org.cevpn.ipsec.crypto.UnpredictableIvSource;
import org.cevpn.ipsec.ike.crypto.IkeSaKeys;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeEncoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.IkeMessage;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.TransformType;

/**
 * The SK payload of one IKE SA (RFC 7296 §3.14): seals our messages with SK_ei/SK_ai (or the
 * responder's keys) and opens the peer's. AEAD suites (AES-GCM-16, ChaCha20-Poly1305) follow
 * RFC 5282 / RFC 7634: 8-octet explicit IV, AAD = IKE header + SK payload header, no integrity
 * key. AES-CBC follows RFC 3602 with an unpredictable 16-octet IV and a truncated HMAC over the
 * whole message up to the ICV. The ciphers are the shared {@code org.cevpn.ipsec.crypto} ones.
 *
 * <p>Not thread-safe: one instance per IKE SA, used by whoever drives its exchanges.
 */
public final class SkProtection {
    private static final int SK_HEADER = 4;
    /** SKF: generic header, Fragment Number, Total Fragments. */
    private static final int SKF_HEADER = 8;
    /** More fragments than this is a misconfiguration or an attack (RFC 7383 §2.6 leaves the limit to us). */
    public static final int MAX_FRAGMENTS = 64;

    private final Direction out;
    private final Direction in;

    private SkProtection(Direction out, Direction in) {
        this.out = out;
        this.in = in;
    }

    /**
     * @param chosen    the negotiated IKE proposal (one transform per type)
     * @param initiator true if we are the original initiator of this IKE SA (our keys are SK_ei/SK_ai)
     * @throws IllegalArgumentException for a suite the shared crypto package does not implement
     */
    public static SkProtection of(Proposal chosen, IkeSaKeys keys, boolean initiator, SecureRandom random) {
        var encr = chosen.transforms(TransformType.ENCRYPTION).getFirst();
        EncryptionAlgorithm e = EncryptionAlgorithm.of(encr.id(), encr.keyLength().orElse(256));
        List<org.cevpn.ipsec.ike.message.Transform> integ = chosen.transforms(TransformType.INTEGRITY);
        IntegrityAlgorithm i = integ.isEmpty() ? IntegrityAlgorithm.NONE : IntegrityAlgorithm.of(integ.getFirst().id());
        if (e.isAead() != (i == IntegrityAlgorithm.NONE)) {
            throw new IllegalArgumentException(e + " with " + i + " is not a valid IKE suite");
        }
        byte[] ei = keys.skEi();
        byte[] er = keys.skEr();
        byte[] ai = keys.skAi();
        byte[] ar = keys.skAr();
        try {
            Direction initiatorToResponder = direction(e, i, ei, ai, random);
            Direction responderToInitiator = direction(e, i, er, ar, random);
            return initiator ? new SkProtection(initiatorToResponder, responderToInitiator)
                    : new SkProtection(responderToInitiator, initiatorToResponder);
        } finally {
            for (byte[] k : new byte[][] {ei, er, ai, ar}) {
                Arrays.fill(k, (byte) 0);
            }
        }
    }

    private static Direction direction(EncryptionAlgorithm e, IntegrityAlgorithm i, byte[] encryptionKey,
                                       byte[] integrityKey, SecureRandom random) {
        if (e.isAead()) {
            return new AeadDirection(Aead.create(e, SecretBytes.copyOf(encryptionKey)), random.nextLong());
        }
        return new CbcDirection(new AesCbc(e, SecretBytes.copyOf(encryptionKey)),
                new TruncatedHmac(i, SecretBytes.copyOf(integrityKey)), new UnpredictableIvSource(random));
    }

    /** The whole message: {@code header}, then an SK payload protecting {@code inner}. */
    public byte[] seal(IkeHeader header, List<Payload> inner) {
        byte[] chain = IkeEncoder.encodeChain(inner);
        try {
            return sealOne(header, chain, 0, chain.length,
                    content -> new Payload.Encrypted(IkeEncoder.firstPayloadType(inner), content));
        } finally {
            Arrays.fill(chain, (byte) 0);
        }
    }

    /**
     * The message as RFC 7383 fragments, each datagram at most {@code maxDatagram} octets (IKE
     * message, without UDP or a non-ESP marker): the inner chain is cut into pieces and each piece
     * is padded and protected on its own in an SKF payload; only fragment 1 names the first inner
     * payload. A message that fits is still sent as one SKF fragment of 1, which RFC 7383 allows;
     * callers that prefer a plain SK payload then use {@link #seal}.
     */
    public List<byte[]> sealFragments(IkeHeader header, List<Payload> inner, int maxDatagram) {
        byte[] chain = IkeEncoder.encodeChain(inner);
        int overhead = IkeHeader.LENGTH + SKF_HEADER + out.ivLength() + out.icvLength();
        int block = out.blockSize();
        // Each piece plus its pad-length octet fills whole blocks, with no padding to spare.
        int piece = (maxDatagram - overhead) / block * block - 1;
        if (piece < 1) {
            throw new IllegalArgumentException("a fragment of " + maxDatagram + " octets leaves no room for data");
        }
        int total = Math.max(1, (chain.length + piece - 1) / piece);
        if (total > MAX_FRAGMENTS) {
            throw new IllegalArgumentException(total + " fragments exceed our limit of " + MAX_FRAGMENTS);
        }
        int first = IkeEncoder.firstPayloadType(inner);
        List<byte[]> out = new ArrayList<>(total);
        try {
            for (int n = 1; n <= total; n++) {
                int from = (n - 1) * piece;
                int number = n;
                out.add(sealOne(header, chain, from, Math.min(piece, chain.length - from),
                        content -> new Payload.EncryptedFragment(number == 1 ? first : 0, number, total, content)));
            }
        } finally {
            Arrays.fill(chain, (byte) 0);
        }
        return out;
    }

    private byte[] sealOne(IkeHeader header, byte[] chain, int from, int length,
                           java.util.function.Function<Octets, Payload> wrap) {
        int block = out.blockSize();
        int pad = (block - (length + 1) % block) % block;
        byte[] plaintext = new byte[length + pad + 1];
        System.arraycopy(chain, from, plaintext, 0, length);
        plaintext[plaintext.length - 1] = (byte) pad;
        int contentLength = out.ivLength() + plaintext.length + out.icvLength();
        // Encode with a placeholder of the final size, so that every length field (the AAD) is final.
        byte[] message = IkeEncoder.encode(new IkeMessage(header, List.of(wrap.apply(Octets.copyOf(new byte[contentLength])))));
        out.seal(message, message.length - contentLength, plaintext);
        Arrays.fill(plaintext, (byte) 0);
        return message;
    }

    /** One opened fragment: its place and its decrypted piece of the inner chain. */
    public record OpenedFragment(long messageId, int number, int total, int firstInnerPayload, byte[] piece) {
        @Override
        public String toString() {
            return "OpenedFragment[#" + messageId + " " + number + "/" + total + ", " + piece.length + " octets]";
        }
    }

    /** Checks and decrypts one SKF fragment (RFC 7383 §2.6): every fragment is authenticated alone. */
    public OpenedFragment openFragment(DecodedMessage message, byte[] raw) throws SkException {
        if (message.encryptedOffset() < 0 || !(message.payloads().getLast() instanceof Payload.EncryptedFragment skf)) {
            throw new SkException(SkException.Reason.MALFORMED, "no SKF payload");
        }
        int contentAt = message.encryptedOffset() + SKF_HEADER;
        byte[] plaintext = in.open(raw, contentAt, raw.length - contentAt);
        int padLength = plaintext[plaintext.length - 1] & 0xff;
        if (padLength + 1 > plaintext.length) {
            throw new SkException(SkException.Reason.MALFORMED, "pad length " + padLength + " beyond the plaintext");
        }
        byte[] piece = Arrays.copyOf(plaintext, plaintext.length - padLength - 1);
        Arrays.fill(plaintext, (byte) 0);
        return new OpenedFragment(message.header().messageId(), skf.fragmentNumber(), skf.totalFragments(),
                skf.firstInnerPayload(), piece);
    }

    /**
     * Checks and decrypts the SK payload of a received message and decodes the payloads inside.
     *
     * @param raw the message's octets as received (the decoder's input)
     * @throws SkException        the message must be dropped (forged, corrupted, not ours)
     * @throws IkeDecodeException the inner payloads are malformed: an authentic message, answered
     *                            with the notify the exception names
     */
    public List<Payload> open(DecodedMessage message, byte[] raw) throws SkException, IkeDecodeException {
        if (message.encryptedOffset() < 0 || !(message.payloads().getLast() instanceof Payload.Encrypted sk)) {
            throw new SkException(SkException.Reason.MALFORMED, "no SK payload");
        }
        int contentAt = message.encryptedOffset() + SK_HEADER;
        int contentLength = raw.length - contentAt;
        byte[] plaintext = in.open(raw, contentAt, contentLength);
        int padLength = plaintext[plaintext.length - 1] & 0xff;
        if (padLength + 1 > plaintext.length) {
            throw new SkException(SkException.Reason.MALFORMED, "pad length " + padLength + " beyond the plaintext");
        }
        List<Integer> ignored = new ArrayList<>(0);
        try {
            return IkeDecoder.decodeInner(sk.firstInnerPayload(), plaintext, 0, plaintext.length - padLength - 1, ignored);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "SkProtection[" + out + "]";
    }

    /** One direction's cipher state. */
    private sealed interface Direction permits AeadDirection, CbcDirection {
        int ivLength();

        int icvLength();

        int blockSize();

        /** Writes IV, ciphertext and ICV into {@code message} from {@code contentAt} to its end. */
        void seal(byte[] message, int contentAt, byte[] plaintext);

        /** Checks and decrypts {@code message[contentAt, contentAt+length)}; the plaintext is non-empty. */
        byte[] open(byte[] message, int contentAt, int length) throws SkException;
    }

    private static final class AeadDirection implements Direction {
        private final Aead aead;
        /** RFC 5282 §3.1: the IV must never repeat under a key; a counter guarantees it. */
        private long counter;

        AeadDirection(Aead aead, long start) {
            this.aead = aead;
            this.counter = start;
        }

        @Override
        public int ivLength() {
            return 8;
        }

        @Override
        public int icvLength() {
            return aead.icvLength();
        }

        @Override
        public int blockSize() {
            return 1;
        }

        @Override
        public void seal(byte[] message, int contentAt, byte[] plaintext) {
            long iv = counter++;
            for (int k = 0; k < 8; k++) {
                message[contentAt + k] = (byte) (iv >>> (56 - 8 * k));
            }
            aead.seal(message, contentAt, message, 0, contentAt, plaintext, 0, plaintext.length, message, contentAt + 8);
        }

        @Override
        public byte[] open(byte[] message, int contentAt, int length) throws SkException {
            int ciphertext = length - 8;
            if (ciphertext < aead.icvLength() + 1) {
                throw new SkException(SkException.Reason.MALFORMED, "SK payload of " + length + " octets");
            }
            byte[] plaintext = new byte[ciphertext - aead.icvLength()];
            int n = aead.open(message, contentAt, message, 0, contentAt, message, contentAt + 8, ciphertext, plaintext, 0);
            if (n < 0) {
                throw new SkException(SkException.Reason.INTEGRITY, "ICV does not verify");
            }
            return plaintext;
        }

        @Override
        public String toString() {
            return aead.algorithm().toString();
        }
    }

    private static final class CbcDirection implements Direction {
        private final AesCbc cbc;
        private final TruncatedHmac mac;
        private final UnpredictableIvSource ivs;

        CbcDirection(AesCbc cbc, TruncatedHmac mac, UnpredictableIvSource ivs) {
            this.cbc = cbc;
            this.mac = mac;
            this.ivs = ivs;
        }

        @Override
        public int ivLength() {
            return AesCbc.BLOCK;
        }

        @Override
        public int icvLength() {
            return mac.icvLength();
        }

        @Override
        public int blockSize() {
            return AesCbc.BLOCK;
        }

        @Override
        public void seal(byte[] message, int contentAt, byte[] plaintext) {
            ivs.next(message, contentAt);
            cbc.encrypt(message, contentAt, plaintext, 0, plaintext.length, message, contentAt + AesCbc.BLOCK);
            int icvAt = message.length - mac.icvLength();
            mac.reset();
            mac.update(message, 0, icvAt);
            mac.finish(message, icvAt);
        }

        @Override
        public byte[] open(byte[] message, int contentAt, int length) throws SkException {
            int ciphertext = length - AesCbc.BLOCK - mac.icvLength();
            if (ciphertext < AesCbc.BLOCK || ciphertext % AesCbc.BLOCK != 0) {
                throw new SkException(SkException.Reason.MALFORMED, "SK ciphertext of " + ciphertext + " octets");
            }
            int icvAt = message.length - mac.icvLength();
            mac.reset();
            mac.update(message, 0, icvAt);
            if (!mac.verify(message, icvAt)) {
                throw new SkException(SkException.Reason.INTEGRITY, "ICV does not verify");
            }
            byte[] plaintext = new byte[ciphertext];
            cbc.decrypt(message, contentAt, message, contentAt + AesCbc.BLOCK, ciphertext, plaintext, 0);
            return plaintext;
        }

        @Override
        public String toString() {
            return cbc.algorithm() + "+" + mac.algorithm();
        }
    }
}

package org.cevpn.ipsec.ike.testsupport;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.cevpn.ipsec.ike.message.DecodedMessage;
import org.cevpn.ipsec.ike.message.EncryptionAlgorithm;
import org.cevpn.ipsec.ike.message.IkeDecodeException;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeEncoder;
import org.cevpn.ipsec.ike.message.IkeHeader;
import org.cevpn.ipsec.ike.message.IkeMessage;
import org.cevpn.ipsec.ike.message.IntegrityAlgorithm;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.TransformType;

/**
 * SK payload protection (RFC 7296 §3.14; RFC 5282 for AES-GCM) done directly with JCE, for
 * interop tests only: it lets a test carry our IKE_SA_INIT keys into an IKE_AUTH that a real
 * strongSwan checks, and open strongSwan's answers. The engine's SK layer will be built on the
 * shared crypto package (esp branch) and is not this class.
 */
public final class SkScaffold {
    private final Proposal suite;
    private final SecureRandom random;

    public SkScaffold(Proposal suite, SecureRandom random) {
        this.suite = suite;
        this.random = random;
    }

    private boolean gcm() {
        return suite.transforms(TransformType.ENCRYPTION).getFirst().id() == EncryptionAlgorithm.AES_GCM_16.value();
    }

    private String macName() {
        IntegrityAlgorithm integ = IntegrityAlgorithm.of(suite.transforms(TransformType.INTEGRITY).getFirst().id()).orElseThrow();
        return switch (integ) {
            case HMAC_SHA2_256_128 -> "HmacSHA256";
            case HMAC_SHA2_384_192 -> "HmacSHA384";
            case HMAC_SHA2_512_256 -> "HmacSHA512";
            default -> throw new IllegalArgumentException("scaffold does not do " + integ);
        };
    }

    /** The whole datagram: header, SK payload with {@code inner} protected by the given keys. */
    public byte[] seal(IkeHeader header, List<Payload> inner, byte[] encryptionKey, byte[] integrityKey)
            throws GeneralSecurityException {
        byte[] chain = IkeEncoder.encodeChain(inner);
        int block = gcm() ? 1 : 16;
        int pad = (block - (chain.length + 1) % block) % block;
        byte[] plaintext = Arrays.copyOf(chain, chain.length + pad + 1);
        plaintext[plaintext.length - 1] = (byte) pad;
        int ivLength = gcm() ? 8 : 16;
        int icv = gcm() ? 16 : integrityKey.length / 2;
        byte[] placeholder = new byte[ivLength + plaintext.length + icv];
        byte[] out = IkeEncoder.encode(new IkeMessage(header, List.of(
                new Payload.Encrypted(IkeEncoder.firstPayloadType(inner), Octets.copyOf(placeholder)))));
        int contentAt = out.length - placeholder.length;
        byte[] iv = new byte[ivLength];
        random.nextBytes(iv);
        System.arraycopy(iv, 0, out, contentAt, ivLength);
        if (gcm()) {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryptionKey, 0, encryptionKey.length - 4, "AES"),
                    new GCMParameterSpec(128, nonce(encryptionKey, iv)));
            c.updateAAD(out, 0, contentAt);
            byte[] sealed = c.doFinal(plaintext);
            System.arraycopy(sealed, 0, out, contentAt + ivLength, sealed.length);
        } else {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"), new IvParameterSpec(iv));
            byte[] ct = c.doFinal(plaintext);
            System.arraycopy(ct, 0, out, contentAt + ivLength, ct.length);
            Mac mac = Mac.getInstance(macName());
            mac.init(new SecretKeySpec(integrityKey, macName()));
            mac.update(out, 0, out.length - icv);
            System.arraycopy(mac.doFinal(), 0, out, out.length - icv, icv);
        }
        return out;
    }

    /** Checks and decrypts the SK payload of a received message. */
    public List<Payload> open(DecodedMessage m, byte[] octets, byte[] encryptionKey, byte[] integrityKey)
            throws GeneralSecurityException, IkeDecodeException {
        Payload.Encrypted sk = (Payload.Encrypted) m.payloads().getLast();
        byte[] content = sk.content().toByteArray();
        int contentAt = m.encryptedOffset() + 4;
        byte[] plaintext;
        if (gcm()) {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryptionKey, 0, encryptionKey.length - 4, "AES"),
                    new GCMParameterSpec(128, nonce(encryptionKey, Arrays.copyOf(content, 8))));
            c.updateAAD(octets, 0, contentAt);
            plaintext = c.doFinal(content, 8, content.length - 8);
        } else {
            int icv = integrityKey.length / 2;
            Mac mac = Mac.getInstance(macName());
            mac.init(new SecretKeySpec(integrityKey, macName()));
            mac.update(octets, 0, octets.length - icv);
            if (!Arrays.equals(Arrays.copyOf(mac.doFinal(), icv), Arrays.copyOfRange(octets, octets.length - icv, octets.length))) {
                throw new GeneralSecurityException("ICV mismatch");
            }
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"), new IvParameterSpec(content, 0, 16));
            plaintext = c.doFinal(content, 16, content.length - 16 - icv);
        }
        int pad = plaintext[plaintext.length - 1] & 0xff;
        return IkeDecoder.decodeInner(sk.firstInnerPayload(), Arrays.copyOf(plaintext, plaintext.length - pad - 1));
    }

    private static byte[] nonce(byte[] keyWithSalt, byte[] iv) {
        byte[] nonce = new byte[12];
        System.arraycopy(keyWithSalt, keyWithSalt.length - 4, nonce, 0, 4);
        System.arraycopy(iv, 0, nonce, 4, 8);
        return nonce;
    }
}

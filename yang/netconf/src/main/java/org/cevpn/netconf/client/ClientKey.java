package org.cevpn.netconf.client;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.KeyUtils;
import org.opendaylight.netconf.shaded.sshd.common.util.security.SecurityUtils;

/**
 * The client's SSH key pair, made from a DER PKCS #8 private key (cvt:der-private-key, RFC 5958): EC (P-256,
 * P-384, P-521), RSA and Ed25519. The public half is recomputed from the private key, since PKCS #8 need not
 * carry it. Never printed.
 */
public final class ClientKey {
    private static final String EC = "1.2.840.10045.2.1";
    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String ED25519 = "1.3.101.112";

    private final KeyPair keyPair;

    private ClientKey(final KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    public static ClientKey of(final KeyPair keyPair) {
        return new ClientKey(keyPair);
    }

    /** @throws GeneralSecurityException when the octets are not a PKCS #8 key of a supported algorithm */
    public static ClientKey fromPkcs8(final byte[] der) throws GeneralSecurityException {
        final PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new GeneralSecurityException("the client private key is not DER PKCS #8");
        }
        final String algorithm = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        return switch (algorithm) {
            case EC -> {
                final var priv = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
                // Q = d·G on the key's own curve
                final var spec = EC5Util.convertSpec(priv.getParams());
                final var q = spec.getG().multiply(priv.getS()).normalize();
                final PublicKey pub = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), priv.getParams()));
                yield new ClientKey(new KeyPair(pub, priv));
            }
            case RSA -> {
                final var priv = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                if (!(priv instanceof RSAPrivateCrtKey crt)) {
                    throw new GeneralSecurityException("the RSA client private key lacks its CRT parameters");
                }
                yield new ClientKey(new KeyPair(KeyUtils.recoverFromRSAPrivateCrtKey(crt), priv));
            }
            case ED25519 -> {
                final byte[] seed;
                try {
                    seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                } catch (IOException | RuntimeException e) {
                    throw new GeneralSecurityException("the Ed25519 client private key is malformed");
                }
                try {
                    final var priv = SecurityUtils.generateEDDSAPrivateKey("ssh-ed25519", seed);
                    yield new ClientKey(new KeyPair(SecurityUtils.recoverEDDSAPublicKey(priv), priv));
                } catch (IOException e) {
                    throw new GeneralSecurityException("the Ed25519 client private key is malformed");
                }
            }
            default -> throw new GeneralSecurityException("client private key algorithm " + algorithm
                + " is not supported (EC, RSA or Ed25519)");
        };
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    /** The public key, e.g. for the server's list of authorized keys. */
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    @Override
    public String toString() {
        return "ClientKey[" + SshKeys.fingerprint(keyPair.getPublic()) + ", private half hidden]";
    }
}

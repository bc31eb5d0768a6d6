package org.cevpn.ipsec.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * {@link Cipher} and {@link Mac} instances from the provider the JDK picked the first time for each
 * name. {@code Cipher.getInstance(name)} walks the whole provider list on every call, building a
 * lookup key (an upper-cased copy of the name) per provider: per IKE handshake that was a dozen walks
 * (the SK payload's ciphers, the child SAs', every PRF), and one fifth of all the memory a handshake
 * allocated. The choice is the JDK's own, made once; the instances are new every time.
 */
public final class JceProviders {
    private static final Map<String, Provider> CIPHERS = new ConcurrentHashMap<>();
    private static final Map<String, Provider> MACS = new ConcurrentHashMap<>();

    private JceProviders() {
    }

    public static Cipher cipher(String transformation) throws GeneralSecurityException {
        Provider p = CIPHERS.get(transformation);
        if (p == null) {
            Cipher c = Cipher.getInstance(transformation);
            CIPHERS.putIfAbsent(transformation, c.getProvider());
            return c;
        }
        return Cipher.getInstance(transformation, p);
    }

    public static Mac mac(String algorithm) throws NoSuchAlgorithmException {
        Provider p = MACS.get(algorithm);
        if (p == null) {
            Mac m = Mac.getInstance(algorithm);
            MACS.putIfAbsent(algorithm, m.getProvider());
            return m;
        }
        return Mac.getInstance(algorithm, p);
    }
}

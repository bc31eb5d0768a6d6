package org.cevpn.ipsec.ike.crypto;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * NAT_DETECTION_SOURCE_IP / _DESTINATION_IP data (RFC 7296 §2.23):
 * SHA-1(SPIi | SPIr | IP address | port). In the IKE_SA_INIT request SPIr is zero.
 */
public final class NatDetection {
    private NatDetection() {
    }

    public static byte[] hash(long spiI, long spiR, InetAddress address, int port) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(KeyDerivation.spi(spiI));
            sha1.update(KeyDerivation.spi(spiR));
            sha1.update(address.getAddress());
            sha1.update((byte) (port >>> 8));
            sha1.update((byte) port);
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is unavailable", e);
        }
    }

    /** True if {@code received} matches the hash of the given endpoint (constant time). */
    public static boolean matches(byte[] received, long spiI, long spiR, InetAddress address, int port) {
        return MessageDigest.isEqual(received, hash(spiI, spiR, address, port));
    }
}

package org.cevpn.ipsec.ike.crypto;

import java.util.Arrays;

/**
 * The seven IKE SA keys of RFC 7296 §2.14. Accessors hand out copies; {@link #toString()} shows
 * only lengths. {@link #destroy()} wipes them when the IKE SA goes.
 */
public final class IkeSaKeys {
    private final byte[] skD;
    private final byte[] skAi;
    private final byte[] skAr;
    private final byte[] skEi;
    private final byte[] skEr;
    private final byte[] skPi;
    private final byte[] skPr;

    IkeSaKeys(byte[] keymat, KeyLengths l) {
        int at = 0;
        skD = Arrays.copyOfRange(keymat, at, at += l.prf());
        skAi = Arrays.copyOfRange(keymat, at, at += l.integrity());
        skAr = Arrays.copyOfRange(keymat, at, at += l.integrity());
        skEi = Arrays.copyOfRange(keymat, at, at += l.encryption());
        skEr = Arrays.copyOfRange(keymat, at, at += l.encryption());
        skPi = Arrays.copyOfRange(keymat, at, at += l.prf());
        skPr = Arrays.copyOfRange(keymat, at, at + l.prf());
    }

    public byte[] skD() {
        return skD.clone();
    }

    public byte[] skAi() {
        return skAi.clone();
    }

    public byte[] skAr() {
        return skAr.clone();
    }

    public byte[] skEi() {
        return skEi.clone();
    }

    public byte[] skEr() {
        return skEr.clone();
    }

    public byte[] skPi() {
        return skPi.clone();
    }

    public byte[] skPr() {
        return skPr.clone();
    }

    public void destroy() {
        for (byte[] k : new byte[][] {skD, skAi, skAr, skEi, skEr, skPi, skPr}) {
            Arrays.fill(k, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "IkeSaKeys[SK_d " + skD.length + ", SK_a " + skAi.length + ", SK_e " + skEi.length
                + ", SK_p " + skPi.length + " octets]";
    }
}

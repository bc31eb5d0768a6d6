package org.cevpn.ipsec.esp;

/**
 * SA lifetimes (RFC 4301 §4.4.2.1): soft limits ask for a rekey, hard limits end the SA. Each kind
 * is independent; {@link Long#MAX_VALUE} means no limit.
 */
public record Lifetime(long softBytes, long hardBytes, long softPackets, long hardPackets,
                       long softSeconds, long hardSeconds) {
    public static final long NONE = Long.MAX_VALUE;
    public static final Lifetime UNLIMITED = new Lifetime(NONE, NONE, NONE, NONE, NONE, NONE);

    public Lifetime {
        check("bytes", softBytes, hardBytes);
        check("packets", softPackets, hardPackets);
        check("seconds", softSeconds, hardSeconds);
    }

    private static void check(String what, long soft, long hard) {
        if (soft <= 0 || hard <= 0) {
            throw new IllegalArgumentException("lifetime " + what + " must be positive");
        }
        if (soft > hard) {
            throw new IllegalArgumentException("soft lifetime " + what + " (" + soft + ") exceeds hard (" + hard + ")");
        }
    }

    public Lifetime withBytes(long soft, long hard) {
        return new Lifetime(soft, hard, softPackets, hardPackets, softSeconds, hardSeconds);
    }

    public Lifetime withPackets(long soft, long hard) {
        return new Lifetime(softBytes, hardBytes, soft, hard, softSeconds, hardSeconds);
    }

    public Lifetime withSeconds(long soft, long hard) {
        return new Lifetime(softBytes, hardBytes, softPackets, hardPackets, soft, hard);
    }
}

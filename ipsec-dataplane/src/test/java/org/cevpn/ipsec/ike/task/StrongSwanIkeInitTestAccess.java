package org.cevpn.ipsec.ike.task;

/** Lets tests in other packages use the PSK IKE_AUTH settings the strongSwan tests agree on. */
public final class StrongSwanIkeInitTestAccess {
    private StrongSwanIkeInitTestAccess() {
    }

    public static IkeAuthConfig pskAuth() throws Exception {
        return StrongSwanIkeInitTest.pskAuth();
    }
}

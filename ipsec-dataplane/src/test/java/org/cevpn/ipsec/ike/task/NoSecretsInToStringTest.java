package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secrets (PSKs, SA keys) never reach a log through toString(). */
class NoSecretsInToStringTest {
    @Test
    void keysAndPresharedSecretsDoNotPrint() throws Exception {
        byte[] psk = "super-secret-tunnel-key".getBytes(StandardCharsets.US_ASCII);
        String pskHex = HexFormat.of().formatHex(psk);
        var own = new Credentials.OwnSharedKey(psk);
        var peer = new Credentials.PeerSharedKey(psk);
        for (String s : List.of(own.toString(), peer.toString())) {
            assertFalse(s.contains("super-secret") || s.contains(pskHex), s);
        }
        IkeAuthExchangeTest.Pair p = IkeAuthExchangeTest.init();
        IkeInitResult r = p.initiator();
        String printed = r + " " + IkeSaKeying.of(r, true);
        for (byte[] key : List.of(r.keys().skD(), r.keys().skEi(), r.keys().skEr(), r.keys().skPi(), r.keys().skPr())) {
            assertFalse(printed.contains(HexFormat.of().formatHex(key, 0, 8)), "a key in: " + printed);
        }
        var config = new IkeAuthConfig(Identity.fqdn("a"), own, Identity.fqdn("b"), peer, true,
                new ChildSaConfig(List.of(new org.cevpn.ipsec.ike.message.Proposal(1, 3, org.cevpn.ipsec.ike.message.Octets.EMPTY,
                        List.of())), List.of(IkeAuthExchangeTest.net("10.0.0.0", "10.0.0.255")),
                        List.of(IkeAuthExchangeTest.net("10.1.0.0", "10.1.0.255"))));
        assertFalse(config.toString().contains("super-secret"), config.toString());
    }
}

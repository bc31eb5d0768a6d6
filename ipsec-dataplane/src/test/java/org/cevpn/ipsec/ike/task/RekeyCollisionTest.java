package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RekeyCollisionTest {
    private static RekeyCollision.Exchange x(String ni, String nr) {
        return new RekeyCollision.Exchange(HexFormat.of().parseHex(ni), HexFormat.of().parseHex(nr));
    }

    @Test
    void theExchangeWithTheLowestNonceLoses() {
        RekeyCollision.Exchange a = x("50", "90");
        RekeyCollision.Exchange b = x("70", "20"); // holds the lowest nonce, 0x20
        assertTrue(RekeyCollision.oursIsRedundant(b, a));
        assertFalse(RekeyCollision.oursIsRedundant(a, b));
    }

    @Test
    void bothPeersReachTheSameVerdictAndOctetsCompareUnsigned() {
        RekeyCollision.Exchange mine = x("80ff", "7f00"); // 0x7f00 is the lowest: 0x80 is above 0x7f unsigned
        RekeyCollision.Exchange peers = x("ff00", "8000");
        // Each side asks about its own exchange: exactly one of them deletes.
        assertTrue(RekeyCollision.oursIsRedundant(mine, peers) != RekeyCollision.oursIsRedundant(peers, mine));
        assertTrue(RekeyCollision.oursIsRedundant(mine, peers));
    }
}

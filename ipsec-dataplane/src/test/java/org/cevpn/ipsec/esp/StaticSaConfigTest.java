package org.cevpn.ipsec.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cevpn.ipsec.crypto.EncryptionAlgorithm;
import org.cevpn.ipsec.crypto.IntegrityAlgorithm;
import org.junit.jupiter.api.Test;

class StaticSaConfigTest {
    static final String GCM_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01020304";

    @Test
    void parsesBothDirectionsAndOptions() {
        List<SaConfig> sas = StaticSaConfig.parse("""
                # ce1 towards ce2
                sa out spi=0x1001 peer=192.0.2.2:4500 enc=aes-gcm-16-256 key=%s local=10.1.0.0/16 remote=10.2.0.0/16,10.3.0.0/16
                sa in spi=4098 peer=192.0.2.2 mode=transport-ipip enc=aes-cbc-128 key=000102030405060708090a0b0c0d0e0f \
                """.formatted(GCM_KEY) + """
                integ=hmac-sha2-256-128 integ-key=%s esn=no window=4096 lifetime-packets=100/200 local=10.1.0.0/16 remote=10.2.0.0/16
                """.formatted("ab".repeat(32)));
        assertEquals(2, sas.size());
        SaConfig out = sas.get(0);
        assertEquals(Direction.OUTBOUND, out.direction());
        assertEquals(0x1001, out.spi());
        assertEquals(4500, out.peer().getPort());
        assertEquals(EncryptionAlgorithm.AES_GCM_16_256, out.encryption());
        assertEquals(2, out.remoteSelectors().size());
        assertTrue(out.esn());
        SaConfig in = sas.get(1);
        assertEquals(Mode.TRANSPORT_IPIP, in.mode());
        assertEquals(IntegrityAlgorithm.HMAC_SHA2_256_128, in.integrity());
        assertFalse(in.esn());
        assertEquals(4096, in.replayWindow());
        assertEquals(200, in.lifetime().hardPackets());
    }

    @Test
    void errorsNameTheLineAndNeverTheKey() {
        String badKey = "sa out spi=0x1001 peer=192.0.2.2 key=" + GCM_KEY.substring(2) + " local=10.1.0.0/16 remote=10.2.0.0/16";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StaticSaConfig.parse("\n" + badKey));
        assertTrue(e.getMessage().startsWith("line 2:"), e.getMessage());
        assertFalse(e.getMessage().contains(GCM_KEY.substring(2, 20)), e.getMessage());

        for (String bad : List.of("sa sideways spi=1", "sa out spi=0x1001", "sa out bogus=1",
                "sa out spi=zz peer=1.2.3.4 key=" + GCM_KEY + " local=10.0.0.0/8 remote=10.0.0.0/8",
                "sa out spi=0x1001 peer=host.example key=" + GCM_KEY + " local=10.0.0.0/8 remote=10.0.0.0/8",
                "sa out spi=0x1001 peer=1.2.3.4 key=" + GCM_KEY + " local=10.0.0.0/33 remote=10.0.0.0/8",
                "sa out spi=0x1001 peer=1.2.3.4 enc=des key=" + GCM_KEY + " local=10.0.0.0/8 remote=10.0.0.0/8")) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> StaticSaConfig.parse(bad), bad);
            assertTrue(x.getMessage().startsWith("line 1:"), x.getMessage());
        }
    }
}

package org.cevpn.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.cevpn.ipsec.ike.message.IkeDecoder;
import org.cevpn.ipsec.ike.message.IkeMessage;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.testsupport.Captures;
import org.junit.jupiter.api.Test;

/**
 * Our NAT_DETECTION hashes against the ones strongSwan sent (captures: 10.77.0.1 -> 10.77.0.2,
 * port 500). Both charons ran kernel-libipsec, which requires UDP encapsulation, so strongSwan
 * deliberately sent a random NAT_DETECTION_SOURCE_IP to make the peer see a NAT (its way of
 * forcing port 4500): only the destination hashes can match, and the source hashes must not.
 */
class NatDetectionTest {
    @Test
    void strongSwansInitRequestHashesMatchOurs() throws Exception {
        InetAddress initiator = InetAddress.getByName("10.77.0.1");
        InetAddress responder = InetAddress.getByName("10.77.0.2");
        for (String scenario : new String[] {"modp2048-psk", "ecp256-gcm", "x25519-multi"}) {
            IkeMessage init = IkeDecoder.decode(Captures.load(scenario).getFirst().ike()).message();
            long spiI = init.header().initiatorSpi();
            byte[] source = init.notify(NotifyType.NAT_DETECTION_SOURCE_IP).orElseThrow().data().toByteArray();
            byte[] destination = init.notify(NotifyType.NAT_DETECTION_DESTINATION_IP).orElseThrow().data().toByteArray();
            assertTrue(NatDetection.matches(destination, spiI, 0, responder, 500), scenario);
            assertFalse(NatDetection.matches(destination, spiI, 0, responder, 4500), "a changed port is detected");
            assertFalse(NatDetection.matches(destination, spiI, 1, responder, 500), "the SPIs are covered");
            assertFalse(NatDetection.matches(source, spiI, 0, initiator, 500), "strongSwan faked its source hash");
        }
    }

    @Test
    void strongSwansInitResponseHashesUseBothSpis() throws Exception {
        var datagrams = Captures.load("modp2048-psk");
        IkeMessage response = IkeDecoder.decode(datagrams.get(1).ike()).message();
        long spiI = response.header().initiatorSpi();
        long spiR = response.header().responderSpi();
        byte[] destination = response.notify(NotifyType.NAT_DETECTION_DESTINATION_IP).orElseThrow().data().toByteArray();
        assertTrue(NatDetection.matches(destination, spiI, spiR, InetAddress.getByName("10.77.0.1"), 500));
        assertFalse(NatDetection.matches(destination, spiI, 0, InetAddress.getByName("10.77.0.1"), 500));
    }
}

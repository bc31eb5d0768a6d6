package org.cevpn.ipsec.ike.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.cevpn.ipsec.ike.message.NotifyType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;
import org.cevpn.ipsec.ike.message.Proposal;
import org.cevpn.ipsec.ike.message.ProtocolId;
import org.junit.jupiter.api.Test;

class InformationalTest {
    private static final Proposal ESP = new Proposal(1, ProtocolId.ESP.value(), Octets.EMPTY, List.of());

    private static ChildSaResult child(int inbound, int outbound) throws Exception {
        var ts = IkeAuthExchangeTest.net("10.0.0.0", "10.0.0.255");
        return new ChildSaResult(ESP, inbound, outbound, null, true, List.of(ts), List.of(ts));
    }

    @Test
    void aChildDeleteIsAnsweredWithOurHalvesAndUnknownSpisAreIgnored() throws Exception {
        ChildSaResult a = child(0x100, 0x200);
        ChildSaResult b = child(0x101, 0x201);
        // The peer names the SAs by its inbound SPIs, which are the ones we send to.
        List<Payload> request = Informational.deleteChildSas(List.of(0x200, 0x201, 0x999, 0x200));
        var answer = Informational.respond(request, spi -> spi == 0x200 ? Optional.of(a) : spi == 0x201 ? Optional.of(b) : Optional.empty());
        assertEquals(List.of(a, b), answer.deletedChildren());
        assertEquals(List.of(0x100, 0x101), Informational.deletedByPeer(answer.response()));
        assertTrue(!answer.deleteIkeSa());
    }

    @Test
    void anIkeDeleteIsAnsweredEmptyAndLivenessToo() {
        var delete = Informational.respond(Informational.deleteIkeSa(), spi -> Optional.empty());
        assertTrue(delete.deleteIkeSa());
        assertEquals(List.of(), delete.response());
        var alive = Informational.respond(Informational.liveness(), spi -> Optional.empty());
        assertTrue(!alive.deleteIkeSa());
        assertEquals(List.of(), alive.response());
    }

    @Test
    void errorNotifiesAreReported() {
        var answer = Informational.respond(List.of(Payload.Notify.of(NotifyType.AUTHENTICATION_FAILED),
                Payload.Notify.of(NotifyType.INITIAL_CONTACT)), spi -> Optional.empty());
        assertEquals(List.of(NotifyType.AUTHENTICATION_FAILED), answer.errors());
    }
}

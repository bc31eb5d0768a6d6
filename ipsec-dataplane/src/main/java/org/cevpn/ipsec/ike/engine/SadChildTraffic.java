package org.cevpn.ipsec.ike.engine;

import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.InboundSa;
import org.cevpn.ipsec.esp.SecurityAssociation;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.ipsec.ike.task.ChildSaResult;

/** {@link ChildSaTraffic} read from the data plane's SAD (called about once a second per peer). */
public final class SadChildTraffic implements ChildSaTraffic {
    private final SecurityAssociationDatabase sad;

    public SadChildTraffic(SecurityAssociationDatabase sad) {
        this.sad = sad;
    }

    @Override
    public long inboundPackets(ChildSaResult child) {
        InboundSa sa = sad.inbound(child.inboundSpi());
        return sa == null ? 0 : sa.stats().packets();
    }

    @Override
    public long outboundPackets(ChildSaResult child) {
        for (SecurityAssociation sa : sad.all()) {
            if (sa.config().direction() == Direction.OUTBOUND && sa.spi() == child.outboundSpi()) {
                return sa.stats().packets();
            }
        }
        return 0;
    }
}

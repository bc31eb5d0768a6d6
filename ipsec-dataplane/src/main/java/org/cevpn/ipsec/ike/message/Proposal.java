package org.cevpn.ipsec.ike.message;

import java.util.List;

/**
 * A proposal substructure (RFC 7296 §3.3.1). {@code spi} is empty in an IKE_SA_INIT proposal,
 * eight octets when rekeying an IKE SA, four octets for ESP/AH.
 */
public record Proposal(int number, int protocolId, Octets spi, List<Transform> transforms) {
    public Proposal {
        if (number < 1 || number > 0xff || protocolId < 0 || protocolId > 0xff) {
            throw new IllegalArgumentException("proposal number/protocol out of range");
        }
        if (spi.length() > 0xff) {
            throw new IllegalArgumentException("SPI too long");
        }
        transforms = List.copyOf(transforms);
        if (transforms.size() > 0xff) {
            throw new IllegalArgumentException("too many transforms");
        }
    }

    /** The transforms of one type, in the order proposed. */
    public List<Transform> transforms(TransformType type) {
        return transforms.stream().filter(t -> t.is(type)).toList();
    }
}

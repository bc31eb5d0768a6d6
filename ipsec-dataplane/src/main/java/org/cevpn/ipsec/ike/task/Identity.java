package org.cevpn.ipsec.ike.task;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.cevpn.ipsec.ike.message.IdType;
import org.cevpn.ipsec.ike.message.Octets;
import org.cevpn.ipsec.ike.message.Payload;

/** An IKE identity (RFC 7296 §3.5): the ID type and its data, as IDi/IDr carry it. */
public record Identity(int idType, Octets data) {
    public static Identity fqdn(String name) {
        return new Identity(IdType.FQDN.value(), Octets.copyOf(name.getBytes(StandardCharsets.US_ASCII)));
    }

    public static Identity address(InetAddress address) {
        return new Identity((address instanceof Inet4Address ? IdType.IPV4_ADDR : IdType.IPV6_ADDR).value(),
                Octets.copyOf(address.getAddress()));
    }

    public static Identity of(Payload.Identification id) {
        return new Identity(id.idType(), id.data());
    }

    Payload.Identification payload(boolean initiator) {
        return new Payload.Identification(initiator, idType, data);
    }

    @Override
    public String toString() {
        if (idType == IdType.FQDN.value() || idType == IdType.RFC822_ADDR.value()) {
            return new String(data.toByteArray(), StandardCharsets.US_ASCII);
        }
        return IdType.of(idType).map(Enum::name).orElse("ID type " + idType) + ":" + data;
    }
}

package org.cevpn.netconf.notification;

import java.time.Instant;
import java.util.Objects;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/**
 * One event of a stream: when it happened and its YANG notification body (a ContainerNode named after the
 * notification, as yangtools' DOM notifications carry it).
 */
public record NetconfNotification(Instant eventTime, ContainerNode body) {
    public NetconfNotification {
        Objects.requireNonNull(eventTime);
        Objects.requireNonNull(body);
    }

    /** The notification's name (e.g. cevpn-ce-device's tunnel-down). */
    public QName type() {
        return body.name().getNodeType();
    }
}

package org.cevpn.netconf.notification;

import java.io.IOException;
import java.io.StringWriter;
import java.time.format.DateTimeFormatter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeWriter;
import org.opendaylight.yangtools.yang.data.codec.xml.XMLStreamNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.model.api.stmt.SchemaNodeIdentifier.Absolute;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;

/**
 * The RFC 5277 §4 encoding of a notification:
 * {@code <notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>…</eventTime>body</notification>}.
 * The body is written by yangtools' XML codec against the notification's schema (top-level notifications).
 */
public final class NotificationXml {
    private final YangSchema schema;
    private final XMLOutputFactory factory = XMLOutputFactory.newDefaultFactory();

    public NotificationXml(final YangSchema schema) {
        this.schema = schema;
    }

    public String encode(final NetconfNotification notification) {
        final var out = new StringWriter(512);
        try {
            final var xml = factory.createXMLStreamWriter(out);
            xml.writeStartElement("", "notification", SubscriptionRequest.NAMESPACE);
            xml.writeDefaultNamespace(SubscriptionRequest.NAMESPACE);
            xml.writeStartElement(SubscriptionRequest.NAMESPACE, "eventTime");
            xml.writeCharacters(DateTimeFormatter.ISO_INSTANT.format(notification.eventTime()));
            xml.writeEndElement();
            final var type = notification.type();
            xml.writeStartElement("", type.getLocalName(), type.getNamespace().toString());
            xml.writeDefaultNamespace(type.getNamespace().toString());
            final var inference = SchemaInferenceStack.of(schema.context(), Absolute.of(type)).toInference();
            final var nodes = XMLStreamNormalizedNodeStreamWriter.create(xml, inference);
            // Flushed, not closed: closing would close the XMLStreamWriter the envelope still needs.
            final var writer = NormalizedNodeWriter.forStreamWriter(nodes);
            for (var child : inSchemaOrder(notification)) {
                writer.write(child);
            }
            writer.flush();
            xml.writeEndElement();
            xml.writeEndElement();
            xml.flush();
        } catch (XMLStreamException | IOException | RuntimeException e) {
            throw new IllegalArgumentException("notification " + notification.type().getLocalName()
                + " cannot be encoded: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * The body's children in the order the notification declares them (strict clients read notification content
     * like rpc input, in schema order); children the schema does not list follow as they are.
     */
    private java.util.List<org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild> inSchemaOrder(
            final NetconfNotification notification) {
        final var body = notification.body();
        final var ordered = new java.util.ArrayList<org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild>();
        schema.moduleByNamespace(notification.type().getNamespace().toString())
            .flatMap(m -> m.getNotifications().stream().filter(n -> n.getQName().equals(notification.type())).findFirst())
            .ifPresent(definition -> definition.getChildNodes().forEach(child -> {
                final var node = body.childByArg(new org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier
                    .NodeIdentifier(child.getQName()));
                if (node != null) {
                    ordered.add(node);
                }
            }));
        for (var child : body.body()) {
            if (ordered.stream().noneMatch(o -> o.name().equals(child.name()))) {
                ordered.add(child);
            }
        }
        return ordered;
    }
}

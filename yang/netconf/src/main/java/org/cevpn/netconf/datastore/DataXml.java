package org.cevpn.netconf.datastore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeWriter;
import org.opendaylight.yangtools.yang.data.codec.xml.XMLStreamNormalizedNodeStreamWriter;

/**
 * Writes a datastore root as XML: its top-level data nodes inside one wrapper element of the NETCONF base
 * namespace ({@code <data>} in replies and in our files, {@code <config>} in edits). Reading goes the other
 * way through the shared InstanceDocumentParser, so what we write is checked like any input.
 */
public final class DataXml {
    private static final XMLOutputFactory OUT = XMLOutputFactory.newDefaultFactory();

    private final YangSchema schema;

    public DataXml(final YangSchema schema) {
        this.schema = schema;
    }

    /** {@code <wrapper xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">...data...</wrapper>} as UTF-8. */
    public byte[] toXml(final ContainerNode root, final String wrapper) {
        final var out = new ByteArrayOutputStream(4096);
        try {
            final var xml = OUT.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartElement("", wrapper, ErrorInfo.NETCONF_BASE);
            xml.writeDefaultNamespace(ErrorInfo.NETCONF_BASE);
            final var nodes = XMLStreamNormalizedNodeStreamWriter.create(xml, schema.context());
            // Not closed: closing it would end the XML document before our wrapper's end tag.
            final var writer = NormalizedNodeWriter.forStreamWriter(nodes);
            for (var child : root.body()) {
                writer.write(child);
            }
            writer.flush();
            xml.writeEndElement();
            xml.flush();
            xml.close();
        } catch (XMLStreamException | IOException e) {
            throw new IllegalStateException("cannot write datastore as XML", e);
        }
        return out.toByteArray();
    }

    public String toXmlString(final ContainerNode root, final String wrapper) {
        return new String(toXml(root, wrapper), StandardCharsets.UTF_8);
    }
}

package org.cevpn.netconf.filter;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.transform.dom.DOMResult;
import org.cevpn.netconf.nacm.PolicyTestData;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeWriter;
import org.opendaylight.yangtools.yang.data.codec.xml.XMLStreamNormalizedNodeStreamWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Small helpers for filter tests: XML elements from text, navigation by local names, XML rendering. */
final class FilterTestSupport {
    static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";

    private FilterTestSupport() {
    }

    static Element element(final String xml) {
        try {
            final var doc = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            return doc.getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ContainerNode ceConfig() {
        return PolicyTestData.parse(PolicyTestData.example("valid/ce-vpn-configuration.xml"));
    }

    /** The child of a container (looking through choices) by local name, or null. */
    static NormalizedNode child(final NormalizedNode parent, final String localName) {
        if (!(parent instanceof DataContainerNode container)) {
            return null;
        }
        for (var c : container.body()) {
            if (c instanceof ChoiceNode choice) {
                final var inner = child(choice, localName);
                if (inner != null) {
                    return inner;
                }
            } else if (c.name().getNodeType().getLocalName().equals(localName)) {
                return c;
            }
        }
        return null;
    }

    static NormalizedNode path(final NormalizedNode root, final String... names) {
        NormalizedNode node = root;
        for (var name : names) {
            node = child(node, name);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** A list entry by the string form of its (single) key. */
    static MapEntryNode entry(final NormalizedNode list, final String key) {
        if (!(list instanceof MapNode map)) {
            return null;
        }
        return map.body().stream().filter(e -> e.name().values().iterator().next().toString().equals(key))
            .findFirst().orElse(null);
    }

    static java.util.List<String> childNames(final NormalizedNode node) {
        return ((DataContainerNode) node).body().stream().flatMap(c -> c instanceof ChoiceNode ch
            ? ch.body().stream() : java.util.stream.Stream.of(c))
            .map(c -> c.name().getNodeType().getLocalName()).sorted().toList();
    }

    static QName ce(final String name) {
        return QName.create(PolicyTestData.schema().moduleByNamespace(CE).orElseThrow().getQNameModule(), name);
    }

    static NodeIdentifier id(final String name) {
        return new NodeIdentifier(ce(name));
    }

    /** The data as XML under a {@code <data>} element, as a server would write a reply. */
    static Element toXml(final ContainerNode data) {
        try {
            final Document doc = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().newDocument();
            final var wrapper = doc.createElementNS("urn:ietf:params:xml:ns:netconf:base:1.0", "data");
            doc.appendChild(wrapper);
            final var xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(new DOMResult(wrapper));
            final var nodes = XMLStreamNormalizedNodeStreamWriter.create(xml, PolicyTestData.schema().context());
            try (var writer = NormalizedNodeWriter.forStreamWriter(nodes)) {
                for (var child : data.body()) {
                    writer.write(child);
                }
            }
            xml.flush();
            return wrapper;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> ceNs() {
        return Map.of("ce", CE);
    }
}

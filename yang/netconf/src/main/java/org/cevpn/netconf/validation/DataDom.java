package org.cevpn.netconf.validation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.transform.dom.DOMResult;
import org.cevpn.netconf.ErrorInfo;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeWriter;
import org.opendaylight.yangtools.yang.data.codec.xml.XMLStreamNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The DOM view of a datastore that XPath (must, when, leafref) is evaluated over: the NormalizedNode tree
 * written out as XML under a {@code <data>} element, each element annotated with its schema node and the
 * choice cases it sits in. Built from NormalizedNode, so XML and JSON input look the same here.
 */
final class DataDom {
    private static final String SCHEMA = "cevpn.schema";
    private static final String CASES = "cevpn.cases";
    private static final String IMPLICIT = "cevpn.implicit";

    /** A schema node found under a parent, with the choice/case statements passed on the way. */
    record Located(DataSchemaNode node, List<ChoiceSchemaNode> choices, List<CaseSchemaNode> cases) {
    }

    private DataDom() {
    }

    static Document of(final ContainerNode root, final YangSchema schema) {
        final Document doc;
        try {
            doc = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("JDK DOM unavailable", e);
        }
        final var data = doc.createElementNS(ErrorInfo.NETCONF_BASE, "data");
        doc.appendChild(data);
        try {
            final var xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(new DOMResult(data));
            // Module prefixes for identityref values, so a must comparing with 'prefix:identity' sees them.
            final var nodes = XMLStreamNormalizedNodeStreamWriter.create(xml, schema.context(), true);
            try (var writer = NormalizedNodeWriter.forStreamWriter(nodes)) {
                for (var child : root.body()) {
                    writer.write(child);
                }
            }
            xml.flush();
        } catch (XMLStreamException | IOException e) {
            throw new IllegalStateException("cannot render datastore as XML", e);
        }
        annotate(data, schema.context(), schema);
        return doc;
    }

    /** Annotates any DOM of data elements under a wrapper element (best effort: unknown elements stay bare). */
    static void annotateTree(final Element wrapper, final YangSchema schema) {
        annotate(wrapper, schema.context(), schema);
    }

    private static void annotate(final Element parent, final DataNodeContainer parentSchema, final YangSchema schema) {
        for (var child : elements(parent)) {
            final var located = locate(parentSchema, child, schema);
            if (located == null) {
                // Cannot happen for data yangtools accepted; leave unannotated rather than guess.
                continue;
            }
            setSchema(child, located);
            if (located.node() instanceof DataNodeContainer container) {
                annotate(child, container, schema);
            }
        }
    }

    static void setSchema(final Element element, final Located located) {
        element.setUserData(SCHEMA, located.node(), null);
        element.setUserData(CASES, located, null);
    }

    static Located locate(final DataNodeContainer parentSchema, final Element element, final YangSchema schema) {
        final var module = schema.moduleByNamespace(element.getNamespaceURI());
        if (module.isEmpty()) {
            return null;
        }
        return find(parentSchema, QName.create(module.orElseThrow().getQNameModule(), element.getLocalName()));
    }

    /** Finds a data node child by name, looking through choices and cases (which have no element of their own). */
    static Located find(final DataNodeContainer parent, final QName name) {
        final var direct = parent.dataChildByName(name);
        if (direct != null) {
            return new Located(direct, List.of(), List.of());
        }
        for (var child : parent.getChildNodes()) {
            if (child instanceof ChoiceSchemaNode choice) {
                for (var caseNode : choice.getCases()) {
                    final var inner = find(caseNode, name);
                    if (inner != null) {
                        final var choices = new ArrayList<ChoiceSchemaNode>();
                        final var cases = new ArrayList<CaseSchemaNode>();
                        choices.add(choice);
                        cases.add(caseNode);
                        choices.addAll(inner.choices());
                        cases.addAll(inner.cases());
                        return new Located(inner.node(), choices, cases);
                    }
                }
            }
        }
        return null;
    }

    static DataSchemaNode schemaOf(final Element element) {
        return (DataSchemaNode) element.getUserData(SCHEMA);
    }

    static Located locatedOf(final Element element) {
        return (Located) element.getUserData(CASES);
    }

    /** Marks an element the validator added (a default leaf or non-presence container), not the client. */
    static void markImplicit(final Element element) {
        element.setUserData(IMPLICIT, Boolean.TRUE, null);
    }

    static boolean isImplicit(final Element element) {
        return element.getUserData(IMPLICIT) != null;
    }

    static List<Element> elements(final Node parent) {
        return org.cevpn.netconf.DomElements.children(parent);
    }

    static Element child(final Element parent, final QName name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.getLocalName().equals(e.getLocalName())
                    && name.getNamespace().toString().equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    static List<Element> children(final Element parent, final QName name) {
        final var out = new ArrayList<Element>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.getLocalName().equals(e.getLocalName())
                    && name.getNamespace().toString().equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }
}

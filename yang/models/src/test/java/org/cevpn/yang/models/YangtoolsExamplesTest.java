package org.cevpn.yang.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.stream.JsonReader;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.XMLNamespace;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DistinctNodeContainer;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNodeContainer;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodecFactorySupplier;
import org.opendaylight.yangtools.yang.data.codec.gson.JsonParserStream;
import org.opendaylight.yangtools.yang.data.codec.xml.XmlParserStream;
import org.opendaylight.yangtools.yang.data.impl.schema.ImmutableNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.impl.schema.NormalizationResultHolder;

/**
 * The valid examples are readable by yangtools' codecs, the ones the agent and the VPN server
 * parse NETCONF payloads with, and the JSON copy says exactly what its XML original says.
 * (Validation proper - must, when, leafref - is the validator's; this is about the documents.)
 */
class YangtoolsExamplesTest {

    static Stream<Path> validXmlExamples() {
        return ModelFiles.list(ModelFiles.VALID, ".xml").stream();
    }

    static NormalizedNode parseXml(Path document) throws Exception {
        // The parser reads the document's root element as the node the inference names.
        var context = ModelFiles.effectiveModel();
        QName root = rootElement(document);
        var result = new NormalizationResultHolder();
        try (InputStream in = Files.newInputStream(document)) {
            XmlParserStream.create(ImmutableNormalizedNodeStreamWriter.from(result),
                    SchemaInferenceStack.ofDataTreePath(context, root).toInference())
                .parse(XMLInputFactory.newFactory().createXMLStreamReader(in));
        }
        return result.getResult().data();
    }

    private static QName rootElement(Path document) throws Exception {
        try (InputStream in = Files.newInputStream(document)) {
            XMLStreamReader reader = XMLInputFactory.newFactory().createXMLStreamReader(in);
            reader.nextTag(); // past the leading comment
            var module = ModelFiles.effectiveModel()
                .findModuleStatements(XMLNamespace.of(reader.getNamespaceURI())).iterator().next();
            return QName.create(module.localQNameModule(), reader.getLocalName());
        }
    }

    static NormalizedNode parseJson(Path document) throws Exception {
        var result = new NormalizationResultHolder();
        try (Reader in = Files.newBufferedReader(document)) {
            JsonParserStream.create(ImmutableNormalizedNodeStreamWriter.from(result),
                    JSONCodecFactorySupplier.RFC7951.getShared(ModelFiles.effectiveModel()))
                .parse(new JsonReader(in));
        }
        return result.getResult().data();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validXmlExamples")
    void yangtoolsReadsValidExample(Path example) throws Exception {
        assertInstanceOf(ContainerNode.class, parseXml(example));
    }

    @Test
    void jsonCopySaysWhatTheXmlSays() throws Exception {
        NormalizedNode fromXml = parseXml(ModelFiles.VALID.resolve("ce-vpn-configuration.xml"));
        NormalizedNode fromJson = parseJson(ModelFiles.VALID.resolve("ce-vpn-configuration.json"));
        // JSON parsed from the root may come wrapped in the datastore root container.
        if (!fromJson.name().equals(fromXml.name()) && fromJson instanceof ContainerNode root) {
            fromJson = root.body().iterator().next();
        }
        Map<String, String> xml = flatten(fromXml);
        Map<String, String> json = flatten(fromJson);
        assertTrue(xml.size() > 50, "the example is not trivially small");
        // Report differing paths only: values include (test) key material.
        var onlyXml = new TreeSet<>(xml.keySet());
        onlyXml.removeAll(json.keySet());
        var onlyJson = new TreeSet<>(json.keySet());
        onlyJson.removeAll(xml.keySet());
        var differentValue = new TreeSet<String>();
        xml.forEach((path, value) -> {
            if (json.containsKey(path) && !json.get(path).equals(value)) {
                differentValue.add(path);
            }
        });
        assertEquals("", (onlyXml.isEmpty() ? "" : "only in XML: " + onlyXml)
            + (onlyJson.isEmpty() ? "" : " only in JSON: " + onlyJson)
            + (differentValue.isEmpty() ? "" : " values differ at: " + differentValue));
    }

    /** Every leaf and leaf-list entry as path -> value; binary values in base64. */
    private static Map<String, String> flatten(NormalizedNode node) {
        Map<String, String> out = new TreeMap<>();
        flatten(node, "", out);
        return out;
    }

    private static void flatten(NormalizedNode node, String parent, Map<String, String> out) {
        String path = parent + "/" + node.name();
        if (node instanceof DistinctNodeContainer<?, ?> container) {
            for (NormalizedNode child : container.body()) {
                flatten(child, path, out);
            }
        } else if (node instanceof NormalizedNodeContainer<?> container) {
            for (NormalizedNode child : container.body()) {
                flatten(child, path, out);
            }
        } else {
            Object value = node.body();
            out.put(path, value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value.toString());
        }
    }
}

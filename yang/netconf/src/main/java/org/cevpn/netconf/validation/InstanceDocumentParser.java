package org.cevpn.netconf.validation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.transform.dom.DOMSource;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorPath;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.YangNetconfErrorAware;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.codec.gson.JsonParserStream;
import org.opendaylight.yangtools.yang.data.codec.xml.DOMSourceXMLStreamReader;
import org.opendaylight.yangtools.yang.data.codec.xml.XmlParserStream;
import org.opendaylight.yangtools.yang.data.impl.schema.ImmutableNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.impl.schema.NormalizationResultHolder;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.SchemaContext;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.LengthRestrictedTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.RangeRestrictedTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.StringTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.TypeDefinition;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Parses an instance document (XML, or JSON per RFC 7951) into a yangtools NormalizedNode datastore root,
 * strictly: unknown elements and namespaces, values that do not fit their type, duplicate list entries and
 * malformed or oversized input are all refused with rpc-errors that name the node at fault.
 *
 * <p>An XML document is either one top-level data element or a NETCONF {@code <config>}/{@code <data>} element
 * wrapping the top-level data elements. A JSON document is one object whose members are top-level data nodes.
 */
public final class InstanceDocumentParser {
    /** How a document is encoded. */
    public enum Format {
        XML, JSON;

        /** By file extension: {@code .json} is JSON, anything else XML. */
        public static Format ofFileName(final String name) {
            return name.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : XML;
        }
    }

    private final YangSchema schema;
    private final Limits limits;
    private final ErrorPaths paths;

    public InstanceDocumentParser(final YangSchema schema, final Limits limits) {
        this.schema = schema;
        this.limits = limits;
        paths = new ErrorPaths(schema);
    }

    public ContainerNode parse(final InputStream in, final Format format) throws ValidationException {
        final byte[] bytes;
        try {
            bytes = BoundedInputStream.readAll(in, limits.maxBytes());
        } catch (BoundedInputStream.TooBigException e) {
            throw HardenedXml.tooBig(e.getMessage());
        } catch (IOException e) {
            throw new ValidationException(RpcError.protocol(ErrorTag.OPERATION_FAILED,
                "cannot read document: " + e.getMessage()));
        }
        return format == Format.JSON ? parseJson(bytes) : parseXml(bytes);
    }

    public ContainerNode parseXml(final byte[] bytes) throws ValidationException {
        Document doc;
        try {
            doc = HardenedXml.parse(bytes, limits);
        } catch (ValidationException e) {
            // Several top-level data elements side by side (as yanglint and NETCONF <config> content allow)
            // are not one XML document: read them again inside a <data> wrapper.
            final var wrapped = wrapFragment(bytes);
            if (wrapped == null || !e.getMessage().contains("following the root element")) {
                throw e;
            }
            doc = HardenedXml.parse(wrapped, new Limits(limits.maxBytes() + 128, limits.maxDepth() + 1));
        }
        return parseXml(doc.getDocumentElement());
    }

    /** The document's elements inside a NETCONF {@code <data>} element; null if it is not plain UTF-8. */
    private static byte[] wrapFragment(final byte[] bytes) {
        var text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.startsWith("<?xml")) {
            final int end = text.indexOf("?>");
            final var decl = end < 0 ? "" : text.substring(0, end).toLowerCase(Locale.ROOT);
            if (end < 0 || decl.contains("encoding") && !decl.contains("utf-8")) {
                return null;
            }
            text = text.substring(end + 2);
        }
        return ("<data xmlns=\"" + ErrorInfo.NETCONF_BASE + "\">" + text + "</data>")
            .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses an already-read element: a NETCONF {@code <config>}/{@code <data>} wrapper (as found in an
     * edit-config) or a single top-level data element. The element is not modified, though its nodes get
     * schema annotations (DOM user data).
     */
    public ContainerNode parseXml(final Element element) throws ValidationException {
        final Element wrapper;
        if (ErrorInfo.NETCONF_BASE.equals(element.getNamespaceURI())
                && ("config".equals(element.getLocalName()) || "data".equals(element.getLocalName()))) {
            wrapper = element;
        } else {
            // A single data element: parse a copy under a <data> wrapper, leaving the caller's DOM alone.
            final Document doc;
            try {
                doc = javax.xml.parsers.DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
                    .newDocument();
            } catch (javax.xml.parsers.ParserConfigurationException e) {
                throw new IllegalStateException("JDK DOM unavailable", e);
            }
            wrapper = doc.createElementNS(ErrorInfo.NETCONF_BASE, "data");
            doc.appendChild(wrapper);
            wrapper.appendChild(doc.importNode(element, true));
        }
        DataDom.annotateTree(wrapper, schema);
        final var missingKey = missingKey(wrapper);
        if (missingKey != null) {
            throw new ValidationException(missingKey);
        }
        final var holder = new NormalizationResultHolder();
        final var detector = new DuplicateEntryDetector(ImmutableNormalizedNodeStreamWriter.from(holder), paths);
        TrackingStreamReader reader = null;
        try {
            reader = new TrackingStreamReader(new DOMSourceXMLStreamReader(new DOMSource(wrapper)));
            final var inference = SchemaInferenceStack.of(schema.context()).toInference();
            try (var parser = XmlParserStream.create(detector, schema.xmlCodecs(), inference, true)) {
                parser.parse(reader);
            }
        } catch (XMLStreamException | IOException | RuntimeException e) {
            throw new ValidationException(xmlParseError(wrapper, reader == null ? List.of() : reader.currentPath(), e));
        }
        if (!detector.errors().isEmpty()) {
            throw new ValidationException(detector.errors());
        }
        return asRoot(holder);
    }

    public ContainerNode parseJson(final byte[] bytes) throws ValidationException {
        // gson first, strictly: syntax and nesting are judged before yangtools (which parses leniently) runs.
        final JsonElement tree;
        try (var strict = jsonReader(bytes)) {
            strict.setStrictness(Strictness.STRICT);
            tree = JsonParser.parseReader(strict);
        } catch (JsonParseException | IOException | StackOverflowError e) {
            final var msg = String.valueOf(e.getMessage());
            if (msg.contains("Nesting limit")) {
                throw HardenedXml.tooBig("JSON nesting deeper than the limit of " + limits.maxDepth());
            }
            throw HardenedXml.malformed("JSON is not well-formed: " + msg);
        }
        if (!tree.isJsonObject()) {
            throw HardenedXml.malformed("a JSON instance document must be an object of top-level data nodes");
        }
        final var missingKey = checkJson(tree.getAsJsonObject(), schema.context(), null, List.of());
        if (missingKey != null) {
            throw new ValidationException(missingKey);
        }
        final var holder = new NormalizationResultHolder();
        final var detector = new DuplicateEntryDetector(ImmutableNormalizedNodeStreamWriter.from(holder), paths);
        JsonReader reader = null;
        try {
            reader = jsonReader(bytes);
            detector.startContainerNode(NodeIdentifier.create(SchemaContext.NAME), 1);
            try (var parser = JsonParserStream.create(detector, schema.jsonCodecs())) {
                parser.parse(reader);
            }
            detector.endNode();
        } catch (IOException | RuntimeException e) {
            final var at = reader == null ? "$" : reader.getPath();
            throw new ValidationException(jsonParseError(tree.getAsJsonObject(), at, e));
        }
        if (!detector.errors().isEmpty()) {
            throw new ValidationException(detector.errors());
        }
        return asRoot(holder);
    }

    private JsonReader jsonReader(final byte[] bytes) {
        final var reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(bytes),
            StandardCharsets.UTF_8));
        reader.setNestingLimit(limits.maxDepth());
        return reader;
    }

    private static ContainerNode asRoot(final NormalizationResultHolder holder) throws ValidationException {
        final var result = holder.result();
        if (result == null) {
            return org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(NodeIdentifier.create(SchemaContext.NAME)).build();
        }
        if (result.data() instanceof ContainerNode root) {
            return root;
        }
        throw new ValidationException(RpcError.application(ErrorTag.OPERATION_FAILED, null, null,
            "document did not produce a datastore root"));
    }

    // ---- mapping yangtools' exceptions (which carry no data path) to rpc-errors ----

    private RpcError xmlParseError(final Element wrapper, final List<Integer> indexPath, final Exception e) {
        // indexPath[0] is the wrapper itself; follow the child indexes down to the element at fault.
        Element at = wrapper;
        for (int i = 1; i < indexPath.size(); i++) {
            final var kids = DataDom.elements(at);
            if (indexPath.get(i) >= kids.size()) {
                break;
            }
            at = kids.get(indexPath.get(i));
        }
        final var message = String.valueOf(e.getMessage());
        final var located = at == wrapper ? null : DataDom.schemaOf(at);
        final var parentPath = at.getParentNode() instanceof Element parent && parent != wrapper
            ? paths.of(parent) : ErrorPath.ROOT;

        if (located == null && at != wrapper) {
            // Not in the schema: unknown namespace, or unknown name in a known namespace.
            final var ns = at.getNamespaceURI();
            if (ns == null || schema.moduleByNamespace(ns).isEmpty()) {
                // No module of ours can name the element: the path names its parent, bad-element the element.
                return RpcError.application(ErrorTag.UNKNOWN_NAMESPACE, null, parentPath,
                    "element " + at.getLocalName() + " is in namespace " + (ns == null ? "(none)" : ns)
                        + ", which no module of the schema defines",
                    ErrorInfo.badElement(at.getLocalName()),
                    new ErrorInfo(ErrorInfo.NETCONF_BASE, "bad-namespace", ns == null ? "" : ns, Map.of()));
            }
            return RpcError.application(ErrorTag.UNKNOWN_ELEMENT, null, rawChildPath(parentPath, at),
                "element " + at.getLocalName() + " is not defined by the schema at this place",
                ErrorInfo.badElement(at.getLocalName()));
        }
        final var path = at == wrapper ? ErrorPath.ROOT : paths.of(at);
        final var name = at == wrapper ? "data" : at.getLocalName();
        return mapYangtoolsError(e, message, path, located, name, at == wrapper ? null : at.getTextContent());
    }

    /**
     * RFC 7950 §8.3.1: a list entry without all its keys is a missing-element. yangtools only finds out when
     * it builds the entry, long after the reader moved on, so look for it first. The path names the list
     * (an entry without its key cannot be named by predicates).
     */
    private RpcError missingKey(final Element parent) {
        for (var child : DataDom.elements(parent)) {
            final var node = DataDom.schemaOf(child);
            if (node instanceof ListSchemaNode list) {
                for (var key : list.getKeyDefinition()) {
                    if (DataDom.child(child, key) == null) {
                        final var listPath = paths.childOf(parent, list.getQName());
                        return RpcError.application(ErrorTag.MISSING_ELEMENT, null, listPath,
                            "an entry of list " + list.getQName().getLocalName() + " lacks its key "
                                + key.getLocalName(), ErrorInfo.badElement(key.getLocalName()));
                    }
                }
            }
            if (node != null) {
                final var inner = missingKey(child);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /**
     * Structural checks on a JSON tree that yangtools is lenient about: member names must name a module of the
     * schema (yangtools ignores an unknown module prefix and guesses by local name), top-level members must be
     * module-qualified (RFC 7951 §4), and list entries need their keys (as {@link #missingKey(Element)}).
     */
    private RpcError checkJson(final JsonObject object, final DataNodeContainer parent, final String module,
            final List<PathArgument> steps) {
        for (var member : object.entrySet()) {
            final var name = member.getKey();
            final int colon = name.indexOf(':');
            final var local = name.substring(colon + 1);
            if (colon <= 0 && module == null) {
                return RpcError.application(ErrorTag.UNKNOWN_ELEMENT, null, ErrorPath.ROOT,
                    "top-level member " + name + " must be qualified with its module name (RFC 7951 section 4)",
                    ErrorInfo.badElement(local));
            }
            final var moduleName = colon > 0 ? name.substring(0, colon) : module;
            final var mod = schema.moduleByName(moduleName).orElse(null);
            if (mod == null) {
                return RpcError.application(ErrorTag.UNKNOWN_NAMESPACE, null, paths.of(steps),
                    "member " + name + " names module " + moduleName + ", which the schema does not have",
                    ErrorInfo.badElement(local));
            }
            final var located = DataDom.find(parent, QName.create(mod.getQNameModule(), local));
            if (located == null) {
                final var at = new ArrayList<>(steps);
                at.add(NodeIdentifier.create(QName.create(mod.getQNameModule(), local)));
                return RpcError.application(ErrorTag.UNKNOWN_ELEMENT, null, paths.of(at),
                    "member " + name + " is not defined by the schema at this place", ErrorInfo.badElement(local));
            }
            final var node = located.node();
            final var value = member.getValue();
            if (node instanceof ListSchemaNode list && value.isJsonArray()) {
                for (var entry : value.getAsJsonArray()) {
                    if (!entry.isJsonObject()) {
                        continue;
                    }
                    final var keys = new java.util.LinkedHashMap<QName, Object>();
                    for (var key : list.getKeyDefinition()) {
                        var kv = entry.getAsJsonObject().get(key.getLocalName());
                        if (kv == null) {
                            kv = entry.getAsJsonObject().get(mod.getName() + ":" + key.getLocalName());
                        }
                        if (kv == null || !kv.isJsonPrimitive()) {
                            final var listSteps = new ArrayList<>(steps);
                            listSteps.add(NodeIdentifier.create(list.getQName()));
                            return RpcError.application(ErrorTag.MISSING_ELEMENT, null, paths.of(listSteps),
                                "an entry of list " + list.getQName().getLocalName() + " lacks its key "
                                    + key.getLocalName(), ErrorInfo.badElement(key.getLocalName()));
                        }
                        keys.put(key, kv.getAsString());
                    }
                    final var entrySteps = new ArrayList<>(steps);
                    entrySteps.add(NodeIdentifierWithPredicates.of(list.getQName(), keys));
                    final var inner = checkJson(entry.getAsJsonObject(), list, mod.getName(), entrySteps);
                    if (inner != null) {
                        return inner;
                    }
                }
            } else if (node instanceof DataNodeContainer container && value.isJsonObject()) {
                final var innerSteps = new ArrayList<>(steps);
                innerSteps.add(NodeIdentifier.create(node.getQName()));
                final var inner = checkJson(value.getAsJsonObject(), container, mod.getName(), innerSteps);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private ErrorPath rawChildPath(final ErrorPath parent, final Element element) {
        final var ns = new HashMap<>(parent.namespaces());
        String step = element.getLocalName();
        final var uri = element.getNamespaceURI();
        if (uri != null) {
            final var prefix = schema.moduleByNamespace(uri).isPresent() ? schema.prefixOf(uri) : "unknown";
            ns.put(prefix, uri);
            step = prefix + ":" + step;
        }
        return new ErrorPath((parent.xpath().equals("/") ? "" : parent.xpath()) + "/" + step, ns);
    }

    private RpcError mapYangtoolsError(final Exception e, final String message, final ErrorPath path,
            final DataSchemaNode node, final String name, final String value) {
        // yangtools marks some exceptions with their NETCONF error (e.g. a list entry without its keys).
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof YangNetconfErrorAware aware && !aware.getNetconfErrors().isEmpty()) {
                final var err = aware.getNetconfErrors().getFirst();
                final var text = err.message() != null ? err.message()
                    : "value of " + name + " does not satisfy its type: " + redact(t.getMessage(), value);
                return RpcError.application(ErrorTag.ofXmlValue(err.tag().elementBody()), err.appTag(), path,
                    text, ErrorInfo.badElement(name));
            }
        }
        if (message.contains("Data from case") && message.contains("other data from case")) {
            // RFC 7950 §8.3.1: data of more than one case of a choice is a bad-element
            return RpcError.application(ErrorTag.BAD_ELEMENT, null, path,
                "element " + name + " belongs to another case of a choice than data given before it",
                ErrorInfo.badElement(name));
        }
        if (message.contains("Duplicate element")) {
            return RpcError.application(ErrorTag.BAD_ELEMENT, null, path,
                "element " + name + " appears more than once", ErrorInfo.badElement(name));
        }
        if (node instanceof TypedDataSchemaNode typed) {
            final var constraint = failedConstraint(typed.getType(), message);
            return RpcError.application(ErrorTag.INVALID_VALUE, constraint[0], path,
                constraint[1] != null ? constraint[1]
                    : "value of " + name + " does not satisfy its type: " + redact(rootMessage(e), value),
                ErrorInfo.badElement(name));
        }
        return RpcError.application(ErrorTag.INVALID_VALUE, null, path,
            "invalid content in " + name + ": " + redact(rootMessage(e), value), ErrorInfo.badElement(name));
    }

    /** [error-app-tag, error-message] of the length/range/pattern the value failed, when the model names them. */
    private static String[] failedConstraint(final TypeDefinition<?> type, final String message) {
        final var lower = message.toLowerCase(Locale.ROOT);
        for (TypeDefinition<?> t = type; t != null; t = t.getBaseType()) {
            if ((lower.contains("pattern") || lower.contains("regular expression"))
                    && t instanceof StringTypeDefinition s) {
                for (var p : s.getPatternConstraints()) {
                    if (p.getErrorAppTag().isPresent() || p.getErrorMessage().isPresent()) {
                        return new String[] {p.getErrorAppTag().orElse(null), p.getErrorMessage().orElse(null)};
                    }
                }
            }
            if (lower.contains("length") && t instanceof LengthRestrictedTypeDefinition<?> l
                    && l.getLengthConstraint().isPresent()) {
                final var c = l.getLengthConstraint().orElseThrow();
                if (c.getErrorAppTag().isPresent() || c.getErrorMessage().isPresent()) {
                    return new String[] {c.getErrorAppTag().orElse(null), c.getErrorMessage().orElse(null)};
                }
            }
            if (lower.contains("range") && t instanceof RangeRestrictedTypeDefinition<?, ?> r
                    && r.getRangeConstraint().isPresent()) {
                final var c = r.getRangeConstraint().orElseThrow();
                if (c.getErrorAppTag().isPresent() || c.getErrorMessage().isPresent()) {
                    return new String[] {c.getErrorAppTag().orElse(null), c.getErrorMessage().orElse(null)};
                }
            }
        }
        return new String[] {null, null};
    }

    private static String rootMessage(final Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        final var own = e.getMessage();
        final var root = t.getMessage();
        return own != null && root != null && !own.contains(root) ? own + ": " + root
            : own != null ? own : String.valueOf(root);
    }

    /** Values may be secrets (a pre-shared key with a bad length): never echo them back. */
    static String redact(final String message, final String value) {
        if (value == null || value.isBlank() || message == null) {
            return message;
        }
        final var v = value.trim();
        var out = message.replace("'" + v + "'", "'<value withheld>'").replace("\"" + v + "\"", "\"<value withheld>\"")
            .replace("String " + v + " ", "String <value withheld> ");
        // A longer bare value (a key) is withheld wherever it appears; a short one like "0" would mangle
        // the numbers of the message and is no secret.
        if (v.length() >= 6) {
            out = out.replace(v, "<value withheld>");
        }
        return out;
    }

    private RpcError jsonParseError(final JsonObject root, final String jsonPath, final Exception e) {
        final var message = String.valueOf(e.getMessage());
        final var steps = new ArrayList<PathArgument>();
        DataNodeContainer parent = schema.context();
        DataSchemaNode node = null;
        String module = null;
        JsonElement current = root;
        String lastName = "data";
        String value = null;
        final var segments = jsonSegments(jsonPath);
        for (int i = 0; i < segments.size(); i++) {
            final var seg = segments.get(i);
            if (seg.startsWith("[")) {
                continue;
            }
            final int colon = seg.indexOf(':');
            final var moduleName = colon > 0 ? seg.substring(0, colon) : module;
            final var local = colon > 0 ? seg.substring(colon + 1) : seg;
            lastName = local;
            final var mod = moduleName == null ? null : schema.moduleByName(moduleName).orElse(null);
            if (mod == null) {
                return RpcError.application(ErrorTag.UNKNOWN_NAMESPACE, null, paths.of(steps),
                    "member " + seg + " names a module the schema does not have", ErrorInfo.badElement(local));
            }
            if (parent == null) {
                return RpcError.application(ErrorTag.UNKNOWN_ELEMENT, null, paths.of(steps),
                    "member " + seg + " is not defined by the schema at this place", ErrorInfo.badElement(local));
            }
            final var located = DataDom.find(parent, QName.create(mod.getQNameModule(), local));
            if (located == null) {
                return RpcError.application(schema.moduleByName(moduleName).isPresent() ? ErrorTag.UNKNOWN_ELEMENT
                        : ErrorTag.UNKNOWN_NAMESPACE, null, paths.of(steps),
                    "member " + seg + " is not defined by the schema at this place", ErrorInfo.badElement(local));
            }
            module = mod.getName();
            node = located.node();
            current = current != null && current.isJsonObject() ? current.getAsJsonObject().get(seg) : null;
            final var hasIndex = i + 1 < segments.size() && segments.get(i + 1).startsWith("[");
            if (hasIndex && current != null && current.isJsonArray()) {
                final int index = Integer.parseInt(segments.get(i + 1).substring(1, segments.get(i + 1).length() - 1));
                current = index < current.getAsJsonArray().size() ? current.getAsJsonArray().get(index) : null;
            }
            if (node instanceof ListSchemaNode list && current != null && current.isJsonObject()) {
                final var keys = new java.util.LinkedHashMap<QName, Object>();
                for (var key : list.getKeyDefinition()) {
                    final var obj = current.getAsJsonObject();
                    var kv = obj.get(key.getLocalName());
                    if (kv == null) {
                        kv = obj.get(module + ":" + key.getLocalName());
                    }
                    if (kv != null && kv.isJsonPrimitive()) {
                        keys.put(key, kv.getAsString());
                    }
                }
                steps.add(keys.isEmpty() ? NodeIdentifier.create(node.getQName())
                    : NodeIdentifierWithPredicates.of(node.getQName(), keys));
            } else if (node instanceof LeafListSchemaNode && hasIndex && current != null
                    && current.isJsonPrimitive()) {
                steps.add(new NodeWithValue<>(node.getQName(), current.getAsString()));
            } else {
                steps.add(NodeIdentifier.create(node.getQName()));
            }
            if (current != null && current.isJsonPrimitive()) {
                value = current.getAsString();
            }
            parent = node instanceof DataNodeContainer c ? c : null;
        }
        if (message.contains("not found") || message.contains("does not exist") || message.contains("Unknown")) {
            return RpcError.application(ErrorTag.UNKNOWN_ELEMENT, null, paths.of(steps),
                redact(message, value), ErrorInfo.badElement(lastName));
        }
        return mapYangtoolsError(e, message, paths.of(steps), node, lastName, value);
    }

    /** "$.a:b.c[2].d" to ["a:b", "c", "[2]", "d"]. */
    private static List<String> jsonSegments(final String jsonPath) {
        final var out = new ArrayList<String>();
        final var s = jsonPath.startsWith("$") ? jsonPath.substring(1) : jsonPath;
        int i = 0;
        while (i < s.length()) {
            final char c = s.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '.' && s.charAt(j) != '[') {
                    j++;
                }
                if (j > i + 1) {
                    out.add(s.substring(i + 1, j));
                }
                i = j;
            } else if (c == '[') {
                final int j = s.indexOf(']', i);
                out.add(s.substring(i, j < 0 ? s.length() : j + 1));
                i = j < 0 ? s.length() : j + 1;
            } else {
                i++;
            }
        }
        return out;
    }
}

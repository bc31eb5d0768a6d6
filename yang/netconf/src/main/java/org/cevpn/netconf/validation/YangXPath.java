package org.cevpn.netconf.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.namespace.QName;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathFunction;
import javax.xml.xpath.XPathFunctionException;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.model.api.IdentitySchemaNode;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.opendaylight.yangtools.yang.model.api.TypeDefinition;
import org.opendaylight.yangtools.yang.model.api.TypedDataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.type.BitsTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.EnumTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.InstanceIdentifierTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.LeafrefTypeDefinition;
import org.opendaylight.yangtools.yang.model.api.type.UnionTypeDefinition;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * YANG's XPath (RFC 7950 §6.4, §10) on the JDK's XPath 1.0 engine over the validation DOM. Expressions are
 * rewritten by {@link XPathRewriter} to schema-wide prefixes, so one NamespaceContext serves every module;
 * the YANG functions are JAXP extension functions in our own namespace.
 *
 * <p>One instance per validation run and thread: {@code current()} reads the node the evaluation started at.
 */
final class YangXPath {
    static final String FUNCTION_NS = "urn:cevpn:xpath:functions";

    private final YangSchema schema;
    private final Map<String, String> nsByPrefix;
    private final XPath xpath;
    private final Map<String, XPathExpression> compiled = new HashMap<>();
    private Node current;

    YangXPath(final YangSchema schema) {
        this.schema = schema;
        nsByPrefix = new HashMap<>(schema.globalPrefixes());
        nsByPrefix.put(XPathRewriter.FUNCTION_PREFIX, FUNCTION_NS);
        nsByPrefix.put(XPathRewriter.ROOT_PREFIX, org.cevpn.netconf.ErrorInfo.NETCONF_BASE);
        xpath = XPathFactory.newDefaultInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(final String prefix) {
                return nsByPrefix.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
            }

            @Override
            public String getPrefix(final String namespaceURI) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(final String namespaceURI) {
                return List.<String>of().iterator();
            }
        });
        xpath.setXPathFunctionResolver(this::resolve);
    }

    /** Where an expression was written: its module (for prefixes) and the current node's module (default). */
    record Origin(QNameModule writtenIn, QNameModule currentNode) {
    }

    boolean evaluateBoolean(final String expression, final Origin origin, final Node context)
            throws XPathExpressionException {
        return (Boolean) evaluate(expression, origin, context, XPathConstants.BOOLEAN);
    }

    List<Node> evaluateNodes(final String expression, final Origin origin, final Node context)
            throws XPathExpressionException {
        final var list = (NodeList) evaluate(expression, origin, context, XPathConstants.NODESET);
        final var out = new ArrayList<Node>(list.getLength());
        for (int i = 0; i < list.getLength(); i++) {
            out.add(list.item(i));
        }
        return out;
    }

    private Object evaluate(final String expression, final Origin origin, final Node context, final QName type)
            throws XPathExpressionException {
        final var compiledExpr = compile(expression, origin);
        final var saved = current;
        current = context;
        try {
            return compiledExpr.evaluate(context, type);
        } finally {
            current = saved;
        }
    }

    private XPathExpression compile(final String expression, final Origin origin) throws XPathExpressionException {
        final var key = origin.writtenIn() + "|" + origin.currentNode() + "|" + expression;
        var expr = compiled.get(key);
        if (expr == null) {
            final String rewritten;
            try {
                rewritten = XPathRewriter.rewrite(expression, p -> mapPrefix(p, origin.writtenIn()),
                    prefixOf(origin.currentNode()));
            } catch (IllegalArgumentException e) {
                throw new XPathExpressionException(e.getMessage());
            }
            expr = xpath.compile(rewritten);
            compiled.put(key, expr);
        }
        return expr;
    }

    private String prefixOf(final QNameModule module) {
        return schema.prefixOf(module.namespace().toString());
    }

    /** A prefix as the writing module binds it (its own prefix or an import), as a schema-wide prefix. */
    private String mapPrefix(final String prefix, final QNameModule writtenIn) {
        final var module = schema.moduleByNamespace(writtenIn.namespace().toString()).orElse(null);
        if (module != null) {
            if (module.getPrefix().equals(prefix)) {
                return prefixOf(module.getQNameModule());
            }
            for (var imp : module.getImports()) {
                if (imp.getPrefix().equals(prefix)) {
                    final var target = schema.moduleByName(imp.getModuleName().getLocalName());
                    if (target.isPresent()) {
                        return prefixOf(target.orElseThrow().getQNameModule());
                    }
                }
            }
        }
        // Not bound in that module (e.g. a grouping from another module): fall back to schema-wide prefixes.
        if (nsByPrefix.containsKey(prefix)) {
            return prefix;
        }
        throw new IllegalArgumentException("prefix " + prefix + " is not bound in module "
            + (module == null ? writtenIn : module.getName()));
    }

    // ---- YANG functions (RFC 7950 §10) ----

    private XPathFunction resolve(final QName name, final int arity) {
        if (!FUNCTION_NS.equals(name.getNamespaceURI())) {
            return null;
        }
        return switch (name.getLocalPart()) {
            case "current" -> args -> new Nodes(List.of(current));
            case "deref" -> args -> new Nodes(deref(firstNode(args.get(0))));
            case "derived-from" -> args -> derivedFrom(args.get(0), stringOf(args.get(1)), false);
            case "derived-from-or-self" -> args -> derivedFrom(args.get(0), stringOf(args.get(1)), true);
            case "re-match" -> args -> reMatch(stringOf(args.get(0)), stringOf(args.get(1)));
            case "enum-value" -> args -> enumValue(firstNode(args.get(0)));
            case "bit-is-set" -> args -> bitIsSet(firstNode(args.get(0)), stringOf(args.get(1)));
            default -> null;
        };
    }

    /** Nodes a leafref or instance-identifier leaf points to (RFC 7950 §10.3.1). */
    List<Node> deref(final Node node) throws XPathFunctionException {
        if (!(node instanceof Element leaf) || !(DataDom.schemaOf(leaf) instanceof TypedDataSchemaNode typed)) {
            return List.of();
        }
        try {
            final var type = typed.getType();
            final var leafref = leafrefOf(type);
            if (leafref != null) {
                final var value = leaf.getTextContent();
                final var origin = new Origin(leafrefModule(type, typed), typed.getQName().getModule());
                final var out = new ArrayList<Node>();
                for (var target : evaluateNodes(leafref.getPathStatement().getOriginalString(), origin, leaf)) {
                    if (value.equals(target.getTextContent())) {
                        out.add(target);
                    }
                }
                return out;
            }
            if (instanceIdentifierOf(type) != null) {
                return instanceTargets(leaf);
            }
            return List.of();
        } catch (XPathExpressionException e) {
            throw new XPathFunctionException(e);
        }
    }

    /** Nodes an instance-identifier value selects; its prefixes are bound by the element's namespaces. */
    List<Node> instanceTargets(final Element leaf) throws XPathExpressionException {
        final var local = XPathFactory.newDefaultInstance().newXPath();
        local.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(final String prefix) {
                final var ns = leaf.lookupNamespaceURI(prefix);
                return ns == null ? XMLConstants.NULL_NS_URI : ns;
            }

            @Override
            public String getPrefix(final String namespaceURI) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(final String namespaceURI) {
                return List.<String>of().iterator();
            }
        });
        // Absolute paths start at our <data> wrapper, which XPath's "/" does not see: anchor them there.
        final var value = leaf.getTextContent().trim();
        final var list = (NodeList) local.evaluate(value.startsWith("/") ? "." + value : value,
            leaf.getOwnerDocument().getDocumentElement(), XPathConstants.NODESET);
        final var out = new ArrayList<Node>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add(list.item(i));
        }
        return out;
    }

    static LeafrefTypeDefinition leafrefOf(final TypeDefinition<?> type) {
        for (TypeDefinition<?> t = type; t != null; t = t.getBaseType()) {
            if (t instanceof LeafrefTypeDefinition leafref) {
                return leafref;
            }
        }
        return null;
    }

    /**
     * The module the leafref's path was written in: the module of the deepest typedef in the type chain
     * (a typedef in a types module keeps that module's prefixes), else the leaf's own module.
     */
    QNameModule leafrefModule(final TypeDefinition<?> type, final TypedDataSchemaNode leaf) {
        QNameModule found = leaf.getQName().getModule();
        for (TypeDefinition<?> t = type; t != null; t = t.getBaseType()) {
            final var qname = t.getQName();
            final var module = schema.moduleByNamespace(qname.getNamespace().toString()).orElse(null);
            if (module != null && module.getTypeDefinitions().stream().anyMatch(td -> td.getQName().equals(qname))) {
                found = qname.getModule();
            }
        }
        return found;
    }

    /** The outermost instance-identifier type of the chain (it carries the effective require-instance). */
    static InstanceIdentifierTypeDefinition instanceIdentifierOf(final TypeDefinition<?> type) {
        for (TypeDefinition<?> t = type; t != null; t = t.getBaseType()) {
            if (t instanceof InstanceIdentifierTypeDefinition iid) {
                return iid;
            }
        }
        return null;
    }

    static TypeDefinition<?> baseOf(final TypeDefinition<?> type) {
        TypeDefinition<?> t = type;
        while (t.getBaseType() != null) {
            t = t.getBaseType();
        }
        return t;
    }

    private Boolean derivedFrom(final Object nodes, final String identity, final boolean orSelf)
            throws XPathFunctionException {
        final var target = identity(identity, nsByPrefix::get);
        if (target == null) {
            throw new XPathFunctionException("unknown identity " + identity);
        }
        for (var node : nodeList(nodes)) {
            if (!(node instanceof Element e)) {
                continue;
            }
            final var value = identity(e.getTextContent().trim(), e::lookupNamespaceURI);
            if (value != null && (orSelf && value.equals(target) || isDerived(value, target, Set.of()))) {
                return true;
            }
        }
        return false;
    }

    private IdentitySchemaNode identity(final String qualified, final java.util.function.Function<String, String> ns) {
        final int colon = qualified.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        final var namespace = ns.apply(qualified.substring(0, colon));
        final Module module = namespace == null ? null : schema.moduleByNamespace(namespace).orElse(null);
        if (module == null) {
            return null;
        }
        final var local = qualified.substring(colon + 1);
        for (var id : module.getIdentities()) {
            if (id.getQName().getLocalName().equals(local)) {
                return id;
            }
        }
        return null;
    }

    private static boolean isDerived(final IdentitySchemaNode id, final IdentitySchemaNode base,
            final Set<IdentitySchemaNode> seen) {
        for (var parent : id.getBaseIdentities()) {
            if (parent.equals(base) || !seen.contains(parent) && isDerived(parent, base, addTo(seen, parent))) {
                return true;
            }
        }
        return false;
    }

    private static Set<IdentitySchemaNode> addTo(final Set<IdentitySchemaNode> set, final IdentitySchemaNode id) {
        final var copy = new java.util.HashSet<>(set);
        copy.add(id);
        return copy;
    }

    private static Boolean reMatch(final String subject, final String xsdPattern) throws XPathFunctionException {
        try {
            return Pattern.compile(XsdRegex.toJava(xsdPattern)).matcher(subject).matches();
        } catch (IllegalArgumentException e) {
            throw new XPathFunctionException("bad pattern in re-match(): " + e.getMessage());
        }
    }

    private static Double enumValue(final Node node) {
        if (node instanceof Element e && DataDom.schemaOf(e) instanceof TypedDataSchemaNode typed) {
            final var name = e.getTextContent().trim();
            for (var type : flatTypes(typed.getType())) {
                if (type instanceof EnumTypeDefinition en) {
                    for (var pair : en.getValues()) {
                        if (pair.getName().equals(name)) {
                            return (double) pair.getValue();
                        }
                    }
                }
            }
        }
        return Double.NaN;
    }

    private static Boolean bitIsSet(final Node node, final String bit) {
        if (node instanceof Element e && DataDom.schemaOf(e) instanceof TypedDataSchemaNode typed
                && flatTypes(typed.getType()).stream().anyMatch(BitsTypeDefinition.class::isInstance)) {
            for (var set : e.getTextContent().trim().split("\\s+")) {
                if (set.equals(bit)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The type chain and, for unions, their member types. */
    private static List<TypeDefinition<?>> flatTypes(final TypeDefinition<?> type) {
        final var out = new ArrayList<TypeDefinition<?>>();
        for (TypeDefinition<?> t = type; t != null; t = t.getBaseType()) {
            out.add(t);
            if (t instanceof UnionTypeDefinition union) {
                for (var member : union.getTypes()) {
                    out.addAll(flatTypes(member));
                }
            }
        }
        return out;
    }

    private static List<Node> nodeList(final Object arg) {
        if (arg instanceof NodeList list) {
            final var out = new ArrayList<Node>(list.getLength());
            for (int i = 0; i < list.getLength(); i++) {
                out.add(list.item(i));
            }
            return out;
        }
        if (arg instanceof Node node) {
            return List.of(node);
        }
        return List.of();
    }

    private static Node firstNode(final Object arg) {
        final var nodes = nodeList(arg);
        return nodes.isEmpty() ? null : nodes.getFirst();
    }

    private static String stringOf(final Object arg) {
        if (arg instanceof NodeList || arg instanceof Node) {
            final var node = firstNode(arg);
            return node == null ? "" : node.getTextContent();
        }
        if (arg instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        return String.valueOf(arg);
    }

    /** A node-set result of an extension function. */
    private record Nodes(List<Node> nodes) implements NodeList {
        @Override
        public Node item(final int index) {
            return index >= 0 && index < nodes.size() ? nodes.get(index) : null;
        }

        @Override
        public int getLength() {
            return nodes.size();
        }
    }
}

package org.cevpn.netconf.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.xpath.XPathExpressionException;
import org.jaxen.FunctionCallException;
import org.jaxen.JaxenException;
import org.jaxen.SimpleNamespaceContext;
import org.jaxen.XPathFunctionContext;
import org.jaxen.BaseXPath;
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

/**
 * YANG's XPath (RFC 7950 §6.4, §10) over the validation DOM. Expressions are rewritten by
 * {@link XPathRewriter} to schema-wide prefixes, so one namespace context serves every module; the YANG
 * functions are extension functions in our own namespace.
 *
 * <p>The engine is Jaxen, an XPath 1.0 implementation that walks the DOM as it is. We started on the JDK's
 * javax.xml.xpath, but it builds a DTM of the whole document for every single evaluation, so validating
 * grows with (evaluations x document size): 7.7 s for a 1,000-site VPN database, against 0.1 s for yanglint.
 *
 * <p>One instance per validation run and thread: {@code current()} reads the node the evaluation started at.
 */
final class YangXPath {
    static final String FUNCTION_NS = "urn:cevpn:xpath:functions";

    private final YangSchema schema;
    private final Map<String, String> nsByPrefix;
    private final SimpleNamespaceContext namespaces;
    private final XPathFunctionContext functions;
    private final IndexedDomNavigator navigator = new IndexedDomNavigator();
    private final Map<String, BaseXPath> compiled = new HashMap<>();
    private Node current;

    YangXPath(final YangSchema schema) {
        this.schema = schema;
        nsByPrefix = new HashMap<>(schema.globalPrefixes());
        nsByPrefix.put(XPathRewriter.FUNCTION_PREFIX, FUNCTION_NS);
        nsByPrefix.put(XPathRewriter.ROOT_PREFIX, org.cevpn.netconf.ErrorInfo.NETCONF_BASE);
        namespaces = new SimpleNamespaceContext(nsByPrefix);
        // XPath 1.0's core library only (false: none of Jaxen's own extensions), plus YANG's functions.
        functions = new XPathFunctionContext(false);
        functions.registerFunction(FUNCTION_NS, "current", (context, args) -> List.of(current));
        functions.registerFunction(FUNCTION_NS, "deref", (context, args) -> deref(firstNode(arg(args, 0))));
        functions.registerFunction(FUNCTION_NS, "derived-from",
            (context, args) -> derivedFrom(arg(args, 0), stringOf(arg(args, 1)), false));
        functions.registerFunction(FUNCTION_NS, "derived-from-or-self",
            (context, args) -> derivedFrom(arg(args, 0), stringOf(arg(args, 1)), true));
        functions.registerFunction(FUNCTION_NS, "re-match",
            (context, args) -> reMatch(stringOf(arg(args, 0)), stringOf(arg(args, 1))));
        functions.registerFunction(FUNCTION_NS, "enum-value", (context, args) -> enumValue(firstNode(arg(args, 0))));
        functions.registerFunction(FUNCTION_NS, "bit-is-set",
            (context, args) -> bitIsSet(firstNode(arg(args, 0)), stringOf(arg(args, 1))));
    }

    private static Object arg(final List<?> args, final int index) throws FunctionCallException {
        if (index >= args.size()) {
            throw new FunctionCallException("missing argument " + (index + 1));
        }
        return args.get(index);
    }

    /** Where an expression was written: its module (for prefixes) and the current node's module (default). */
    record Origin(QNameModule writtenIn, QNameModule currentNode) {
    }

    boolean evaluateBoolean(final String expression, final Origin origin, final Node context)
            throws XPathExpressionException {
        final var xpath = compile(expression, origin);
        final var saved = current;
        current = context;
        try {
            return xpath.booleanValueOf(context);
        } catch (JaxenException | RuntimeException e) {
            throw failure(expression, e);
        } finally {
            current = saved;
        }
    }

    List<Node> evaluateNodes(final String expression, final Origin origin, final Node context)
            throws XPathExpressionException {
        final var xpath = compile(expression, origin);
        final var saved = current;
        current = context;
        try {
            return nodeList(xpath.selectNodes(context));
        } catch (JaxenException | RuntimeException e) {
            throw failure(expression, e);
        } finally {
            current = saved;
        }
    }

    private static XPathExpressionException failure(final String expression, final Exception e) {
        final var failure = new XPathExpressionException("\"" + expression + "\": " + e.getMessage());
        failure.initCause(e);
        return failure;
    }

    /** The validator added or removed children of {@code parent}: forget its name index. */
    void childrenChanged(final Node parent) {
        navigator.childrenChanged(parent);
    }

    private BaseXPath compile(final String expression, final Origin origin) throws XPathExpressionException {
        final var key = origin.writtenIn() + "|" + origin.currentNode() + "|" + expression;
        var xpath = compiled.get(key);
        if (xpath == null) {
            try {
                xpath = new BaseXPath(XPathRewriter.rewrite(expression, p -> mapPrefix(p, origin.writtenIn()),
                    prefixOf(origin.currentNode())), navigator);
            } catch (JaxenException | IllegalArgumentException e) {
                throw failure(expression, e);
            }
            xpath.setNamespaceContext(namespaces);
            xpath.setFunctionContext(functions);
            compiled.put(key, xpath);
        }
        return xpath;
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

    /** Nodes a leafref or instance-identifier leaf points to (RFC 7950 §10.3.1). */
    List<Node> deref(final Node node) throws FunctionCallException {
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
        } catch (XPathExpressionException | JaxenException e) {
            throw new FunctionCallException(e);
        }
    }

    /** Nodes an instance-identifier value selects; its prefixes are bound by the element's namespaces. */
    List<Node> instanceTargets(final Element leaf) throws JaxenException {
        // Absolute paths start at our <data> wrapper, which XPath's "/" does not see: anchor them there.
        final var value = leaf.getTextContent().trim();
        final var xpath = new BaseXPath(value.startsWith("/") ? "." + value : value, navigator);
        xpath.setNamespaceContext(leaf::lookupNamespaceURI);
        // The value is data: no functions at all may be called from it.
        xpath.setFunctionContext((namespace, prefix, name) -> {
            throw new org.jaxen.UnresolvableException("function " + name + "() in an instance-identifier");
        });
        return nodeList(xpath.selectNodes(leaf.getOwnerDocument().getDocumentElement()));
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
            throws FunctionCallException {
        final var target = identity(identity, nsByPrefix::get);
        if (target == null) {
            throw new FunctionCallException("unknown identity " + identity);
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

    private static Boolean reMatch(final String subject, final String xsdPattern) throws FunctionCallException {
        try {
            return Pattern.compile(XsdRegex.toJava(xsdPattern)).matcher(subject).matches();
        } catch (IllegalArgumentException e) {
            throw new FunctionCallException("bad pattern in re-match(): " + e.getMessage());
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
        if (arg instanceof List<?> list) {
            final var out = new ArrayList<Node>(list.size());
            for (var item : list) {
                if (item instanceof Node node) {
                    out.add(node);
                }
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
        if (arg instanceof List<?> || arg instanceof Node) {
            final var node = firstNode(arg);
            return node == null ? "" : node.getTextContent();
        }
        if (arg instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        return String.valueOf(arg);
    }
}

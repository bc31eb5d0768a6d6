package org.cevpn.netconf.datastore;

import java.util.ArrayList;
import java.util.List;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.validation.ErrorPaths;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.SystemLeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.SystemMapNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeConfiguration;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification;
import org.opendaylight.yangtools.yang.data.tree.api.DataValidationFailedException;
import org.opendaylight.yangtools.yang.data.tree.impl.ReferenceDataTreeFactory;
import org.opendaylight.yangtools.yang.data.util.DataSchemaContext;
import org.opendaylight.yangtools.yang.data.util.DataSchemaContextTree;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Applies the {@code <config>} of an edit-config to a datastore root (RFC 6241 §7.2): merge, replace, create
 * (data-exists if present), delete (data-missing if absent), remove, under a default-operation of merge,
 * replace or none, with stop-on-error, continue-on-error or rollback-on-error.
 *
 * <p>The edit is read twice: the shared parser turns it into a typed NormalizedNode tree (so every value and
 * name is checked exactly as in any other document), and the {@code operation} attributes — which the
 * NormalizedNode tree cannot carry — are read from the same DOM, walking both trees side by side. Each
 * element becomes one step on a yangtools DataTree modification; preconditions (create, delete) are checked
 * against the modification as it stands, so two steps of one edit see each other.
 *
 * <p>Under default-operation {@code none}, missing parent levels of a node that is merged, replaced or
 * created are created (as merge would), rather than answered with data-missing: clients commonly send
 * {@code none} with an explicit operation deep in the tree and expect the path to it to be made.
 *
 * <p>Not supported: the {@code yang:insert} attribute of user-ordered lists (entries are appended);
 * an {@code operation} attribute inside a subtree already being replaced, created, deleted or removed
 * (bad-attribute: its meaning would be ambiguous).
 */
public final class EditConfig {
    private static final String OPERATION = "operation";
    /**
     * Mandatory nodes are left to DatastoreValidator (which also covers choices and top-level containers and
     * answers with rpc-errors); the data tree would refuse, mid-edit, an entry whose mandatory leaf comes in
     * a later step of the same edit.
     */
    private static final DataTreeConfiguration TREE_CONFIG =
        DataTreeConfiguration.builder(org.opendaylight.yangtools.yang.data.tree.api.TreeType.CONFIGURATION)
            .setMandatoryNodesValidation(false).build();
    private static final ReferenceDataTreeFactory TREES = new ReferenceDataTreeFactory();

    /** The outcome of one edit: the new root and the errors of steps that were skipped. */
    public record Result(ContainerNode root, List<RpcError> errors) {
        public Result {
            errors = List.copyOf(errors);
        }
    }

    private final YangSchema schema;
    private final InstanceDocumentParser parser;
    private final ErrorPaths paths;

    public EditConfig(final YangSchema schema, final InstanceDocumentParser parser) {
        this.schema = schema;
        this.parser = parser;
        paths = new ErrorPaths(schema);
    }

    /**
     * Applies {@code config} (a NETCONF {@code <config>} element) to {@code root}. Throws when the edit
     * cannot be read at all, or on the first error under stop-on-error / any error under rollback-on-error
     * — except that stop-on-error keeps the steps before the error: those come back in a Result with the
     * error, as do all the errors of continue-on-error.
     */
    public Result apply(final ContainerNode root, final Element config, final EditOperation defaultOperation,
            final ErrorOption errorOption) throws RpcException {
        // Deleted or removed leaves are usually sent empty (<mtu nc:operation="delete"/>), which is no value
        // of their type: take them out before parsing and resolve them by name against the schema instead.
        final var copy = (Element) config.cloneNode(true);
        final var valueless = new java.util.IdentityHashMap<Element, List<Element>>();
        stripValueless(copy, valueless);
        final ContainerNode edit;
        try {
            edit = parser.parseXml(copy);
        } catch (ValidationException e) {
            throw new RpcException(e.errors());
        }
        final var tree = newTree(root);
        final var mod = tree.takeSnapshot().newModification();
        final var run = new Run(mod, errorOption, valueless);
        try {
            run.children(copy, edit, YangInstanceIdentifier.of(), List.of(), defaultOperation, false);
        } catch (StopEdit stop) {
            if (errorOption == ErrorOption.ROLLBACK_ON_ERROR) {
                throw new RpcException(run.errors);
            }
        }
        if (errorOption == ErrorOption.ROLLBACK_ON_ERROR && !run.errors.isEmpty()) {
            throw new RpcException(run.errors);
        }
        mod.ready();
        try {
            tree.validate(mod);
            tree.commit(tree.prepare(mod));
            final var after = tree.takeSnapshot().readNode(YangInstanceIdentifier.of()).orElse(null);
            return new Result(after instanceof ContainerNode c ? c : emptyRoot(), run.errors);
        } catch (DataValidationFailedException | IllegalArgumentException | IllegalStateException e) {
            // Structural refusal by the data tree (e.g. a list entry whose parent is gone): nothing applied.
            throw new RpcException(RpcError.application(ErrorTag.OPERATION_FAILED, null, null,
                "edit cannot be applied to the datastore: " + e.getMessage()));
        }
    }

    /** The root of an empty datastore. */
    public static ContainerNode emptyRoot() {
        return ImmutableNodes.newContainerBuilder()
            .withNodeIdentifier(NodeIdentifier.create(org.opendaylight.yangtools.yang.model.api.SchemaContext.NAME))
            .build();
    }

    private org.opendaylight.yangtools.yang.data.tree.api.DataTree newTree(final ContainerNode root)
            throws RpcException {
        // An empty tree, then the root written through a modification: create(.., root) refuses an empty root.
        final org.opendaylight.yangtools.yang.data.tree.api.DataTree tree = TREES.create(TREE_CONFIG, schema.context());
        if (root.isEmpty()) {
            return tree;
        }
        try {
            final var mod = tree.takeSnapshot().newModification();
            mod.write(YangInstanceIdentifier.of(), root);
            mod.ready();
            tree.validate(mod);
            tree.commit(tree.prepare(mod));
            return tree;
        } catch (DataValidationFailedException | IllegalArgumentException e) {
            throw RpcException.application(ErrorTag.OPERATION_FAILED,
                "stored datastore does not fit the schema: " + e.getMessage());
        }
    }

    /** Thrown to unwind the walk at the first error under stop-on-error or rollback-on-error. */
    private static final class StopEdit extends Exception {
        private static final long serialVersionUID = 1L;

        StopEdit() {
            super(null, null, false, false);
        }
    }

    /** One walk over the edit. {@code dataPath} is the path without choice nodes, for error-paths. */
    private final class Run {
        private final DataTreeModification mod;
        private final ErrorOption errorOption;
        private final List<RpcError> errors = new ArrayList<>();
        /** Levels passed on the way down that must exist once something below them is written. */
        private final ArrayList<Located> levels = new ArrayList<>();
        /**
         * Levels this run already merged. Once per level, not once per leaf under it: each merge grows the
         * modification tree yangtools walks. A replace, delete or remove may take levels with it: each clears the set.
         */
        private final java.util.HashSet<YangInstanceIdentifier> existingLevels = new java.util.HashSet<>();

        private final java.util.Map<Element, List<Element>> valueless;

        Run(final DataTreeModification mod, final ErrorOption errorOption,
                final java.util.Map<Element, List<Element>> valueless) {
            this.mod = mod;
            this.errorOption = errorOption;
            this.valueless = valueless;
        }

        /** A delete/remove of a node sent without content, found by name in the schema under {@code path}. */
        private void valueless(final Element element, final YangInstanceIdentifier parentPath,
                final List<PathArgument> parentDataPath) throws StopEdit {
            final var op = EditOperation.ofAttribute(element.getAttributeNS(ErrorInfo.NETCONF_BASE, OPERATION))
                .orElseThrow();
            final var module = schema.moduleByNamespace(element.getNamespaceURI()).orElse(null);
            if (module == null) {
                fail(new RpcError(org.cevpn.netconf.ErrorType.APPLICATION, ErrorTag.UNKNOWN_NAMESPACE,
                    org.cevpn.netconf.ErrorSeverity.ERROR, null, paths.of(parentDataPath),
                    "no module of this server has the namespace of " + element.getLocalName(),
                    List.of(ErrorInfo.badElement(element.getLocalName()), new ErrorInfo(ErrorInfo.NETCONF_BASE,
                        "bad-namespace", String.valueOf(element.getNamespaceURI()), java.util.Map.of()))));
                return;
            }
            final var qname = QName.create(module.getQNameModule(), element.getLocalName());
            var context = SCHEMA_TREES.apply(schema).findChild(parentPath).orElse(null);
            var path = parentPath;
            while (true) {
                final var child = context instanceof DataSchemaContext.Composite composite
                    ? composite.childByQName(qname) : null;
                if (child == null) {
                    fail(RpcError.application(ErrorTag.UNKNOWN_ELEMENT, null, paths.of(parentDataPath),
                        "unknown element " + element.getLocalName(), ErrorInfo.badElement(element.getLocalName())));
                    return;
                }
                path = path.node(child.pathStep());
                if (child.dataSchemaNode() != null && child.dataSchemaNode().getQName().equals(qname)) {
                    if (child.dataSchemaNode() instanceof LeafListSchemaNode
                            || child.dataSchemaNode() instanceof ListSchemaNode) {
                        fail(RpcError.application(ErrorTag.MISSING_ELEMENT, null, paths.of(parentDataPath),
                            op.xmlValue() + " of " + element.getLocalName() + " needs its value or keys",
                            ErrorInfo.badElement(element.getLocalName())));
                        return;
                    }
                    break;
                }
                context = child;
            }
            final var dataPath = new ArrayList<>(parentDataPath);
            dataPath.add(new NodeIdentifier(qname));
            if (mod.readNode(path).isEmpty()) {
                if (op == EditOperation.DELETE) {
                    fail(RpcError.application(ErrorTag.DATA_MISSING, null, paths.of(dataPath),
                        "delete: the node does not exist"));
                }
                return;
            }
            mod.delete(path);
        }

        /** The DOM children of {@code element}, matched to the NormalizedNode children of {@code node}. */
        void children(final Element element, final DataContainerNode node, final YangInstanceIdentifier path,
                final List<PathArgument> dataPath, final EditOperation inherited, final boolean insideSubtreeOp)
                throws StopEdit {
            final var seen = new java.util.HashMap<QName, Integer>();
            for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element child)) {
                    continue;
                }
                final var module = schema.moduleByNamespace(child.getNamespaceURI()).orElseThrow(
                    () -> new IllegalStateException("parser accepted an element of an unknown namespace"));
                final var qname = QName.create(module.getQNameModule(), child.getLocalName());
                final int index = seen.merge(qname, 1, Integer::sum) - 1;
                final var located = locate(node, qname, path);
                if (located == null) {
                    throw new IllegalStateException("parsed edit lacks " + qname);
                }
                final int mark = levels.size();
                // choice nodes between the parent and the child
                var choicePath = path;
                for (int i = path.getPathArguments().size(); i < located.path.getPathArguments().size(); i++) {
                    choicePath = choicePath.node(located.path.getPathArguments().get(i));
                    levels.add(new Located(ImmutableNodes.newChoiceBuilder()
                        .withNodeIdentifier((NodeIdentifier) located.path.getPathArguments().get(i)).build(),
                        choicePath));
                }
                element(child, located.node, located.path, dataPath, index, inherited, insideSubtreeOp);
                levels.subList(mark, levels.size()).clear();
            }
            if (!insideSubtreeOp) {
                for (var taken : valueless.getOrDefault(element, List.of())) {
                    valueless(taken, path, dataPath);
                }
            }
        }

        private void element(final Element element, final NormalizedNode found, final YangInstanceIdentifier path,
                final List<PathArgument> parentDataPath, final int index, final EditOperation inherited,
                final boolean insideSubtreeOp) throws StopEdit {
            final NormalizedNode node;
            final YangInstanceIdentifier nodePath;
            switch (found) {
                case MapNode map -> {
                    final MapEntryNode entry = entryFor(element, map, index);
                    node = entry;
                    nodePath = path.node(map.name()).node(entry.name());
                    levels.add(new Located(emptyLike(map), path.node(map.name())));
                }
                case LeafSetNode<?> set -> {
                    final NormalizedNode entry = valueFor(element, set, index);
                    node = entry;
                    nodePath = path.node(set.name()).node(entry.name());
                    levels.add(new Located(emptyLike(set), path.node(set.name())));
                }
                case UnkeyedListNode list -> {
                    // Keyless lists exist only in state data; the parser refuses them in a configuration.
                    fail(RpcError.application(ErrorTag.BAD_ELEMENT, null, null,
                        "a list without keys cannot be edited", ErrorInfo.badElement(element.getLocalName())));
                    return;
                }
                default -> {
                    node = found;
                    nodePath = path.node(found.name());
                }
            }
            final var dataPath = new ArrayList<>(parentDataPath);
            if (found instanceof MapNode || found instanceof LeafSetNode<?>) {
                dataPath.add(node.name());
            } else {
                dataPath.add(found.name());
            }

            final var attr = element.getAttributeNodeNS(ErrorInfo.NETCONF_BASE, OPERATION);
            EditOperation op = inherited;
            if (attr != null) {
                final var explicit = EditOperation.ofAttribute(attr.getValue()).orElse(null);
                if (explicit == null) {
                    fail(new RpcError(org.cevpn.netconf.ErrorType.PROTOCOL, ErrorTag.BAD_ATTRIBUTE,
                        org.cevpn.netconf.ErrorSeverity.ERROR, null, paths.of(dataPath),
                        "operation must be merge, replace, create, delete or remove",
                        List.of(new ErrorInfo(ErrorInfo.NETCONF_BASE, "bad-attribute", OPERATION,
                            java.util.Map.of()), ErrorInfo.badElement(element.getLocalName()))));
                    return;
                }
                if (insideSubtreeOp && explicit != inherited) {
                    fail(new RpcError(org.cevpn.netconf.ErrorType.PROTOCOL, ErrorTag.BAD_ATTRIBUTE,
                        org.cevpn.netconf.ErrorSeverity.ERROR, null, paths.of(dataPath),
                        "an operation inside a subtree that is already being " + inherited.xmlValue()
                            + "d is not supported",
                        List.of(new ErrorInfo(ErrorInfo.NETCONF_BASE, "bad-attribute", OPERATION,
                            java.util.Map.of()), ErrorInfo.badElement(element.getLocalName()))));
                    return;
                }
                op = explicit;
            }
            if (insideSubtreeOp) {
                return; // the whole subtree was handled by the ancestor's replace/create/delete/remove
            }

            switch (op) {
                case NONE, MERGE -> {
                    if (node instanceof DataContainerNode container) {
                        levels.add(new Located(emptyLike(container), nodePath));
                        if (op == EditOperation.MERGE) {
                            createLevels();
                        }
                        children(element, container, nodePath, dataPath, op, false);
                        levels.removeLast();
                    } else if (op == EditOperation.MERGE) {
                        createLevels();
                        mod.merge(nodePath, node);
                    }
                }
                case REPLACE -> {
                    createLevels();
                    mod.write(nodePath, node);
                    existingLevels.clear(); // the same element given twice: a level under it may be gone
                    checkNested(element, node, nodePath, dataPath, op);
                }
                case CREATE -> {
                    if (mod.readNode(nodePath).isPresent()) {
                        fail(RpcError.application(ErrorTag.DATA_EXISTS, null, paths.of(dataPath),
                            "create: the node already exists"));
                        return;
                    }
                    createLevels();
                    mod.write(nodePath, node);
                    checkNested(element, node, nodePath, dataPath, op);
                }
                case DELETE, REMOVE -> {
                    if (mod.readNode(nodePath).isEmpty()) {
                        if (op == EditOperation.DELETE) {
                            fail(RpcError.application(ErrorTag.DATA_MISSING, null, paths.of(dataPath),
                                "delete: the node does not exist"));
                        }
                        return;
                    }
                    mod.delete(nodePath);
                    existingLevels.clear();
                    checkNested(element, node, nodePath, dataPath, op);
                }
                default -> throw new IllegalStateException(op.toString());
            }
        }

        /** Walks a subtree that was applied whole, only to refuse conflicting operation attributes in it. */
        private void checkNested(final Element element, final NormalizedNode node, final YangInstanceIdentifier path,
                final List<PathArgument> dataPath, final EditOperation op) throws StopEdit {
            if (node instanceof DataContainerNode container) {
                children(element, container, path, dataPath, op, true);
            }
        }

        /**
         * Makes every level passed on the way down exist, as merge does for each level it passes: merging the
         * level's empty node creates it when absent and changes nothing when present.
         */
        private void createLevels() {
            for (var level : levels) {
                if (existingLevels.add(level.path)) {
                    mod.merge(level.path, level.node);
                }
            }
        }

        private void fail(final RpcError error) throws StopEdit {
            errors.add(error);
            if (errorOption != ErrorOption.CONTINUE_ON_ERROR) {
                throw new StopEdit();
            }
        }
    }

    /** Takes delete/remove elements without child elements or text out of the edit, remembering their parent. */
    private static void stripValueless(final Element parent, final java.util.Map<Element, List<Element>> out) {
        for (Node n = parent.getFirstChild(); n != null; ) {
            final var next = n.getNextSibling();
            if (n instanceof Element child) {
                final var op = child.getAttributeNS(ErrorInfo.NETCONF_BASE, OPERATION);
                final boolean deleting = "delete".equals(op) || "remove".equals(op);
                boolean hasElements = false;
                for (Node c = child.getFirstChild(); c != null; c = c.getNextSibling()) {
                    hasElements |= c instanceof Element;
                }
                if (deleting && !hasElements && child.getTextContent().isBlank()) {
                    out.computeIfAbsent(parent, k -> new ArrayList<>()).add(child);
                    parent.removeChild(child);
                } else {
                    stripValueless(child, out);
                }
            }
            n = next;
        }
    }

    /** One DataSchemaContextTree per schema (yangtools caches them per model context too). */
    private static final java.util.function.Function<YangSchema, DataSchemaContextTree> SCHEMA_TREES =
        s -> DataSchemaContextTree.from(s.context());

    /** A child named {@code qname} of a container, looking through choice nodes (which XML does not show). */
    private record Located(NormalizedNode node, YangInstanceIdentifier path) {
    }

    private Located locate(final DataContainerNode parent, final QName qname, final YangInstanceIdentifier path) {
        for (var child : parent.body()) {
            if (child.name().getNodeType().equals(qname)) {
                return new Located(child, path);
            }
        }
        for (var child : parent.body()) {
            if (child instanceof ChoiceNode choice) {
                final var inside = locate(choice, qname, path.node(choice.name()));
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    /**
     * The entry the DOM element stands for, by its key values as text. A system-ordered map does not keep
     * document order, so position is only the fallback for key types whose text differs from the value's
     * string form (identityref, instance-identifier), where the parser's order is all we have.
     */
    private static MapEntryNode entryFor(final Element element, final MapNode map, final int index) {
        MapEntryNode match = null;
        int matches = 0;
        for (var entry : map.body()) {
            boolean all = true;
            for (var key : entry.name().entrySet()) {
                final var text = childText(element, key.getKey().getLocalName());
                all &= text != null && text.equals(String.valueOf(key.getValue()));
            }
            if (all) {
                match = entry;
                matches++;
            }
        }
        return matches == 1 ? match : nth(map.body(), index);
    }

    private static NormalizedNode valueFor(final Element element, final LeafSetNode<?> set, final int index) {
        final var text = element.getTextContent().strip();
        for (var entry : set.body()) {
            if (text.equals(String.valueOf(entry.body()))) {
                return entry;
            }
        }
        return nth(set.body(), index);
    }

    private static String childText(final Element element, final String localName) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    /** The n-th entry, for values whose text form we cannot compare. */
    private static <T> T nth(final java.util.Collection<T> entries, final int index) {
        int i = 0;
        for (var entry : entries) {
            if (i++ == index) {
                return entry;
            }
        }
        throw new IllegalStateException("parsed edit has fewer entries than the XML");
    }

    /** An empty node of the same kind and name: a list entry keeps its keys. */
    static NormalizedNode emptyLike(final NormalizedNode node) {
        return switch (node) {
            case ContainerNode c -> ImmutableNodes.newContainerBuilder().withNodeIdentifier(c.name()).build();
            case ChoiceNode c -> ImmutableNodes.newChoiceBuilder().withNodeIdentifier(c.name()).build();
            case MapEntryNode e -> {
                final var b = ImmutableNodes.newMapEntryBuilder().withNodeIdentifier(e.name());
                e.name().entrySet().forEach(k -> b.withChild(ImmutableNodes.leafNode(k.getKey(), k.getValue())));
                yield b.build();
            }
            case SystemMapNode m -> ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(m.name()).build();
            case MapNode m -> ImmutableNodes.newUserMapBuilder().withNodeIdentifier(m.name()).build();
            case SystemLeafSetNode<?> s -> ImmutableNodes.newSystemLeafSetBuilder().withNodeIdentifier(s.name())
                .build();
            case LeafSetNode<?> s -> ImmutableNodes.newUserLeafSetBuilder().withNodeIdentifier(s.name()).build();
            default -> throw new IllegalArgumentException("not a container node: " + node.name());
        };
    }
}

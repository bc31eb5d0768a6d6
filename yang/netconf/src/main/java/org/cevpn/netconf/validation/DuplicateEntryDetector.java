package org.cevpn.netconf.validation;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.stream.ForwardingNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafListSchemaNode;

/**
 * Sits between yangtools' parser and the NormalizedNode builder and reports list entries with the same key
 * (and configuration leaf-list entries with the same value) under one parent: the builder would silently merge them, but
 * RFC 7950 §7.8.2/§7.7 make keys and configuration leaf-list values unique, so such input is an error.
 * Reported like a violated {@code unique} (RFC 7950 §15.1: operation-failed, data-not-unique): a key is the
 * list's first uniqueness constraint.
 */
final class DuplicateEntryDetector extends ForwardingNormalizedNodeStreamWriter {
    /** One open node: the path step it contributes (null for list/leaf-list/choice wrappers). */
    private record Frame(PathArgument step, Set<PathArgument> entries) {
    }

    private final NormalizedNodeStreamWriter delegate;
    private final ErrorPaths paths;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final List<RpcError> errors = new ArrayList<>();

    DuplicateEntryDetector(final NormalizedNodeStreamWriter delegate, final ErrorPaths paths) {
        this.delegate = delegate;
        this.paths = paths;
    }

    List<RpcError> errors() {
        return errors;
    }

    @Override
    protected NormalizedNodeStreamWriter delegate() {
        return delegate;
    }

    /** The schema node yangtools announced for the next node, if any. */
    private DataSchemaNode nextSchema;

    @Override
    public void nextDataSchemaNode(final DataSchemaNode schema) {
        nextSchema = schema;
        super.nextDataSchemaNode(schema);
    }

    private void open(final PathArgument step, final boolean collection) {
        stack.push(new Frame(step, collection ? new HashSet<>() : null));
        nextSchema = null;
    }

    /** A leaf-list only needs unique values in configuration (RFC 7950 §7.7); state may repeat a value. */
    private void openLeafList() {
        final boolean state = nextSchema instanceof LeafListSchemaNode leafList
            && Boolean.FALSE.equals(leafList.effectiveConfig().orElse(null));
        open(null, !state);
    }

    private void entry(final PathArgument id, final String what) {
        final var parent = stack.peek();
        open(id, false);
        if (parent != null && parent.entries() != null && !parent.entries().add(id)) {
            final var steps = new ArrayList<PathArgument>();
            stack.descendingIterator().forEachRemaining(f -> {
                if (f.step() != null) {
                    steps.add(f.step());
                }
            });
            errors.add(RpcError.application(ErrorTag.OPERATION_FAILED, "data-not-unique", paths.of(steps),
                "duplicate " + what + " " + id.getNodeType().getLocalName() + ": the same "
                    + (id instanceof NodeWithValue ? "value" : "key") + " appears more than once",
                ErrorInfo.badElement(id.getNodeType().getLocalName())));
        }
    }

    @Override
    public void startLeafNode(final NodeIdentifier name) throws IOException {
        open(name, false);
        super.startLeafNode(name);
    }

    @Override
    public void startLeafSet(final NodeIdentifier name, final int childSizeHint) throws IOException {
        openLeafList();
        super.startLeafSet(name, childSizeHint);
    }

    @Override
    public void startOrderedLeafSet(final NodeIdentifier name, final int childSizeHint) throws IOException {
        openLeafList();
        super.startOrderedLeafSet(name, childSizeHint);
    }

    @Override
    public void startLeafSetEntryNode(final NodeWithValue<?> name) throws IOException {
        entry(name, "leaf-list value");
        super.startLeafSetEntryNode(name);
    }

    @Override
    public void startContainerNode(final NodeIdentifier name, final int childSizeHint) throws IOException {
        // The datastore root container is not a step of any path.
        open(stack.isEmpty() && "data".equals(name.getNodeType().getLocalName()) ? null : name, false);
        super.startContainerNode(name, childSizeHint);
    }

    @Override
    public void startUnkeyedList(final NodeIdentifier name, final int childSizeHint) throws IOException {
        open(null, false);
        super.startUnkeyedList(name, childSizeHint);
    }

    @Override
    public void startUnkeyedListItem(final NodeIdentifier name, final int childSizeHint) throws IOException {
        open(name, false);
        super.startUnkeyedListItem(name, childSizeHint);
    }

    @Override
    public void startMapNode(final NodeIdentifier name, final int childSizeHint) throws IOException {
        open(null, true);
        super.startMapNode(name, childSizeHint);
    }

    @Override
    public void startOrderedMapNode(final NodeIdentifier name, final int childSizeHint) throws IOException {
        open(null, true);
        super.startOrderedMapNode(name, childSizeHint);
    }

    @Override
    public void startMapEntryNode(final NodeIdentifierWithPredicates identifier, final int childSizeHint)
            throws IOException {
        entry(identifier, "list entry");
        super.startMapEntryNode(identifier, childSizeHint);
    }

    @Override
    public void startChoiceNode(final NodeIdentifier name, final int childSizeHint) throws IOException {
        open(null, false);
        super.startChoiceNode(name, childSizeHint);
    }

    @Override
    public boolean startAnyxmlNode(final NodeIdentifier name, final Class<?> objectModel) throws IOException {
        final boolean accepted = super.startAnyxmlNode(name, objectModel);
        if (accepted) {
            open(name, false);
        }
        return accepted;
    }

    @Override
    public boolean startAnydataNode(final NodeIdentifier name, final Class<?> objectModel) throws IOException {
        final boolean accepted = super.startAnydataNode(name, objectModel);
        if (accepted) {
            open(name, false);
        }
        return accepted;
    }

    @Override
    public void endNode() throws IOException {
        stack.pop();
        super.endNode();
    }
}

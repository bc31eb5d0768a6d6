package org.cevpn.netconf.server;

import java.util.ArrayList;
import java.util.List;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.datastore.Datastore;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.validation.InstanceDocumentParser;
import org.cevpn.netconf.validation.ValidationException;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNodes;
import org.opendaylight.yangtools.yang.model.api.stmt.ActionEffectiveStatement;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;
import org.cevpn.netconf.DomElements;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * YANG 1.1 actions (RFC 7950 §7.15.2): {@code <action xmlns="urn:ietf:params:xml:ns:yang:1">} holds the data
 * path down to the node the action is invoked on, with the action element (and its input) at the end. The
 * path is read by the shared parser (so keys are typed and checked), the node must exist in running
 * (data-missing otherwise), NACM decides, then the registered handler runs.
 */
final class Actions {
    static final String YANG_NS = "urn:ietf:params:xml:ns:yang:1";

    private final NetconfServer server;
    private final NetconfSession session;

    Actions(final NetconfServer server, final NetconfSession session) {
        this.server = server;
        this.session = session;
    }

    String invoke(final Element actionElement) throws RpcException {
        final var top = DomElements.children(actionElement);
        if (top.size() != 1) {
            throw new RpcException(RpcError.malformedMessage("<action> holds exactly one data node path"));
        }
        // Find the action element: walk down the data tree, asking the schema at each level.
        final var stack = SchemaInferenceStack.of(server.schema().context());
        Element current = top.get(0);
        final var chain = new ArrayList<Element>();
        Element action = null;
        while (action == null) {
            final var qname = qname(current);
            try {
                stack.enterDataTree(qname);
            } catch (IllegalArgumentException e) {
                throw unknown(current);
            }
            chain.add(current);
            Element next = null;
            for (var child : DomElements.children(current)) {
                final var q = qname(child);
                final var probe = stack.copy();
                try {
                    if (probe.enterSchemaTree(q) instanceof ActionEffectiveStatement) {
                        action = child;
                        break;
                    }
                } catch (IllegalArgumentException e) {
                    // not directly in the schema tree (inside a choice) or a plain leaf: fine
                }
                if (!DomElements.children(child).isEmpty()) {
                    next = next == null ? child : next;
                }
            }
            if (action == null) {
                if (next == null) {
                    throw new RpcException(RpcError.malformedMessage("<action> names no action"));
                }
                current = next;
            }
        }
        final var actionQName = qname(action);
        final var handler = server.rpcs().findAction(actionQName);
        if (handler.isEmpty()) {
            throw new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.OPERATION_NOT_SUPPORTED,
                ErrorSeverity.ERROR, null, null, "action " + action.getLocalName() + " is not supported",
                List.of(ErrorInfo.badElement(action.getLocalName()))));
        }
        // The target path: the chain without the action, parsed as data (typed, checked keys).
        final var copy = (Element) top.get(0).cloneNode(true);
        removeAction(copy, top.get(0), action);
        final YangInstanceIdentifier target;
        try {
            target = pathOf(new InstanceDocumentParser(server.schema(), server.xmlLimits()).parseXml(copy), chain);
        } catch (ValidationException e) {
            throw new RpcException(e.errors());
        }
        if (NormalizedNodes.findNode(java.util.Optional.of(
                server.datastores().snapshot(Datastore.RUNNING).root()), target.getPathArguments()).isEmpty()) {
            throw RpcException.application(ErrorTag.DATA_MISSING,
                "the node action " + action.getLocalName() + " is invoked on does not exist");
        }
        server.accessControl().checkAction(session.user(), target.getPathArguments(), actionQName);
        final var actionStmt = (ActionEffectiveStatement) stack.enterSchemaTree(actionQName);
        final var definition = (org.opendaylight.yangtools.yang.model.api.ActionDefinition) actionStmt;
        final var input = new RpcInputParser(server.schema()).parse(actionQName, definition.getInput(), stack, action);
        return handler.orElseThrow().invoke(session.id(), session.user(), target, input, action);
    }

    /** Removes from {@code copy} (a deep copy of {@code top}) the element that is {@code action} in the original. */
    private static void removeAction(final Element copy, final Element top, final Element action) {
        final var indexes = new java.util.ArrayDeque<Integer>();
        for (Element e = action; e != top; e = (Element) e.getParentNode()) {
            indexes.push(DomElements.children((Element) e.getParentNode()).indexOf(e));
        }
        Element at = copy;
        while (indexes.size() > 1) {
            at = DomElements.children(at).get(indexes.pop());
        }
        at.removeChild(DomElements.children(at).get(indexes.pop()));
    }

    private YangInstanceIdentifier pathOf(final DataContainerNode root, final List<Element> chain) {
        final var args = new ArrayList<PathArgument>();
        NormalizedNode node = root;
        for (var element : chain) {
            final var qname = qname(element);
            node = child((DataContainerNode) node, qname, args);
            if (node instanceof MapNode map) {
                final var entry = map.body().iterator().next();
                args.add(entry.name());
                node = entry;
            }
        }
        return YangInstanceIdentifier.of(args);
    }

    private static NormalizedNode child(final DataContainerNode parent, final QName qname,
            final List<PathArgument> args) {
        for (var c : parent.body()) {
            if (c.name().getNodeType().equals(qname)) {
                args.add(c.name());
                return c;
            }
        }
        for (var c : parent.body()) {
            if (c instanceof ChoiceNode choice) {
                final int mark = args.size();
                args.add(choice.name());
                final var inside = child(choice, qname, args);
                if (inside != null) {
                    return inside;
                }
                args.subList(mark, args.size()).clear();
            }
        }
        return null;
    }

    private QName qname(final Element element) {
        final var module = server.schema().moduleByNamespace(String.valueOf(element.getNamespaceURI()));
        if (module.isEmpty()) {
            return QName.create("urn:unknown", element.getLocalName());
        }
        return QName.create(module.orElseThrow().getQNameModule(), element.getLocalName());
    }

    private static RpcException unknown(final Element element) {
        return new RpcException(new RpcError(ErrorType.APPLICATION, ErrorTag.UNKNOWN_ELEMENT, ErrorSeverity.ERROR,
            null, null, "unknown element " + element.getLocalName() + " in <action>",
            List.of(ErrorInfo.badElement(element.getLocalName()))));
    }
}

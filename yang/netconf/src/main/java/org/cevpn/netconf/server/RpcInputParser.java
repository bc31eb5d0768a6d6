package org.cevpn.netconf.server;

import java.util.List;
import javax.xml.transform.dom.DOMSource;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.codec.xml.DOMSourceXMLStreamReader;
import org.opendaylight.yangtools.yang.data.codec.xml.XmlParserStream;
import org.opendaylight.yangtools.yang.data.impl.schema.ImmutableNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.impl.schema.NormalizationResultHolder;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.MandatoryAware;
import org.opendaylight.yangtools.yang.model.api.RpcDefinition;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;
import org.w3c.dom.Element;

/**
 * Reads the input of an application RPC against the RPC's {@code input} statement with yangtools' strict XML
 * parser: unknown elements, values outside their type and missing mandatory input leaves are rpc-errors
 * before any handler runs. (must/when inside an input are not evaluated.)
 */
final class RpcInputParser {
    private final YangSchema schema;

    RpcInputParser(final YangSchema schema) {
        this.schema = schema;
    }

    ContainerNode parse(final QName rpc, final Element element) throws RpcException {
        final RpcDefinition definition = schema.context().findModule(rpc.getModule())
            .flatMap(m -> m.getRpcs().stream().filter(r -> r.getQName().equals(rpc)).findFirst())
            .orElseThrow(() -> RpcException.protocol(ErrorTag.OPERATION_NOT_SUPPORTED,
                "operation " + rpc.getLocalName() + " is not supported"));
        final var stack = SchemaInferenceStack.of(schema.context());
        stack.enterSchemaTree(rpc);
        return parse(rpc, definition.getInput(), stack, element);
    }

    /**
     * Input of an RPC or action whose statement {@code stack} stands on; {@code element} holds the input leaves.
     */
    ContainerNode parse(final QName rpc, final org.opendaylight.yangtools.yang.model.api.InputSchemaNode input,
            final SchemaInferenceStack stack, final Element element) throws RpcException {
        stack.enterSchemaTree(input.getQName());
        final var holder = new NormalizationResultHolder();
        try (var parser = XmlParserStream.create(ImmutableNormalizedNodeStreamWriter.from(holder),
                schema.xmlCodecs(), stack.toInference(), true)) {
            parser.parse(new DOMSourceXMLStreamReader(new DOMSource(element)));
        } catch (Exception e) {
            // yangtools names the element or value at fault in its message; values of an RPC input are not secret
            // by our models (keys travel in configuration, not in RPCs).
            throw new RpcException(new RpcError(ErrorType.APPLICATION, ErrorTag.INVALID_VALUE, ErrorSeverity.ERROR,
                null, null, "input of " + rpc.getLocalName() + " does not fit its schema: " + rootMessage(e),
                List.of(ErrorInfo.badElement(rpc.getLocalName()))));
        }
        final var result = holder.getResult().data();
        final ContainerNode data = result instanceof ContainerNode c ? c : null;
        for (DataSchemaNode child : input.getChildNodes()) {
            if (child instanceof MandatoryAware m && m.isMandatory()
                    && (data == null || data.childByArg(new org.opendaylight.yangtools.yang.data.api
                        .YangInstanceIdentifier.NodeIdentifier(child.getQName())) == null)) {
                throw new RpcException(new RpcError(ErrorType.PROTOCOL, ErrorTag.MISSING_ELEMENT,
                    ErrorSeverity.ERROR, null, null, "input " + child.getQName().getLocalName() + " is mandatory",
                    List.of(ErrorInfo.badElement(child.getQName().getLocalName()))));
            }
        }
        return data;
    }

    private static String rootMessage(final Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}

package org.cevpn.netconf.filter;

import java.util.List;
import java.util.Map;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.w3c.dom.Element;

/**
 * The {@code <filter>} of get, get-config and create-subscription: a subtree filter (RFC 6241 §6) or an XPath
 * filter (§8.9). The server parses it once per request and applies it to the (NACM-filtered) data.
 */
public sealed interface Filter {
    /** Selects from a datastore root; the result is a root holding the selected nodes and their ancestors. */
    ContainerNode apply(ContainerNode data) throws ValidationException;

    /** No filter element: everything. */
    record All() implements Filter {
        @Override
        public ContainerNode apply(final ContainerNode data) {
            return data;
        }
    }

    record Subtree(SubtreeFilter filter) implements Filter {
        @Override
        public ContainerNode apply(final ContainerNode data) {
            return filter.apply(data);
        }
    }

    record XPath(XPathFilter filter) implements Filter {
        @Override
        public ContainerNode apply(final ContainerNode data) throws ValidationException {
            return filter.apply(data);
        }
    }

    /**
     * Reads a filter element ({@code type} "subtree" by default, or "xpath" with a {@code select} attribute).
     *
     * @param filterElement the filter element, or null for none
     * @param xpathEnabled  whether the server advertises {@code :xpath}; without it type="xpath" is refused
     * @throws ValidationException bad-attribute for an unknown type (or xpath without the capability),
     *                             missing-attribute for xpath without select, invalid-value for a bad select
     */
    static Filter parse(final YangSchema schema, final Element filterElement, final boolean xpathEnabled)
            throws ValidationException {
        if (filterElement == null) {
            return new All();
        }
        final var type = filterElement.hasAttribute("type") ? filterElement.getAttribute("type") : "subtree";
        return switch (type) {
            case "subtree" -> new Subtree(new SubtreeFilter(schema, filterElement));
            case "xpath" -> {
                if (!xpathEnabled) {
                    throw new ValidationException(attributeError(ErrorTag.BAD_ATTRIBUTE,
                        "type=\"xpath\" needs the :xpath capability"));
                }
                if (!filterElement.hasAttribute("select")) {
                    throw new ValidationException(attributeError(ErrorTag.MISSING_ATTRIBUTE,
                        "an XPath filter needs a select attribute"));
                }
                yield new XPath(new XPathFilter(schema, filterElement.getAttribute("select"),
                    XPathFilter.inScopeNamespaces(filterElement)));
            }
            default -> throw new ValidationException(attributeError(ErrorTag.BAD_ATTRIBUTE,
                "unknown filter type (subtree or xpath)"));
        };
    }

    private static RpcError attributeError(final ErrorTag tag, final String message) {
        final var attribute = tag == ErrorTag.MISSING_ATTRIBUTE ? "select" : "type";
        return new RpcError(ErrorType.PROTOCOL, tag, ErrorSeverity.ERROR, null, null, message, List.of(
            new ErrorInfo(ErrorInfo.NETCONF_BASE, "bad-attribute", attribute, Map.of()),
            ErrorInfo.badElement("filter")));
    }
}

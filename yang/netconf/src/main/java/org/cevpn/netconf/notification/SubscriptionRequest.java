package org.cevpn.netconf.notification;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cevpn.netconf.ErrorInfo;
import org.cevpn.netconf.ErrorSeverity;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.ErrorType;
import org.cevpn.netconf.RpcError;
import org.cevpn.netconf.filter.Filter;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A {@code <create-subscription>} request (RFC 5277 §2.1.1), checked: the stream exists, startTime is not in the
 * future, stopTime comes with a startTime and not before it.
 *
 * @param stream    stream name ("NETCONF" when absent)
 * @param filter    the subtree or XPath filter, or {@link Filter.All}
 * @param startTime replay from here (absent: no replay)
 * @param stopTime  end the subscription here (absent: runs until the session ends)
 */
public record SubscriptionRequest(String stream, Filter filter, Optional<Instant> startTime,
        Optional<Instant> stopTime) {
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:netconf:notification:1.0";
    public static final String DEFAULT_STREAM = "NETCONF";

    /**
     * @param createSubscription the {@code <create-subscription>} element of the rpc
     * @param now                the server's current time
     * @param streams            names of the streams the server has
     * @param xpathEnabled       whether {@code :xpath} is advertised (filter type="xpath")
     */
    public static SubscriptionRequest parse(final YangSchema schema, final Element createSubscription,
            final Instant now, final Set<String> streams, final boolean xpathEnabled) throws ValidationException {
        final var streamElement = child(createSubscription, "stream");
        final var stream = streamElement == null ? DEFAULT_STREAM : streamElement.getTextContent().trim();
        if (!streams.contains(stream)) {
            throw new ValidationException(error(ErrorTag.INVALID_VALUE, "stream", "no such event stream"));
        }
        final var filter = Filter.parse(schema, child(createSubscription, "filter"), xpathEnabled);
        final var start = time(child(createSubscription, "startTime"), "startTime");
        final var stop = time(child(createSubscription, "stopTime"), "stopTime");
        if (start.isPresent() && start.orElseThrow().isAfter(now)) {
            throw new ValidationException(error(ErrorTag.BAD_ELEMENT, "startTime", "startTime is in the future"));
        }
        if (stop.isPresent() && start.isEmpty()) {
            throw new ValidationException(error(ErrorTag.MISSING_ELEMENT, "startTime",
                "stopTime needs a startTime"));
        }
        if (stop.isPresent() && stop.orElseThrow().isBefore(start.orElseThrow())) {
            throw new ValidationException(error(ErrorTag.BAD_ELEMENT, "stopTime", "stopTime is before startTime"));
        }
        return new SubscriptionRequest(stream, filter, start, stop);
    }

    private static Optional<Instant> time(final Element element, final String name) throws ValidationException {
        if (element == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(element.getTextContent().trim()).toInstant());
        } catch (DateTimeParseException e) {
            throw new ValidationException(error(ErrorTag.BAD_ELEMENT, name, name + " is not an RFC 3339 date-time"));
        }
    }

    private static RpcError error(final ErrorTag tag, final String element, final String message) {
        return new RpcError(ErrorType.PROTOCOL, tag, ErrorSeverity.ERROR, null, null, message,
            List.of(ErrorInfo.badElement(element)));
    }

    private static Element child(final Element parent, final String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())
                    && (NAMESPACE.equals(e.getNamespaceURI()) || "filter".equals(localName))) {
                return e;
            }
        }
        return null;
    }
}

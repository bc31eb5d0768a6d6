package org.cevpn.netconf.validation;

import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * Remembers where in the document the reader is, as a list of child-element indexes from the root, so that an
 * exception thrown by yangtools' parser (which carries no data path) can be traced back to the element at fault.
 * nextTag() and getElementText() are re-implemented on top of next() so every event passes through here.
 */
final class TrackingStreamReader extends StreamReaderDelegate {
    /** Index path of the current element; it stays on an element until the event after its END_ELEMENT. */
    private final List<Integer> path = new ArrayList<>();
    /** Children seen so far at each open level (one more entry than {@link #path}). */
    private final List<Integer> childCounts = new ArrayList<>(List.of(0));
    private boolean popPending;

    TrackingStreamReader(final XMLStreamReader reader) {
        super(reader);
    }

    /** Child-element index path of the element being read (root element is [0]). */
    List<Integer> currentPath() {
        return List.copyOf(path);
    }

    @Override
    public int next() throws XMLStreamException {
        final int event = super.next();
        if (popPending) {
            path.removeLast();
            childCounts.removeLast();
            popPending = false;
        }
        if (event == XMLStreamConstants.START_ELEMENT) {
            final int index = childCounts.getLast();
            childCounts.set(childCounts.size() - 1, index + 1);
            path.add(index);
            childCounts.add(0);
        } else if (event == XMLStreamConstants.END_ELEMENT) {
            popPending = true;
        }
        return event;
    }

    @Override
    public int nextTag() throws XMLStreamException {
        int event = next();
        while (event == XMLStreamConstants.CHARACTERS && isWhiteSpace()
                || event == XMLStreamConstants.CDATA && isWhiteSpace()
                || event == XMLStreamConstants.SPACE
                || event == XMLStreamConstants.PROCESSING_INSTRUCTION
                || event == XMLStreamConstants.COMMENT) {
            event = next();
        }
        if (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT) {
            throw new XMLStreamException("expected start or end tag", getLocation());
        }
        return event;
    }

    @Override
    public String getElementText() throws XMLStreamException {
        if (getEventType() != XMLStreamConstants.START_ELEMENT) {
            throw new XMLStreamException("not at a start tag", getLocation());
        }
        final var text = new StringBuilder();
        while (true) {
            final int event = next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE,
                     XMLStreamConstants.ENTITY_REFERENCE -> text.append(getText());
                case XMLStreamConstants.PROCESSING_INSTRUCTION, XMLStreamConstants.COMMENT -> {
                    // skipped, as StAX specifies
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    return text.toString();
                }
                case XMLStreamConstants.START_ELEMENT ->
                    throw new XMLStreamException("element found where text was expected", getLocation());
                default -> throw new XMLStreamException("unexpected event " + event + " in text", getLocation());
            }
        }
    }
}

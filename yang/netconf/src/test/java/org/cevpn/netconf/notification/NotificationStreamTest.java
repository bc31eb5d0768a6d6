package org.cevpn.netconf.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.filter.Filter;
import org.cevpn.netconf.nacm.Nacm;
import org.cevpn.netconf.nacm.NacmUser;
import org.cevpn.netconf.nacm.PolicyTestData;
import org.cevpn.netconf.validation.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.w3c.dom.Element;

class NotificationStreamTest {
    private static final String CE = "urn:cevpn:params:xml:ns:yang:cevpn-ce-device";
    private static final String NOTIF = SubscriptionRequest.NAMESPACE;
    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        Instant now = T0;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(final Duration d) {
            now = now.plus(d);
        }
    }

    /** A sink recording what a session would write. */
    private static final class Recorder implements NotificationSink {
        final List<NetconfNotification> received = new ArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public synchronized void send(final NetconfNotification notification) {
            received.add(notification);
        }

        @Override
        public void ended() {
            ended.countDown();
        }

        synchronized List<String> names() {
            return received.stream().map(n -> n.type().getLocalName()).toList();
        }
    }

    private final TestClock clock = new TestClock();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Nacm nacm = new Nacm(PolicyTestData.schema(), Set.of());

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private NotificationStream stream(final int capacity) {
        return new NotificationStream("NETCONF", "default NETCONF event stream", PolicyTestData.schema(), nacm,
            capacity, clock, timer);
    }

    private static QName ce(final String name) {
        return QName.create(PolicyTestData.schema().moduleByNamespace(CE).orElseThrow().getQNameModule(), name);
    }

    static ContainerNode tunnelDown(final String peer, final String vpn) {
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(ce("tunnel-down")))
            .withChild(ImmutableNodes.leafNode(ce("peer"), peer))
            .withChild(ImmutableNodes.leafNode(ce("peer-ce-id"), "ce3"))
            .withChild(ImmutableNodes.leafNode(ce("vpn-id"), vpn))
            .withChild(ImmutableNodes.leafNode(ce("reason"), "idle-timeout"))
            .withChild(ImmutableNodes.leafNode(ce("detail"), "no traffic for 600 s"))
            .build();
    }

    static ContainerNode tunnelUp(final String peer) {
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(ce("tunnel-up")))
            .withChild(ImmutableNodes.leafNode(ce("peer"), peer)).build();
    }

    private static Element xml(final String text) {
        try {
            return DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private SubscriptionRequest request(final String body) throws ValidationException {
        return SubscriptionRequest.parse(PolicyTestData.schema(), xml("<create-subscription xmlns=\"" + NOTIF + "\">"
            + body + "</create-subscription>"), clock.instant(), Set.of("NETCONF"), true);
    }

    @Test
    void createSubscriptionErrorCases() throws Exception {
        final var plain = request("");
        assertEquals("NETCONF", plain.stream());
        assertInstanceOf(Filter.All.class, plain.filter());
        assertTrue(plain.startTime().isEmpty());

        final var future = assertThrows(ValidationException.class,
            () -> request("<startTime>2026-11-22T04:00:00Z</startTime>")).errors().getFirst();
        assertEquals(ErrorTag.BAD_ELEMENT, future.tag());
        assertTrue(future.toXml().contains("<bad-element>startTime</bad-element>"));

        final var stopOnly = assertThrows(ValidationException.class,
            () -> request("<stopTime>2026-11-22T02:00:00Z</stopTime>")).errors().getFirst();
        assertEquals(ErrorTag.MISSING_ELEMENT, stopOnly.tag());

        final var reversed = assertThrows(ValidationException.class, () -> request(
            "<startTime>2026-11-22T02:00:00Z</startTime><stopTime>2026-11-22T01:00:00Z</stopTime>")).errors().getFirst();
        assertEquals(ErrorTag.BAD_ELEMENT, reversed.tag());
        assertTrue(reversed.toXml().contains("<bad-element>stopTime</bad-element>"));

        assertEquals(ErrorTag.BAD_ELEMENT, assertThrows(ValidationException.class,
            () -> request("<startTime>yesterday</startTime>")).errors().getFirst().tag());
        assertEquals(ErrorTag.INVALID_VALUE, assertThrows(ValidationException.class,
            () -> request("<stream>SYSLOG</stream>")).errors().getFirst().tag());
        // Offsets other than Z are RFC 3339 too.
        assertEquals(Instant.parse("2026-11-22T01:30:00Z"),
            request("<startTime>2026-11-22T02:30:00+01:00</startTime>").startTime().orElseThrow());
    }

    @Test
    void replayLogIsBoundedAndReplayPrecedesLiveEvents() throws Exception {
        final var stream = stream(3);
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofSeconds(10));
            stream.publish(tunnelUp("192.0.2." + i));
        }
        assertEquals(2, stream.replayDropped());
        assertEquals(T0.plusSeconds(30), stream.oldestReplayable().orElseThrow());

        final var sink = new Recorder();
        final var sub = stream.subscribe(request("<startTime>2026-11-22T03:00:00Z</startTime>"),
            NacmUser.of("root"), sink);
        assertEquals(List.of("tunnel-up", "tunnel-up", "tunnel-up", "replayComplete"), sink.names());
        assertEquals("192.0.2.3", sink.received.getFirst().body().body().iterator().next().body());
        clock.advance(Duration.ofSeconds(1));
        stream.publish(tunnelDown("192.0.2.9", "acme"));
        assertEquals("tunnel-down", sink.names().getLast());
        sub.cancel();
        assertFalse(sub.isActive());
        stream.publish(tunnelUp("192.0.2.10"));
        assertEquals(5, sink.received.size());
        assertEquals(0, stream.activeSubscriptions());
    }

    @Test
    void noStartTimeMeansNoReplay() throws Exception {
        final var stream = stream(10);
        stream.publish(tunnelUp("192.0.2.1"));
        final var sink = new Recorder();
        stream.subscribe(request(""), NacmUser.of("root"), sink);
        assertTrue(sink.received.isEmpty());
        stream.publish(tunnelUp("192.0.2.2"));
        assertEquals(List.of("tunnel-up"), sink.names());
    }

    @Test
    void stopTimeInThePastEndsAfterReplay() throws Exception {
        final var stream = stream(10);
        clock.advance(Duration.ofMinutes(1));
        stream.publish(tunnelUp("192.0.2.1"));
        clock.advance(Duration.ofMinutes(1));
        stream.publish(tunnelUp("192.0.2.2"));
        clock.advance(Duration.ofMinutes(1));
        final var sink = new Recorder();
        final var sub = stream.subscribe(request("<startTime>2026-11-22T03:00:00Z</startTime>"
            + "<stopTime>2026-11-22T03:01:30Z</stopTime>"), NacmUser.of("root"), sink);
        assertEquals(List.of("tunnel-up", "replayComplete", "notificationComplete"), sink.names());
        assertEquals(0, sink.ended.getCount());
        assertFalse(sub.isActive());
    }

    @Test
    void stopTimeInTheFutureEndsTheSubscriptionThen() throws Exception {
        final var stream = stream(10);
        final var sink = new Recorder();
        final var stop = clock.instant().plusMillis(200);
        stream.subscribe(request("<startTime>2026-11-22T03:00:00Z</startTime><stopTime>" + stop + "</stopTime>"),
            NacmUser.of("root"), sink);
        stream.publish(tunnelUp("192.0.2.1"));
        assertTrue(sink.ended.await(5, TimeUnit.SECONDS), "the stop timer ends the subscription");
        assertEquals(List.of("replayComplete", "tunnel-up", "notificationComplete"), sink.names());
        assertEquals(0, stream.activeSubscriptions());
    }

    @Test
    void filtersSelectNotifications() throws Exception {
        final var stream = stream(10);
        final var subtree = new Recorder();
        stream.subscribe(request("<filter xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" type=\"subtree\">"
            + "<tunnel-down xmlns=\"" + CE + "\"><vpn-id>acme</vpn-id></tunnel-down></filter>"),
            NacmUser.of("root"), subtree);
        final var xpath = new Recorder();
        stream.subscribe(request("<filter xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" xmlns:c=\"" + CE
            + "\" type=\"xpath\" select=\"/c:tunnel-up[c:peer='192.0.2.7']\"/>"), NacmUser.of("root"), xpath);
        stream.publish(tunnelDown("192.0.2.3", "acme"));
        stream.publish(tunnelDown("192.0.2.4", "globex"));
        stream.publish(tunnelUp("192.0.2.7"));
        stream.publish(tunnelUp("192.0.2.8"));
        assertEquals(List.of("tunnel-down"), subtree.names());
        assertEquals("acme", subtree.received.getFirst().body().body().stream()
            .filter(c -> c.name().getNodeType().getLocalName().equals("vpn-id")).findFirst().orElseThrow().body());
        assertEquals(List.of("tunnel-up"), xpath.names());
    }

    @Test
    void nacmFiltersNotificationsButNeverTheControlOnes() throws Exception {
        nacm.configure(PolicyTestData.parse("""
            <nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm">
              <groups><group><name>operators</name><user-name>olivia</user-name></group></groups>
              <rule-list><name>ops</name><group>operators</group>
                <rule><name>no-tunnel-down</name><module-name>cevpn-ce-device</module-name>
                  <notification-name>tunnel-down</notification-name><access-operations>read</access-operations>
                  <action>deny</action></rule>
              </rule-list>
            </nacm>"""));
        final var stream = stream(10);
        stream.publish(tunnelDown("192.0.2.3", "acme"));
        stream.publish(tunnelUp("192.0.2.3"));
        final var sink = new Recorder();
        stream.subscribe(request("<startTime>2026-11-22T03:00:00Z</startTime>"), NacmUser.of("olivia"), sink);
        stream.publish(tunnelDown("192.0.2.3", "acme"));
        assertEquals(List.of("tunnel-up", "replayComplete"), sink.names());
        assertEquals(2, nacm.counters().deniedNotifications());
    }

    @Test
    void encodesTheNotificationEnvelope() {
        final var event = new NetconfNotification(Instant.parse("2026-11-22T03:04:05.5Z"), tunnelDown("192.0.2.3", "acme"));
        final var text = new NotificationXml(PolicyTestData.schema()).encode(event);
        final var doc = xml(text);
        assertEquals(NOTIF, doc.getNamespaceURI());
        assertEquals("notification", doc.getLocalName());
        final var children = org.cevpn.netconf.filter.SubtreeFilterAccess.elements(doc);
        assertEquals("eventTime", children.get(0).getLocalName());
        assertEquals("2026-11-22T03:04:05.500Z", children.get(0).getTextContent());
        // The body is the example notification of yang/models/examples, element for element.
        final var expected = xml(PolicyTestData.example("operations/tunnel-down.notif.xml"));
        final var body = children.get(1);
        assertEquals(expected.getNamespaceURI(), body.getNamespaceURI());
        assertEquals(expected.getLocalName(), body.getLocalName());
        final var want = org.cevpn.netconf.filter.SubtreeFilterAccess.elements(expected);
        final var got = org.cevpn.netconf.filter.SubtreeFilterAccess.elements(body);
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).getLocalName(), got.get(i).getLocalName());
            assertEquals(want.get(i).getTextContent(), got.get(i).getTextContent());
        }
        // replayComplete encodes as an empty element of nc-notifications.
        final var control = new NetconfNotification(event.eventTime(), ImmutableNodes.newContainerBuilder()
            .withNodeIdentifier(new NodeIdentifier(QName.create(PolicyTestData.schema()
                .moduleByNamespace(NotificationStream.NC_NOTIFICATIONS).orElseThrow().getQNameModule(), "replayComplete")))
            .build());
        final var controlXml = new NotificationXml(PolicyTestData.schema()).encode(control);
        assertTrue(controlXml.contains("<replayComplete xmlns=\"urn:ietf:params:xml:ns:netmod:notification\"></replayComplete>")
            || controlXml.contains("<replayComplete xmlns=\"urn:ietf:params:xml:ns:netmod:notification\"/>"), controlXml);
    }

    @Test
    void concurrentPublishingNeitherLosesNorRepeatsEventsAcrossTheReplayBoundary() throws Exception {
        final var stream = new NotificationStream("NETCONF", "d", PolicyTestData.schema(), nacm, 100_000,
            Clock.systemUTC(), timer);
        final int total = 20_000;
        final var publisher = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                stream.publish(ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(ce("tunnel-up")))
                    .withChild(ImmutableNodes.leafNode(ce("peer"), "192.0.2.1"))
                    .withChild(ImmutableNodes.leafNode(ce("peer-ce-id"), "n" + i)).build());
            }
        });
        publisher.start();
        while (stream.oldestReplayable().isEmpty()) {
            Thread.onSpinWait();
        }
        final var sink = new Recorder();
        final var start = Instant.now().minusSeconds(3600);
        stream.subscribe(SubscriptionRequest.parse(PolicyTestData.schema(), xml("<create-subscription xmlns=\"" + NOTIF
            + "\"><startTime>" + start + "</startTime></create-subscription>"), Instant.now(), Set.of("NETCONF"), true),
            NacmUser.of("root"), sink);
        publisher.join();
        final var names = sink.names();
        assertEquals(total + 1, names.size());
        assertEquals(1, names.stream().filter("replayComplete"::equals).count());
        final int boundary = names.indexOf("replayComplete");
        assertTrue(boundary > 0 && boundary < total, "subscribed while publishing: " + boundary + " replayed");
        int expected = 0;
        for (var n : sink.received) {
            if (n.type().getLocalName().equals("tunnel-up")) {
                assertEquals("n" + expected++, n.body().childByArg(new NodeIdentifier(ce("peer-ce-id"))).body());
            }
        }
        assertEquals(total, expected);
    }

    @Test
    void streamsData() {
        final var data = stream(10).streamsData();
        final var text = data.toString();
        assertTrue(text.contains("replaySupport, body=true"), text);
        assertTrue(text.contains("replayLogCreationTime, body=2026-11-22T03:00:00Z"), text);
        assertTrue(text.contains("name, body=NETCONF"), text);
        // The shape and types are nc-notifications' own: the validator accepts it as state data.
        final var root = ImmutableNodes.newContainerBuilder()
            .withNodeIdentifier(new NodeIdentifier(QName.create("urn:ietf:params:xml:ns:netconf:base:1.0", "data")))
            .withChild(data).build();
        final var validator = new org.cevpn.netconf.validation.DatastoreValidator(PolicyTestData.schema());
        assertEquals(List.of(), validator.validatePresentModules(root,
            org.cevpn.netconf.validation.DatastoreValidator.Scope.CONFIG_AND_STATE).errors());
        assertFalse(validator.validatePresentModules(root,
            org.cevpn.netconf.validation.DatastoreValidator.Scope.CONFIG).errors().isEmpty(), "config false data");
    }
}

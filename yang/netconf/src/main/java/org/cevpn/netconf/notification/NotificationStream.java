package org.cevpn.netconf.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cevpn.netconf.filter.Filter;
import org.cevpn.netconf.nacm.Nacm;
import org.cevpn.netconf.nacm.NacmUser;
import org.cevpn.netconf.validation.ValidationException;
import org.cevpn.netconf.validation.YangSchema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NETCONF event stream of RFC 5277: events are published here, kept in a bounded replay log, and delivered to
 * each subscription that passes its filter and NACM (notification rules, RFC 8341 §3.4.6). A subscription with a
 * startTime first gets the logged events from then on, then {@code replayComplete}; with a stopTime it ends with
 * {@code notificationComplete} when that time comes (at once when it has already passed).
 *
 * <p>Thread-safe. Publication and delivery happen under one lock, so every subscriber sees events in order and a
 * new subscription sees each event exactly once, either replayed or live.
 */
public final class NotificationStream {
    public static final String NC_NOTIFICATIONS = "urn:ietf:params:xml:ns:netmod:notification";
    private static final Logger LOG = LoggerFactory.getLogger(NotificationStream.class);

    private final String name;
    private final String description;
    private final YangSchema schema;
    private final Nacm nacm;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ReplayLog log;
    private final QNameModule ncNotifications;
    private final List<Active> subscriptions = new ArrayList<>();
    private final AtomicLong filterFailures = new AtomicLong();

    /**
     * @param replayCapacity how many events the replay log keeps (oldest dropped first)
     * @param timer          runs stopTime expiries
     */
    public NotificationStream(final String name, final String description, final YangSchema schema, final Nacm nacm,
            final int replayCapacity, final Clock clock, final ScheduledExecutorService timer) {
        this.name = name;
        this.description = description;
        this.schema = schema;
        this.nacm = nacm;
        this.clock = clock;
        this.timer = timer;
        this.log = new ReplayLog(replayCapacity, clock.instant());
        this.ncNotifications = schema.moduleByNamespace(NC_NOTIFICATIONS)
            .orElseThrow(() -> new IllegalArgumentException("nc-notifications (RFC 5277) is not in the schema"))
            .getQNameModule();
    }

    public String name() {
        return name;
    }

    /** Publishes an event that happens now; returns it with its eventTime. */
    public NetconfNotification publish(final ContainerNode body) {
        synchronized (this) {
            final var event = new NetconfNotification(clock.instant(), body);
            log.append(event);
            for (var sub : List.copyOf(subscriptions)) {
                if (sub.request.stopTime().map(stop -> event.eventTime().isAfter(stop)).orElse(false)) {
                    continue;
                }
                sub.offer(event);
            }
            return event;
        }
    }

    /**
     * Starts a subscription for a session (the request already parsed by {@link SubscriptionRequest#parse}).
     * Replay, when asked for, is delivered before this returns.
     */
    public Subscription subscribe(final SubscriptionRequest request, final NacmUser user, final NotificationSink sink) {
        if (!request.stream().equals(name)) {
            throw new IllegalArgumentException("request is for stream " + request.stream());
        }
        final var sub = new Active(request, user, sink);
        synchronized (this) {
            if (request.startTime().isPresent()) {
                final var now = clock.instant();
                for (var event : log.between(request.startTime().orElseThrow(), request.stopTime().orElse(now))) {
                    sub.offer(event);
                }
                sub.control("replayComplete");
            }
            final var stop = request.stopTime();
            if (stop.isPresent() && !stop.orElseThrow().isAfter(clock.instant())) {
                sub.complete();
                return sub;
            }
            subscriptions.add(sub);
            stop.ifPresent(at -> sub.expiry = timer.schedule(() -> {
                synchronized (NotificationStream.this) {
                    sub.complete();
                }
            }, Math.max(0, Duration.between(clock.instant(), at).toMillis()), TimeUnit.MILLISECONDS));
        }
        return sub;
    }

    /** Time of the oldest event the replay log still holds. */
    public synchronized Optional<Instant> oldestReplayable() {
        return log.oldestKept();
    }

    /** Events dropped from the replay log because it was full. */
    public synchronized long replayDropped() {
        return log.dropped();
    }

    /** Events a subscription's filter could not be evaluated on (the event is not sent to that subscriber). */
    public long filterFailures() {
        return filterFailures.get();
    }

    public synchronized int activeSubscriptions() {
        return subscriptions.size();
    }

    /** This stream's entry of {@code /netconf/streams} (RFC 5277 §3.4, nc-notifications). */
    public ContainerNode streamsData() {
        final var stream = ImmutableNodes.newMapEntryBuilder()
            .withNodeIdentifier(NodeIdentifierWithPredicates.of(q("stream"), q("name"), name))
            .withChild(ImmutableNodes.leafNode(q("name"), name))
            .withChild(ImmutableNodes.leafNode(q("description"), description))
            .withChild(ImmutableNodes.leafNode(q("replaySupport"), Boolean.TRUE))
            .withChild(ImmutableNodes.leafNode(q("replayLogCreationTime"),
                DateTimeFormatter.ISO_INSTANT.format(log.created())))
            .build();
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(q("netconf")))
            .withChild(ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(q("streams")))
                .withChild(ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(new NodeIdentifier(q("stream")))
                    .withChild(stream).build())
                .build())
            .build();
    }

    private QName q(final String localName) {
        return QName.create(ncNotifications, localName);
    }

    private final class Active implements Subscription {
        final SubscriptionRequest request;
        final NacmUser user;
        final NotificationSink sink;
        ScheduledFuture<?> expiry;
        boolean active = true;

        Active(final SubscriptionRequest request, final NacmUser user, final NotificationSink sink) {
            this.request = request;
            this.user = user;
            this.sink = sink;
        }

        /** Delivers an event if the filter selects something of it and NACM lets the user receive it. */
        void offer(final NetconfNotification event) {
            if (!active || !nacm.permitsNotification(user, event.type()) || !selected(event)) {
                return;
            }
            sink.send(event);
        }

        private boolean selected(final NetconfNotification event) {
            if (request.filter() instanceof Filter.All) {
                return true;
            }
            // The filter sees the notification content as a document whose top element is the notification.
            final var asData = ImmutableNodes.newContainerBuilder().withNodeIdentifier(
                new NodeIdentifier(QName.create(SubscriptionRequest.NAMESPACE, "notification")))
                .withChild(event.body()).build();
            try {
                return !request.filter().apply(asData).body().isEmpty();
            } catch (ValidationException e) {
                filterFailures.incrementAndGet();
                LOG.debug("subscription filter failed on {}: {}", event.type().getLocalName(), e.getMessage());
                return false;
            }
        }

        void control(final String localName) {
            sink.send(new NetconfNotification(clock.instant(), ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(new NodeIdentifier(q(localName))).build()));
        }

        /** stopTime reached: notificationComplete, then the subscription is over. */
        void complete() {
            if (!active) {
                return;
            }
            control("notificationComplete");
            end();
        }

        private void end() {
            active = false;
            subscriptions.remove(this);
            if (expiry != null) {
                expiry.cancel(false);
            }
            sink.ended();
        }

        @Override
        public void cancel() {
            synchronized (NotificationStream.this) {
                if (active) {
                    end();
                }
            }
        }

        @Override
        public boolean isActive() {
            synchronized (NotificationStream.this) {
                return active;
            }
        }
    }
}

package org.cevpn.agent.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.cevpn.netconf.datastore.RpcException;
import org.junit.jupiter.api.Test;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.SchemaContext;
import org.w3c.dom.Element;

/** The pull client's rate limit on unknown-peer triggers: a flood of unknown peers is one pull per interval. */
class PullClientTest {
    /** A clock the test moves. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-22T06:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aFloodOfUnknownPeersTriggersOnePullPerInterval() {
        var clock = new TestClock();
        // An agent not yet pre-configured: running is empty, so the pulls themselves end at once.
        ContainerNode empty = ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(SchemaContext.NAME)).build();
        var running = new PullClient.Running() {
            @Override
            public ContainerNode root() {
                return empty;
            }

            @Override
            public void write(Element config) throws RpcException {
                throw new AssertionError("nothing to write");
            }
        };
        try (var client = new PullClient(QNameModule.of("urn:cevpn:params:xml:ns:yang:cevpn-ce-device"), running, n -> { },
                clock)) {
            for (int i = 0; i < 1000; i++) {
                client.unknownPeer(new InetSocketAddress(InetAddress.ofLiteral("10.9." + (i / 250) + "." + (i % 250)), 500));
            }
            assertEquals(999, client.suppressedUnknownPeerPulls(), "one pull for the whole flood");
            clock.now = clock.now.plus(PullClient.UNKNOWN_PEER_PULL_INTERVAL).minus(Duration.ofMillis(1));
            client.unknownPeer(new InetSocketAddress(InetAddress.ofLiteral("10.9.9.9"), 500));
            assertEquals(1000, client.suppressedUnknownPeerPulls());
            clock.now = clock.now.plus(Duration.ofMillis(1));
            client.unknownPeer(new InetSocketAddress(InetAddress.ofLiteral("10.9.9.9"), 500));
            assertEquals(1000, client.suppressedUnknownPeerPulls(), "the next interval allows the next pull");
        }
    }
}

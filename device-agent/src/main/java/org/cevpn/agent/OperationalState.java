package org.cevpn.agent;

import java.net.InetAddress;
import java.util.Map;
import java.util.function.Supplier;
import org.cevpn.agent.reconcile.TunnelState;
import org.cevpn.ipsec.esp.Direction;
import org.cevpn.ipsec.esp.DropReason;
import org.cevpn.ipsec.esp.InboundSa;
import org.cevpn.ipsec.esp.SaStats;
import org.cevpn.ipsec.esp.SecurityAssociation;
import org.cevpn.ipsec.esp.SecurityAssociationDatabase;
import org.cevpn.netconf.server.StateData;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/**
 * The CE's state data for NETCONF {@code get}: {@code /ce-device/sync-state} (applied-version and the pull client's
 * last-pull, last-pull-result, last-error, next-pull) and, inside each
 * configured peer's entry, {@code ike-sa} (state, SPIs, who initiated, when, retries, last error) and the
 * {@code child-sa} pairs with their SAD counters. Built from the reconciler's tunnel states on each get.
 */
final class OperationalState implements StateData {
    private final QNameModule ce;
    private final Supplier<Map<InetAddress, TunnelState>> tunnels;
    private final Supplier<Long> appliedVersion;
    private final SecurityAssociationDatabase sad;
    private final Supplier<org.cevpn.agent.pull.SyncState> sync;

    OperationalState(QNameModule ce, Supplier<Map<InetAddress, TunnelState>> tunnels, Supplier<Long> appliedVersion,
                     SecurityAssociationDatabase sad, Supplier<org.cevpn.agent.pull.SyncState> sync) {
        this.sync = sync;
        this.ce = ce;
        this.tunnels = tunnels;
        this.appliedVersion = appliedVersion;
        this.sad = sad;
    }

    @Override
    public ContainerNode addState(ContainerNode running) {
        if (!(running.childByArg(id("ce-device")) instanceof ContainerNode device)) {
            return running;
        }
        var newDevice = ImmutableNodes.newContainerBuilder().withNodeIdentifier(device.name()).withValue(device.body());
        long version = appliedVersion.get();
        var syncState = ImmutableNodes.newContainerBuilder().withNodeIdentifier(id("sync-state"));
        if (version > 0) {
            syncState.withChild(ImmutableNodes.leafNode(q("applied-version"), Uint64.valueOf(version)));
        }
        var pull = sync.get();
        pull.lastPull().ifPresent(t -> syncState.withChild(ImmutableNodes.leafNode(q("last-pull"), t.toString())));
        pull.lastPullResult().ifPresent(r -> syncState.withChild(ImmutableNodes.leafNode(q("last-pull-result"), r)));
        pull.lastError().ifPresent(e -> syncState.withChild(ImmutableNodes.leafNode(q("last-error"), e)));
        pull.nextPull().ifPresent(t -> syncState.withChild(ImmutableNodes.leafNode(q("next-pull"), t.toString())));
        if (version > 0 || pull.lastPull().isPresent() || pull.lastError().isPresent()) {
            newDevice.withChild(syncState.build());
        }
        if (device.childByArg(id("vpn-configuration")) instanceof ContainerNode vc && vc.childByArg(id("peer")) instanceof MapNode peers) {
            Map<InetAddress, TunnelState> states = tunnels.get();
            var newPeers = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(peers.name());
            for (MapEntryNode peer : peers.body()) {
                Object key = peer.name().getValue(q("sp-address"));
                TunnelState s = key == null ? null : states.get(InetAddress.ofLiteral(key.toString()));
                newPeers.withChild(s == null ? peer : withState(peer, s));
            }
            newDevice.withChild(ImmutableNodes.newContainerBuilder().withNodeIdentifier(vc.name()).withValue(vc.body())
                    .withChild(newPeers.build()).build());
        }
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(running.name()).withValue(running.body())
                .withChild(newDevice.build()).build();
    }

    private MapEntryNode withState(MapEntryNode peer, TunnelState s) {
        var ike = ImmutableNodes.newContainerBuilder().withNodeIdentifier(id("ike-sa"))
                .withChild(ImmutableNodes.leafNode(q("state"), s.state()))
                .withChild(ImmutableNodes.leafNode(q("retry-count"), Uint32.valueOf(s.retryCount())));
        if (s.state().equals("established")) {
            ike.withChild(ImmutableNodes.leafNode(q("initiator-spi"), Uint64.fromLongBits(s.initiatorSpi())))
                    .withChild(ImmutableNodes.leafNode(q("responder-spi"), Uint64.fromLongBits(s.responderSpi())))
                    .withChild(ImmutableNodes.leafNode(q("local-initiator"), s.localInitiator()));
        }
        s.establishedAt().ifPresent(t -> ike.withChild(ImmutableNodes.leafNode(q("established-at"), t.toString())));
        s.lastError().ifPresent(e -> ike.withChild(ImmutableNodes.leafNode(q("last-error"), e)));
        var entry = ImmutableNodes.newMapEntryBuilder().withNodeIdentifier(peer.name()).withValue(peer.body()).withChild(ike.build());
        if (!s.children().isEmpty()) {
            var children = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(id("child-sa"));
            for (TunnelState.Child c : s.children()) {
                Uint32 in = Uint32.fromIntBits(c.inboundSpi());
                SaStats inStats = stats(Direction.INBOUND, c.inboundSpi());
                SaStats outStats = stats(Direction.OUTBOUND, c.outboundSpi());
                var stats = ImmutableNodes.newContainerBuilder().withNodeIdentifier(id("statistics"))
                        .withChild(counter("in-packets", inStats == null ? 0 : inStats.packets()))
                        .withChild(counter("in-octets", inStats == null ? 0 : inStats.bytes()))
                        .withChild(counter("out-packets", outStats == null ? 0 : outStats.packets()))
                        .withChild(counter("out-octets", outStats == null ? 0 : outStats.bytes()))
                        .withChild(counter("replay-drops", inStats == null ? 0
                                : inStats.drops(DropReason.REPLAYED) + inStats.drops(DropReason.TOO_OLD)))
                        .withChild(counter("authentication-drops", inStats == null ? 0 : inStats.drops(DropReason.BAD_ICV)))
                        .build();
                children.withChild(ImmutableNodes.newMapEntryBuilder()
                        .withNodeIdentifier(NodeIdentifierWithPredicates.of(q("child-sa"), q("inbound-spi"), in))
                        .withChild(ImmutableNodes.leafNode(q("inbound-spi"), in))
                        .withChild(ImmutableNodes.leafNode(q("outbound-spi"), Uint32.fromIntBits(c.outboundSpi())))
                        .withChild(ImmutableNodes.leafNode(q("ipsec-mode"), c.ipsecMode()))
                        .withChild(ImmutableNodes.leafNode(q("established-at"), c.establishedAt().toString()))
                        .withChild(stats).build());
            }
            entry.withChild(children.build());
        }
        return entry.build();
    }

    private SaStats stats(Direction direction, int spi) {
        if (direction == Direction.INBOUND) {
            InboundSa sa = sad.inbound(spi);
            return sa == null ? null : sa.stats();
        }
        for (SecurityAssociation sa : sad.all()) {
            if (sa.config().direction() == Direction.OUTBOUND && sa.spi() == spi) {
                return sa.stats();
            }
        }
        return null;
    }

    private org.opendaylight.yangtools.yang.data.api.schema.LeafNode<Uint64> counter(String name, long value) {
        return ImmutableNodes.leafNode(q(name), Uint64.fromLongBits(value));
    }

    private QName q(String name) {
        return QName.create(ce, name);
    }

    private NodeIdentifier id(String name) {
        return new NodeIdentifier(q(name));
    }
}

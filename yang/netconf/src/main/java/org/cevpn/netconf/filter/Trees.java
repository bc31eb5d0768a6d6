package org.cevpn.netconf.filter;

import java.util.Collection;
import java.util.List;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.opendaylight.yangtools.yang.data.api.schema.UserLeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.UserMapNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/**
 * Rebuilding NormalizedNode trees with fewer children: the one operation filtering (subtree, XPath, NACM
 * read access) needs. NormalizedNodes are immutable, so a pruned tree is a copy of the kept nodes.
 */
public final class Trees {
    private Trees() {
    }

    /** The children of a node in document order: container members, map/leaf-list/unkeyed entries; none for leaves. */
    public static Collection<? extends NormalizedNode> children(final NormalizedNode node) {
        return switch (node) {
            case DataContainerNode container -> container.body();
            case MapNode map -> map.body();
            case LeafSetNode<?> leafSet -> leafSet.body();
            case UnkeyedListNode unkeyed -> unkeyed.body();
            default -> List.of();
        };
    }

    /** True for nodes that hold other data nodes (everything but leaves, leaf-list entries, anydata/anyxml). */
    public static boolean isInterior(final NormalizedNode node) {
        return node instanceof DataContainerNode || node instanceof MapNode || node instanceof LeafSetNode<?>
            || node instanceof UnkeyedListNode;
    }

    /** A copy of {@code node} (same identifier and kind) holding exactly {@code kept}, which are its own children. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public static NormalizedNode withChildren(final NormalizedNode node, final Collection<? extends NormalizedNode> kept) {
        return switch (node) {
            case ContainerNode container -> {
                final var b = ImmutableNodes.newContainerBuilder().withNodeIdentifier(container.name());
                kept.forEach(c -> b.withChild((DataContainerChild) c));
                yield b.build();
            }
            case MapEntryNode entry -> {
                final var b = ImmutableNodes.newMapEntryBuilder().withNodeIdentifier(entry.name());
                kept.forEach(c -> b.withChild((DataContainerChild) c));
                yield b.build();
            }
            case ChoiceNode choice -> {
                final var b = ImmutableNodes.newChoiceBuilder().withNodeIdentifier(choice.name());
                kept.forEach(c -> b.withChild((DataContainerChild) c));
                yield b.build();
            }
            case UnkeyedListEntryNode entry -> {
                final var b = ImmutableNodes.newUnkeyedListEntryBuilder().withNodeIdentifier(entry.name());
                kept.forEach(c -> b.withChild((DataContainerChild) c));
                yield b.build();
            }
            case UserMapNode map -> {
                final var b = ImmutableNodes.newUserMapBuilder().withNodeIdentifier(map.name());
                kept.forEach(c -> b.withChild((MapEntryNode) c));
                yield b.build();
            }
            case MapNode map -> {
                final var b = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(map.name());
                kept.forEach(c -> b.withChild((MapEntryNode) c));
                yield b.build();
            }
            case UserLeafSetNode<?> leafSet -> {
                final var b = ImmutableNodes.newUserLeafSetBuilder().withNodeIdentifier(leafSet.name());
                kept.forEach(c -> b.withChild((LeafSetEntryNode) c));
                yield b.build();
            }
            case LeafSetNode<?> leafSet -> {
                final var b = ImmutableNodes.newSystemLeafSetBuilder().withNodeIdentifier(leafSet.name());
                kept.forEach(c -> b.withChild((LeafSetEntryNode) c));
                yield b.build();
            }
            case UnkeyedListNode list -> {
                final var b = ImmutableNodes.newUnkeyedListBuilder().withNodeIdentifier(list.name());
                kept.forEach(c -> b.withChild((UnkeyedListEntryNode) c));
                yield b.build();
            }
            default -> throw new IllegalArgumentException("not an interior node: " + node.name());
        };
    }

    /** Key leaves of a list entry: a kept entry always carries them, so the client can tell entries apart. */
    public static List<NormalizedNode> keyLeaves(final MapEntryNode entry) {
        return entry.body().stream()
            .filter(c -> entry.name().keySet().contains(c.name().getNodeType()) && !(c instanceof ChoiceNode))
            .map(c -> (NormalizedNode) c).toList();
    }
}

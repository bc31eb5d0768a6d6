package org.cevpn.netconf.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.EffectiveStatementEquivalent;
import org.opendaylight.yangtools.yang.model.api.meta.EffectiveStatement;
import org.opendaylight.yangtools.yang.model.api.stmt.WhenEffectiveStatement;

/**
 * Where the {@code when} conditions of the schema are and which context node each is evaluated at
 * (RFC 7950 §7.21.5). A when on a data node itself is evaluated at that node; a when on an augment, uses,
 * choice or case is evaluated at the closest ancestor data node, which in our DOM is the parent element of the
 * data nodes it governs. Augment and uses whens are indexed here by the schema path of each data node they add.
 */
final class WhenConditions {
    /** A when expression and the module it was written in; {@code atParent} selects the context node. */
    record When(String expression, QNameModule writtenIn, boolean atParent, String source) {
    }

    private final Map<List<QName>, List<When>> inherited = new HashMap<>();

    WhenConditions(final EffectiveModelContext context) {
        for (var module : context.getModules()) {
            for (var augment : module.getAugmentations()) {
                final var when = rawWhen(augment);
                if (when != null) {
                    final var target = augment.getTargetPath().getNodeIdentifiers();
                    for (var child : augment.getChildNodes()) {
                        final var path = new ArrayList<>(target);
                        path.add(child.getQName());
                        add(path, new When(when, child.getQName().getModule(), true, "augment"));
                    }
                }
            }
        }
        indexUses(context, List.of());
    }

    private void indexUses(final DataNodeContainer container, final List<QName> path) {
        for (var uses : container.getUses()) {
            final var when = rawWhen(uses);
            if (when == null) {
                continue;
            }
            for (var groupingChild : uses.getSourceGrouping().getChildNodes()) {
                for (var child : container.getChildNodes()) {
                    if (child.getQName().getLocalName().equals(groupingChild.getQName().getLocalName())) {
                        final var childPath = new ArrayList<>(path);
                        childPath.add(child.getQName());
                        add(childPath, new When(when, child.getQName().getModule(), true, "uses"));
                    }
                }
            }
        }
        for (var child : container.getChildNodes()) {
            final var childPath = new ArrayList<>(path);
            childPath.add(child.getQName());
            if (child instanceof DataNodeContainer inner) {
                indexUses(inner, childPath);
            } else if (child instanceof org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode choice) {
                for (var caseNode : choice.getCases()) {
                    final var casePath = new ArrayList<>(childPath);
                    casePath.add(caseNode.getQName());
                    indexUses(caseNode, casePath);
                }
            }
        }
    }

    private void add(final List<QName> path, final When when) {
        inherited.computeIfAbsent(List.copyOf(path), k -> new ArrayList<>()).add(when);
    }

    /** Whens that an augment or uses puts on the node at this schema path (choices and cases included). */
    List<When> inheritedAt(final List<QName> schemaPath) {
        return inherited.getOrDefault(schemaPath, List.of());
    }

    /** The raw text of the when substatement of a schema node, augment, uses, choice or case; null if none. */
    static String rawWhen(final Object node) {
        final EffectiveStatement<?, ?> stmt = node instanceof EffectiveStatementEquivalent<?> eq
            ? eq.asEffectiveStatement() : node instanceof EffectiveStatement<?, ?> es ? es : null;
        if (stmt == null) {
            return null;
        }
        return stmt.findFirstEffectiveSubstatement(WhenEffectiveStatement.class).map(WhenConditions::raw)
            .orElse(null);
    }

    static String raw(final EffectiveStatement<?, ?> stmt) {
        final var declared = stmt.getDeclared();
        return declared != null ? declared.rawArgument() : String.valueOf(stmt.argument());
    }
}

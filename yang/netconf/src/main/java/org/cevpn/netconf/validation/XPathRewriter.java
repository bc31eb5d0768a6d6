package org.cevpn.netconf.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Rewrites a YANG XPath expression so a plain XPath 1.0 engine evaluates it as YANG means it
 * (RFC 7950 §6.4.1): every unprefixed name test gets the prefix of the current node's module (plain XPath
 * would look for elements in no namespace), every prefix is mapped to the schema-wide unique prefix of the
 * module it denotes in the module where the expression was written, YANG's own functions get the prefix of our
 * function namespace (so XPath's core library stays exactly XPath 1.0's), absolute paths are anchored at the
 * {@code <data>} element that holds the datastore, and the identity literal of
 * derived-from()/derived-from-or-self() is qualified the same way.
 *
 * <p>The tokenizer follows XPath 1.0 §3.7's disambiguation rules (operator names and {@code *} after an
 * operand are operators; a name before {@code (} is a function or node type, before {@code ::} an axis).
 */
final class XPathRewriter {
    static final String FUNCTION_PREFIX = "yfn";
    /** Prefix of the NETCONF base namespace: the DOM's data nodes sit under a {@code <data>} element. */
    static final String ROOT_PREFIX = "ncroot";
    private static final String ROOT_STEP = "/" + ROOT_PREFIX + ":data";
    static final Set<String> YANG_FUNCTIONS = Set.of("current", "deref", "derived-from", "derived-from-or-self",
        "re-match", "enum-value", "bit-is-set");
    private static final Set<String> NODE_TYPES = Set.of("node", "text", "comment", "processing-instruction");
    private static final Set<String> OPERATOR_NAMES = Set.of("and", "or", "mod", "div");

    private XPathRewriter() {
    }

    /**
     * @param expression     the expression as written in the module
     * @param prefixMapper   maps a prefix of the writing module to a schema-wide prefix (throws if unknown)
     * @param defaultPrefix  schema-wide prefix for unprefixed names (the current node's module)
     */
    static String rewrite(final String expression, final UnaryOperator<String> prefixMapper,
            final String defaultPrefix) {
        final var out = new StringBuilder(expression.length() + 32);
        final Deque<String> calls = new ArrayDeque<>();
        // true when the last significant token allows a following NCName / * to be an operator
        boolean afterOperand = false;
        // set when a ',' was seen directly inside a derived-from call
        final Deque<Boolean> secondArg = new ArrayDeque<>();
        int i = 0;
        final int n = expression.length();
        while (i < n) {
            final char c = expression.charAt(i);
            if (Character.isWhitespace(c)) {
                out.append(c);
                i++;
                continue;
            }
            if (c == '\'' || c == '"') {
                final int end = expression.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated literal in XPath: " + expression);
                }
                var literal = expression.substring(i + 1, end);
                if (!calls.isEmpty() && calls.peek().startsWith("derived-from") && Boolean.TRUE.equals(secondArg.peek())) {
                    final int colon = literal.indexOf(':');
                    literal = colon > 0 ? prefixMapper.apply(literal.substring(0, colon)) + literal.substring(colon)
                        : defaultPrefix + ":" + literal;
                }
                out.append(c).append(literal).append(c);
                i = end + 1;
                afterOperand = true;
                continue;
            }
            if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(expression.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && (Character.isDigit(expression.charAt(j)) || expression.charAt(j) == '.')) {
                    j++;
                }
                out.append(expression, i, j);
                i = j;
                afterOperand = true;
                continue;
            }
            if (c == '$') {
                int j = i + 1;
                while (j < n && isNameChar(expression.charAt(j)) || j < n && expression.charAt(j) == ':') {
                    j++;
                }
                out.append(expression, i, j);
                i = j;
                afterOperand = true;
                continue;
            }
            if (isNameStart(c) || c == '*') {
                // NameTest: '*', NCName, NCName ':' '*', NCName ':' NCName ; or an operator / function / axis
                if (c == '*' && afterOperand) {
                    out.append('*');
                    i++;
                    afterOperand = false;
                    continue;
                }
                int j = i;
                String prefix = null;
                String local;
                if (c == '*') {
                    local = "*";
                    j++;
                } else {
                    j = scanName(expression, i);
                    local = expression.substring(i, j);
                    if (afterOperand && OPERATOR_NAMES.contains(local)) {
                        out.append(local);
                        i = j;
                        afterOperand = false;
                        continue;
                    }
                    if (j + 1 < n && expression.charAt(j) == ':' && expression.charAt(j + 1) != ':') {
                        prefix = local;
                        if (expression.charAt(j + 1) == '*') {
                            local = "*";
                            j += 2;
                        } else {
                            final int k = scanName(expression, j + 1);
                            local = expression.substring(j + 1, k);
                            j = k;
                        }
                    }
                }
                final int next = skipSpace(expression, j);
                if (!"*".equals(local) && next < n && expression.charAt(next) == '(') {
                    // function call or node type test
                    if (prefix == null && YANG_FUNCTIONS.contains(local)) {
                        out.append(FUNCTION_PREFIX).append(':').append(local);
                    } else {
                        out.append(expression, i, j);
                    }
                    calls.push(prefix == null ? local : prefix + ":" + local);
                    secondArg.push(false);
                    out.append(expression, j, next + 1);
                    i = next + 1;
                    afterOperand = false;
                    // the matching ')' pops the call
                    continue;
                }
                if (next + 1 < n && expression.charAt(next) == ':' && expression.charAt(next + 1) == ':') {
                    out.append(expression, i, next + 2);
                    i = next + 2;
                    afterOperand = false;
                    continue;
                }
                if ("*".equals(local) && prefix == null) {
                    out.append('*');
                } else {
                    out.append(prefix == null ? defaultPrefix : prefixMapper.apply(prefix)).append(':').append(local);
                }
                i = j;
                afterOperand = true;
                continue;
            }
            // punctuation and operators
            if (c == '(') {
                calls.push("(");
                secondArg.push(false);
                out.append(c);
                i++;
                afterOperand = false;
            } else if (c == ')') {
                if (!calls.isEmpty()) {
                    calls.pop();
                    secondArg.pop();
                }
                out.append(c);
                i++;
                afterOperand = true;
            } else if (c == ',') {
                if (!secondArg.isEmpty()) {
                    secondArg.pop();
                    secondArg.push(true);
                }
                out.append(c);
                i++;
                afterOperand = false;
            } else if (c == ']') {
                out.append(c);
                i++;
                afterOperand = true;
            } else if (c == '.') {
                // '.' or '..' are operands
                final int len = i + 1 < n && expression.charAt(i + 1) == '.' ? 2 : 1;
                out.append(expression, i, i + len);
                i += len;
                afterOperand = true;
            } else if (c == '/' && !afterOperand) {
                // An absolute location path: the data tree's root is our <data> wrapper element, not the
                // document node, so "/a" must become "/ncroot:data/a" (and "//a" "/ncroot:data//a").
                out.append(ROOT_STEP);
                final boolean descendant = i + 1 < n && expression.charAt(i + 1) == '/';
                final int after = skipSpace(expression, i + (descendant ? 2 : 1));
                final boolean stepFollows = after < n && (isNameStart(expression.charAt(after))
                    || expression.charAt(after) == '*' || expression.charAt(after) == '@'
                    || expression.charAt(after) == '.');
                if (descendant) {
                    out.append("//");
                    i += 2;
                } else if (stepFollows) {
                    out.append('/');
                    i++;
                } else {
                    i++;
                    afterOperand = true;
                    continue;
                }
                afterOperand = false;
            } else if (c == '@' || c == '[' || c == '/' || c == '|' || c == '+' || c == '-' || c == '='
                    || c == '!' || c == '<' || c == '>') {
                out.append(c);
                i++;
                afterOperand = false;
            } else if (c == ':' && i + 1 < n && expression.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
                afterOperand = false;
            } else {
                throw new IllegalArgumentException("unexpected character '" + c + "' in XPath: " + expression);
            }
        }
        return out.toString();
    }

    private static int skipSpace(final String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int scanName(final String s, int i) {
        while (i < s.length() && isNameChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isNameStart(final char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNameChar(final char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }
}

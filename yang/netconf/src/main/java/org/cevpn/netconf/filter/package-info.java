/**
 * Retrieval filtering for get, get-config and create-subscription: RFC 6241 subtree filters
 * ({@link org.cevpn.netconf.filter.SubtreeFilter}), {@code :xpath} filters
 * ({@link org.cevpn.netconf.filter.XPathFilter}) and RFC 6243 with-defaults
 * ({@link org.cevpn.netconf.filter.WithDefaults}), all on NormalizedNode datastore roots.
 *
 * <p>How the NETCONF server is meant to use it, for a {@code <get-config>}:
 * <pre>{@code
 * Filter filter = Filter.parse(schema, filterElementOrNull, true);   // ValidationException: rpc-errors
 * WithDefaults.Mode mode = wdElement == null ? WithDefaults.Mode.EXPLICIT : WithDefaults.Mode.of(wdText);
 * ContainerNode reply = filter.apply(nacm.filterRead(user, withDefaults.apply(source, mode, true)));
 * // write reply's children under <data>; for REPORT_ALL_TAGGED then withDefaults.tagDefaults(dataElement)
 * // hello: advertise WithDefaults.CAPABILITY
 * }</pre>
 * Order matters: defaults first (report-all adds nodes such as /nacm's defaults, which NACM must then see),
 * NACM next, the filter last (a filter must not be able to test for data the user may not read).
 */
package org.cevpn.netconf.filter;

/**
 * Validation of YANG instance data against a schema, answering with NETCONF rpc-errors.
 *
 * <p>How the NETCONF server is meant to use it:
 * <pre>{@code
 * YangSchema schema = new SchemaContextLoader(classLoader).loadCevpnModels();   // once
 * InstanceDocumentParser parser = new InstanceDocumentParser(schema, Limits.DEFAULT);
 * DatastoreValidator validator = new DatastoreValidator(schema);                 // thread-safe
 *
 * // edit-config: the <config> element of the request (or XML/JSON bytes) -> NormalizedNode
 * ContainerNode edit = parser.parseXml(configElement);        // throws ValidationException(rpc-errors)
 * // ... merge into the candidate, then on validate/commit the whole datastore:
 * validator.validate(candidateRoot, DatastoreValidator.Scope.CONFIG).orThrow();
 * }</pre>
 *
 * <p>Parsing ({@link org.cevpn.netconf.validation.InstanceDocumentParser}) refuses hostile input (DOCTYPE,
 * entities, depth, size), malformed XML/JSON, unknown elements and namespaces, values outside their type,
 * list entries without keys, data of two cases of one choice and duplicate list entries or leaf-list values.
 * Datastore validation ({@link org.cevpn.netconf.validation.DatastoreValidator}) checks mandatory nodes and
 * choices (also under top-level non-presence containers), min/max-elements, unique, leafref and
 * instance-identifier require-instance, must and when (RFC 7950 XPath with current(), deref(),
 * derived-from(), derived-from-or-self(), re-match(), enum-value(), bit-is-set()), and state data in a
 * configuration datastore. Values are never echoed into error messages (they may be keys).
 */
package org.cevpn.netconf.validation;

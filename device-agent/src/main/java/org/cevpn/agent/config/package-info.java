/**
 * The committed CE configuration in the draft's words (draft-ietf-l3vpn-ce-based-03 §3.2, §3.3): the
 * running datastore's {@code /ce:ce-device} read once into immutable records, so that the reconciler compares
 * values ({@link org.cevpn.agent.config.PeerTuple#equals}) instead of walking NormalizedNode trees.
 *
 * <p>{@link org.cevpn.agent.config.CeConfigurationReader} resolves what YANG leaves implicit: a peer's SA
 * information is its own {@code sa-information} proposal when present, else its VPN's {@code sa-defaults},
 * else the model's defaults; tunnel information and timers get the model's defaults. The datastore was
 * validated before it became running, so the reader only fails (ConfigurationException) on data that the
 * schema allows but the agent cannot use, never silently.
 *
 * <p>Secrets (pre-shared keys, private keys) are held in {@link org.cevpn.agent.config.Secret} and never
 * appear in any toString.
 */
package org.cevpn.agent.config;

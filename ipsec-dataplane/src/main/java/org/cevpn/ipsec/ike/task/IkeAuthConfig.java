package org.cevpn.ipsec.ike.task;

/**
 * One tunnel's IKE_AUTH settings: who we are and how we prove it, whom we expect and how we check
 * them, whether this is our first contact with that peer since we started (INITIAL_CONTACT lets
 * the peer drop SAs we no longer know, RFC 7296 §2.4), and the first child SA.
 */
public record IkeAuthConfig(Identity local, Credentials.Own own, Identity remote, Credentials.Peer peer,
                            boolean initialContact, ChildSaConfig child) {
}

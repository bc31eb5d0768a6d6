package org.cevpn.ipsec.esp;

/** SAs are unidirectional (RFC 4301 §4.1). */
public enum Direction { INBOUND, OUTBOUND }

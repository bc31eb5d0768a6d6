/**
 * ESP (RFC 4303) in user space: SAs and the SAD (inbound by SPI, outbound by traffic selectors),
 * encapsulation and decapsulation for tunnel mode and transport mode over IP-in-IP, the anti-replay
 * window with ESN, lifetimes with soft/hard events, per-SA counters, and static SAs from configuration.
 * No I/O here: callers hand in byte arrays and get lengths or negative {@link org.cevpn.ipsec.esp.DropReason} codes.
 */
package org.cevpn.ipsec.esp;

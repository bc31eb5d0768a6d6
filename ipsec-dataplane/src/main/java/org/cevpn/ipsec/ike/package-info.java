/**
 * IKEv2 (RFC 7296) for the CE device agent, in layers:
 * <ul>
 *   <li>{@code message}: the wire format, strict decoder and encoder;</li>
 *   <li>{@code crypto}: DH groups 14/19/20/31, PRFs, key derivation, AUTH (PSK MIC, RFC 7427
 *       signatures), certificate chains, NAT detection;</li>
 *   <li>{@code sk}: the SK payload and RFC 7383 fragments, on the shared {@code org.cevpn.ipsec.crypto};</li>
 *   <li>{@code task}: one class per exchange step and role (IKE_SA_INIT, IKE_AUTH,
 *       CREATE_CHILD_SA, INFORMATIONAL), pure functions of payloads to outcomes;</li>
 *   <li>{@code sa}: retransmission and message-id bookkeeping;</li>
 *   <li>{@code engine}: {@link org.cevpn.ipsec.ike.engine.IkeEngine}, datagrams in and out, IKE
 *       SAs per peer, events for the ESP data plane; {@link org.cevpn.ipsec.ike.engine.TunnelSupervisor},
 *       the engine's policy per peer ({@link org.cevpn.ipsec.ike.engine.TunnelPolicy}: permanent or
 *       traffic-driven, draft §3.4 retry backoff and alarm, rekeys, liveness, idle teardown);
 *       {@link org.cevpn.ipsec.ike.engine.IkeService}, both on the IKE thread against the data plane;
 *       {@link org.cevpn.ipsec.ike.engine.ChildSaInstaller}, negotiated child SAs into the SAD.</li>
 * </ul>
 * Wiring: the io layer hands every UDP payload from ports 500 and 4500 to
 * {@code IkeEngine.receive} (4500: with the non-ESP marker; ESP itself never reaches IKE) and
 * sends what comes back (a payload starting with the marker leaves from port 4500); a timer calls
 * {@code tick} about once a second; {@code drainEvents} yields ChildSaUp/ChildSaDown for the SAD.
 */
package org.cevpn.ipsec.ike;

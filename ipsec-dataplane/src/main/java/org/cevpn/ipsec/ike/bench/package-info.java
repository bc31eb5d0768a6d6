/** Benchmarks that print figures for the IKE code; never part of the engine. */
package org.cevpn.ipsec.ike.bench;

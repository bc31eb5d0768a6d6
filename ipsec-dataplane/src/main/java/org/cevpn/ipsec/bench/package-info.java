/**
 * Benchmarks ({@code ./cevpn bench esp}, {@code ./cevpn bench tunnel}) and the network-namespace
 * topology they and the namespace test use. Benchmarks print figures; they never pass or fail on time.
 */
package org.cevpn.ipsec.bench;

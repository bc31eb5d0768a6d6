package org.cevpn.netconf.nacm;

/** RFC 8341's state counters (since the server started; never reset by configuration changes). */
public record NacmCounters(long deniedOperations, long deniedDataWrites, long deniedNotifications) {
}

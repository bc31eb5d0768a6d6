/**
 * Exchange steps in the manner of strongSwan's libcharon tasks: each class builds and processes
 * the messages of one step for one role and returns a sealed outcome; sockets, timers and SA
 * tables belong to the engine that drives them. So far: IKE_SA_INIT for both roles.
 */
package org.cevpn.ipsec.ike.task;

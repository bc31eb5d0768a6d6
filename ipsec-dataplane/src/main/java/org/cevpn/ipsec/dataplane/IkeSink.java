package org.cevpn.ipsec.dataplane;

/** Where the classifier hands IKE messages: the IKE engine's input queue. */
@FunctionalInterface
public interface IkeSink {
    /** Offers a message; false when the engine cannot take it (the data plane counts the drop). */
    boolean offer(IkeDatagram datagram);
}

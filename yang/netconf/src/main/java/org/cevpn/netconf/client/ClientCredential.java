package org.cevpn.netconf.client;

/**
 * How the client proves who it is: a key pair (a CE towards the VPN server, the controller towards a CE) or a
 * password (an operator's tool, tests). Never printed.
 */
public sealed interface ClientCredential {
    record Key(ClientKey key) implements ClientCredential {
        @Override
        public String toString() {
            return key.toString();
        }
    }

    record Password(String password) implements ClientCredential {
        @Override
        public String toString() {
            return "Password[hidden]";
        }
    }
}

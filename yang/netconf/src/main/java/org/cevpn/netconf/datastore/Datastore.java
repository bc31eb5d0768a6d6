package org.cevpn.netconf.datastore;

import java.util.Optional;

/** The configuration datastores of RFC 6241 we implement: running, candidate (§8.3) and startup (§8.7). */
public enum Datastore {
    RUNNING("running"),
    CANDIDATE("candidate"),
    STARTUP("startup");

    private final String xmlName;

    Datastore(final String xmlName) {
        this.xmlName = xmlName;
    }

    /** The element name used in {@code <source>}/{@code <target>}: {@code <running/>} etc. */
    public String xmlName() {
        return xmlName;
    }

    public static Optional<Datastore> ofXmlName(final String name) {
        for (var ds : values()) {
            if (ds.xmlName.equals(name)) {
                return Optional.of(ds);
            }
        }
        return Optional.empty();
    }
}

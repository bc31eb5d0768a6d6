package org.cevpn.netconf.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.datastore.DsTestSchema;

/** A NetconfServer on the ds-test model with its datastores in a directory. */
final class TestServers {
    private TestServers() {
    }

    static NetconfServer onDsTest(final Path dir, final ScheduledExecutorService scheduler, final int maxMessageSize)
            throws IOException {
        final var schema = DsTestSchema.schema();
        final var datastores = new Datastores(schema, DsTestSchema.parser(), DsTestSchema.validator(), dir, scheduler);
        return new NetconfServer(schema, datastores, AccessControl.PERMIT_ALL, ReadFilter.UNSUPPORTED,
            new RpcRegistry(), maxMessageSize);
    }
}

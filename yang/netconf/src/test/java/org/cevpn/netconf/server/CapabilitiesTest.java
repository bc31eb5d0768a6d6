package org.cevpn.netconf.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cevpn.netconf.validation.SchemaContextLoader;
import org.junit.jupiter.api.Test;

/** Module capabilities name the features we support (RFC 6020 §5.6.4): a missing list means "none" to clients. */
class CapabilitiesTest {
    private static String capabilityOf(final List<String> caps, final String module) {
        return caps.stream().filter(c -> c.contains("?module=" + module + "&")).findFirst().orElseThrow();
    }

    @Test
    void ietfNetconfListsExactlyTheFeaturesOfTheProtocolCapabilitiesWeAdvertise() throws Exception {
        final var schema = new SchemaContextLoader(getClass().getClassLoader()).load(
            name -> name.startsWith("ietf-netconf@") || SchemaContextLoader.CEVPN_MODULES.test(name), List.of());
        final var withXPath = capabilityOf(Capabilities.of(schema, true, false, false), "ietf-netconf");
        assertTrue(withXPath.endsWith(
            "&features=writable-running,candidate,confirmed-commit,rollback-on-error,validate,startup,xpath"), withXPath);
        final var withoutXPath = capabilityOf(Capabilities.of(schema, false, false, false), "ietf-netconf");
        assertTrue(withoutXPath.endsWith("&features=writable-running,candidate,confirmed-commit,rollback-on-error,"
            + "validate,startup"), withoutXPath);
        // the yang-library (RFC 8525) says the same
        final var caps = Capabilities.of(schema, true, false, false);
        final var library = new Monitoring(schema, caps).yangLibrary();
        final var netconf = library.substring(library.indexOf("<name>ietf-netconf</name>"));
        assertTrue(netconf.substring(0, netconf.indexOf("</module>")).endsWith("<feature>writable-running</feature>"
            + "<feature>candidate</feature><feature>confirmed-commit</feature><feature>rollback-on-error</feature>"
            + "<feature>validate</feature><feature>startup</feature><feature>xpath</feature>"), netconf);
        // a module without features gets no features parameter at all
        final var ce = capabilityOf(Capabilities.of(schema, true, false, false), "cevpn-ce-device");
        assertTrue(ce.matches("urn:cevpn:params:xml:ns:yang:cevpn-ce-device\\?module=cevpn-ce-device&revision=[0-9-]{10}"), ce);
    }
}

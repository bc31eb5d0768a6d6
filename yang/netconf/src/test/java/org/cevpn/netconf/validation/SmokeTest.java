package org.cevpn.netconf.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void smoke() throws Exception {
        final var xml = Files.readString(Path.of("src/test/resources/data/valid.xml"));
        final var errors = TestSchemas.validateXml(TestSchemas.vtTest(), xml);
        errors.forEach(e -> System.out.println(e.toXml()));
    }
}

package org.cevpn.netconf.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.datastore.Datastores;
import org.cevpn.netconf.datastore.DsTestSchema;
import org.cevpn.netconf.datastore.RpcException;
import org.cevpn.netconf.server.AccessControl;
import org.cevpn.netconf.server.Capabilities;
import org.cevpn.netconf.server.NetconfServer;
import org.cevpn.netconf.server.ReadFilter;
import org.cevpn.netconf.server.RpcRegistry;
import org.cevpn.netconf.server.SshTransport;
import org.cevpn.netconf.server.SshUsers;
import org.cevpn.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.opendaylight.netconf.shaded.sshd.certificate.OpenSshCertificateBuilder;
import org.opendaylight.netconf.shaded.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NETCONF client against our own server over real SSH: keys, hello, RPCs, rpc-errors, refusals. */
class NetconfClientTest {
    /** The Ed25519 test key of yang/models/examples/valid/ce-pre-configuration.xml (PKCS #8). */
    private static final String ED25519_PKCS8 = "MC4CAQAwBQYDK2VwBCIEIDvh4P4sFGEnA4nOgdYYKc27S2nwq9WUmTruYEFiAlhS";

    @TempDir
    Path dir;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private SshTransport ssh;
    private SshUsers users;
    private ClientKey ecKey;

    @BeforeEach
    void start() throws Exception {
        var schema = DsTestSchema.schema();
        var datastores = new Datastores(schema, DsTestSchema.parser(), DsTestSchema.validator(), dir.resolve("state"),
            scheduler);
        var server = new NetconfServer(schema, datastores, AccessControl.PERMIT_ALL, ReadFilter.UNSUPPORTED,
            new RpcRegistry(), 1 << 20);
        var gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        // Through PKCS #8, as the model carries it: the public half is recomputed.
        ecKey = ClientKey.fromPkcs8(gen.generateKeyPair().getPrivate().getEncoded());
        users = new SshUsers().setPublicKeys("ce1", List.of(ecKey.publicKey()));
        ssh = new SshTransport(server, "127.0.0.1", 0, dir.resolve("state/ssh_host_key"), users);
    }

    @AfterEach
    void stop() throws Exception {
        ssh.close();
        scheduler.shutdownNow();
    }

    private NetconfClient.Settings settings(ServerAuthentication server, ClientKey key) {
        return new NetconfClient.Settings("127.0.0.1", ssh.port(), "ce1", server, key, Duration.ofSeconds(10));
    }

    private ServerAuthentication pinned() {
        return new ServerAuthentication.PinnedHostKey(SshKeys.blob(ssh.hostKey()));
    }

    @Test
    void helloRpcsAndRpcErrorsOverChunkedFraming() throws Exception {
        try (var client = NetconfClient.connect(settings(pinned(), ecKey), new NetconfClient.Events() { })) {
            assertTrue(client.serverCapabilities().contains(Capabilities.BASE_1_1));
            assertTrue(client.sessionId() > 0);
            var edit = client.rpc("<edit-config><target><running/></target><config><top xmlns=\"urn:cevpn:test:ds-test\">"
                + "<name>pulled</name></top></config></edit-config>");
            assertTrue(edit.ok(), edit.errors().toString());
            var data = client.rpc("<get-config><source><running/></source></get-config>").orThrow();
            assertTrue(data.getTextContent().contains("pulled"));
            // an invalid value: the server's rpc-error comes back as our RpcError, path and all
            var bad = client.rpc("<edit-config><target><running/></target><config><top xmlns=\"urn:cevpn:test:ds-test\">"
                + "<mtu>10</mtu></top></config></edit-config>");
            var e = assertThrows(RpcException.class, bad::orThrow);
            assertEquals(ErrorTag.INVALID_VALUE, e.errors().get(0).tag());
            assertNotNull(e.errors().get(0).path());
            assertEquals("/top/mtu", e.errors().get(0).path().withoutPrefixes());
            assertTrue(e.errors().get(0).path().namespaces().containsValue("urn:cevpn:test:ds-test"));
        }
    }

    @Test
    void anEd25519Pkcs8KeyAuthenticates() throws Exception {
        var ed = ClientKey.fromPkcs8(Base64.getDecoder().decode(ED25519_PKCS8));
        users.setPublicKeys("ce1", List.of(ed.publicKey()));
        try (var client = NetconfClient.connect(settings(pinned(), ed), new NetconfClient.Events() { })) {
            assertTrue(client.rpc("<get/>").orThrow().getTextContent() != null);
        }
        assertFalse(ed.toString().contains(ED25519_PKCS8.substring(20)), "never printed");
    }

    @Test
    void aPasswordAuthenticatesToo() throws Exception {
        users.withPassword("admin", "admin-pw".toCharArray());
        var settings = new NetconfClient.Settings("127.0.0.1", ssh.port(), "admin", pinned(),
            new ClientCredential.Password("admin-pw"), Duration.ofSeconds(10));
        assertFalse(settings.toString().contains("admin-pw"));
        try (var client = NetconfClient.connect(settings, new NetconfClient.Events() { })) {
            assertTrue(client.rpc("<get/>").ok() || client.isOpen());
        }
    }

    @Test
    void anotherHostKeyIsRefusedWithBothFingerprints() throws Exception {
        var gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        var other = gen.generateKeyPair().getPublic();
        var e = assertThrows(ServerAuthenticationException.class, () -> NetconfClient.connect(
            settings(new ServerAuthentication.PinnedHostKey(SshKeys.blob(other)), ecKey), new NetconfClient.Events() { }));
        assertTrue(e.getMessage().contains(SshKeys.fingerprint(ssh.hostKey())), e.getMessage());
        assertTrue(e.getMessage().contains(SshKeys.fingerprint(other)), e.getMessage());
    }

    @Test
    void aHostCertificateThatOpenSshsKeygenIssuedIsAcceptedByItsCa() throws Exception {
        var keygen = ExternalTools.program("ssh-keygen", "openssh-client");
        Path ca = dir.resolve("ca");
        var made = keygen.run(List.of("-q", "-t", "ed25519", "-N", "", "-C", "vpn-ca", "-f", ca.toString()));
        assertEquals(0, made.exitCode(), made.output());
        Path hostPub = dir.resolve("host.pub");
        Files.writeString(hostPub, openSshLine(ssh.hostKey()) + "\n");
        var signed = keygen.run(List.of("-q", "-s", ca.toString(), "-h", "-I", "vpn-server", "-n", "127.0.0.1", "-V", "-5m:+1h",
            hostPub.toString()));
        assertEquals(0, signed.exitCode(), signed.output());
        ssh.hostCertificate(Files.readString(dir.resolve("host-cert.pub")));
        byte[] caBlob = Base64.getDecoder().decode(Files.readString(dir.resolve("ca.pub")).split(" ")[1]);

        try (var client = NetconfClient.connect(settings(new ServerAuthentication.CertificateAuthority(caBlob), ecKey),
                new NetconfClient.Events() { })) {
            assertTrue(client.rpc("<get-config><source><running/></source></get-config>").errors().isEmpty());
        }
        // The host key is still the host key: a client that pins it connects as before.
        NetconfClient.connect(settings(pinned(), ecKey), new NetconfClient.Events() { }).close();
        // Another CA's clients do not trust it.
        var other = refusedWith(caKeyPair(), OpenSshCertificateBuilder.hostCertificate().principals(List.of("127.0.0.1")), caBlob);
        assertTrue(other.contains("not the configured CA"), other);
    }

    @Test
    void aHostCertificateIsRefusedForTheWrongHostWhenExpiredAndWithoutPrincipals() throws Exception {
        var ca = caKeyPair();
        byte[] trusted = SshKeys.blob(ca.getPublic());
        String wrongHost = refusedWith(ca, OpenSshCertificateBuilder.hostCertificate().principals(List.of("vpn.example.net")), trusted);
        assertTrue(wrongHost.contains("principal"), wrongHost);
        String expired = refusedWith(ca, OpenSshCertificateBuilder.hostCertificate().principals(List.of("127.0.0.1"))
            .validAfter(Instant.now().minus(Duration.ofDays(2))).validBefore(Instant.now().minus(Duration.ofDays(1))), trusted);
        assertTrue(expired.contains("expired") || expired.contains("not valid now"), expired);
        String anyHost = refusedWith(ca, OpenSshCertificateBuilder.hostCertificate(), trusted);
        assertTrue(anyHost.contains("names no principals"), anyHost);
    }

    @Test
    void aBareHostKeyIsRefusedWhenACaIsConfiguredAndAUserCertificateIsNoHostCertificate() throws Exception {
        var ca = caKeyPair();
        var e = assertThrows(ServerAuthenticationException.class, () -> NetconfClient.connect(
            settings(new ServerAuthentication.CertificateAuthority(SshKeys.blob(ca.getPublic())), ecKey), new NetconfClient.Events() { }));
        assertTrue(e.getMessage().contains("bare host key"), e.getMessage());
        var user = OpenSshCertificateBuilder.userCertificate().publicKey(ssh.hostKey()).id("not-a-host")
            .principals(List.of("127.0.0.1")).sign(ca);
        assertThrows(IllegalArgumentException.class, () -> ssh.hostCertificate(openSshLine(user)));
    }

    @Test
    void aCertificateNamingTheTrustedCaButSignedByAnotherKeyIsRefused() throws Exception {
        // What a key exchange MINA does not check itself (group exchange) would hand the verifier: the check is ours.
        var trusted = caKeyPair();
        var forged = OpenSshCertificateBuilder.hostCertificate().publicKey(ssh.hostKey()).id("forged").principals(List.of("127.0.0.1"))
            .sign(new java.security.KeyPair(trusted.getPublic(), caKeyPair().getPrivate()));
        String why = HostKeyCheck.refusal(new ServerAuthentication.CertificateAuthority(SshKeys.blob(trusted.getPublic())),
            "127.0.0.1", forged);
        assertNotNull(why);
        assertTrue(why.contains("does not carry a valid signature"), why);
        var genuine = OpenSshCertificateBuilder.hostCertificate().publicKey(ssh.hostKey()).id("genuine").principals(List.of("127.0.0.1"))
            .sign(trusted);
        assertEquals(null, HostKeyCheck.refusal(new ServerAuthentication.CertificateAuthority(SshKeys.blob(trusted.getPublic())),
            "127.0.0.1", genuine));
    }

    /** The message of the refusal when the server presents {@code builder}'s certificate signed by {@code signer}. */
    private String refusedWith(java.security.KeyPair signer, OpenSshCertificateBuilder builder, byte[] trustedCa)
            throws Exception {
        ssh.hostCertificate(openSshLine(builder.publicKey(ssh.hostKey()).id("vpn-server").sign(signer)));
        return assertThrows(ServerAuthenticationException.class, () -> NetconfClient.connect(
            settings(new ServerAuthentication.CertificateAuthority(trustedCa), ecKey),
            new NetconfClient.Events() { })).getMessage();
    }

    private static java.security.KeyPair caKeyPair() throws Exception {
        var gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        return gen.generateKeyPair();
    }

    /** A key or certificate as an OpenSSH public key line. */
    private static String openSshLine(java.security.PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + Base64.getEncoder().encodeToString(SshKeys.blob(key));
    }

    @Test
    void anUnknownClientKeyIsRefused() throws Exception {
        users.setPublicKeys("ce1", List.of());
        var e = assertThrows(java.io.IOException.class, () -> NetconfClient.connect(settings(pinned(), ecKey),
            new NetconfClient.Events() { }));
        assertFalse(e instanceof ServerAuthenticationException);
    }

    @Test
    void theOwnerHearsWhenTheServerEndsTheSession() throws Exception {
        var closed = new java.util.concurrent.CompletableFuture<String>();
        var client = NetconfClient.connect(settings(pinned(), ecKey), new NetconfClient.Events() {
            @Override
            public void closed(String why) {
                closed.complete(why);
            }
        });
        ssh.close();
        assertNotNull(closed.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(client.isOpen());
        assertThrows(java.io.IOException.class, () -> client.rpc("<get/>"));
    }
}

package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.testing.TlsPeers;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real consumer under z/OS Connect: Open Liberty, configured with the operator's server.xml
 * snippet as emitted (only the keystore directory moved to the test's), serving HTTPS with
 * required client authentication from the Secrets of examples/liberty-mtls.yaml.
 */
class LibertyRuntimeIT {
    static final String VERSION = System.getProperty("openliberty.version", "26.0.0.3");
    static final Path WLP = Path.of(System.getProperty("user.home"), ".cache", "keystore-operator",
        "openliberty-" + VERSION, "wlp");
    static RealCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(WLP.resolve("bin/server"))) {
            throw new IllegalStateException("no Open Liberty in " + WLP + ": run hack/install-openliberty.sh");
        }
        cluster = RealCluster.start("LibertyRuntimeIT");
        client = cluster.client();
        cluster.createNamespace("zosconnect");
        cluster.startOperator("LibertyRuntimeIT");
        for (HasMetadata item : client.load(Files.newInputStream(RealCluster.PROJECT.resolve("examples/liberty-mtls.yaml")))
            .items()) {
            client.resource(item).create();
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Map<String, byte[]> secret(String name) {
        RealCluster.await("Secret " + name, Duration.ofSeconds(120),
            () -> client.secrets().inNamespace("zosconnect").withName(name).get() != null);
        return ManagedSecret.decode(client.secrets().inNamespace("zosconnect").withName(name).get());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void libertyServesMutualTlsWithTheEmittedSnippet(@TempDir Path dir) throws Exception {
        Map<String, byte[]> server = secret("zosconnect-server-keystores");
        Map<String, byte[]> clientSet = secret("zosconnect-client-keystores");
        String serverPassword = new String(server.get("password"), StandardCharsets.UTF_8);
        char[] clientPassword = new String(clientSet.get("password"), StandardCharsets.UTF_8).toCharArray();

        Path security = dir.resolve("security");
        Files.createDirectories(security);
        for (var e : server.entrySet()) {
            Files.write(security.resolve(e.getKey()), e.getValue());
        }
        Path userDir = dir.resolve("usr");
        Map<String, String> env = Map.of("WLP_USER_DIR", userDir.toString(), "KEYSTORE_PASSWORD", serverPassword,
            "JAVA_HOME", System.getProperty("java.home"));
        Tools.Run create = Tools.run(dir, env, WLP.resolve("bin/server").toString(), "create", "zosconnect");
        assertEquals(0, create.exitCode(), create.output());
        Path serverDir = userDir.resolve("servers/zosconnect");
        String snippet = new String(server.get("server.xml"), StandardCharsets.UTF_8);
        assertTrue(snippet.contains("/config/resources/security/"), snippet);
        Files.writeString(serverDir.resolve("keystore-operator.xml"),
            snippet.replace("/config/resources/security", security.toString()));
        int port = freePort();
        Files.writeString(serverDir.resolve("server.xml"), LibertyServer.serverXml(port, "keystore-operator.xml"));

        long started = System.nanoTime();
        Tools.Run start = Tools.run(dir, env, WLP.resolve("bin/server").toString(), "start", "zosconnect");
        try {
            assertEquals(0, start.exitCode(), start.output());
            Path messages = serverDir.resolve("logs/messages.log");
            RealCluster.await("Liberty's HTTPS endpoint", Duration.ofSeconds(120),
                () -> Files.exists(messages) && readQuietly(messages).contains("CWWKO0219I")
                    && readQuietly(messages).contains("defaultHttpEndpoint-ssl"));
            long startMs = (System.nanoTime() - started) / 1_000_000;

            KeyStore clientKeys = TlsPeers.load(clientSet.get("clientKey.p12"), "PKCS12", clientPassword);
            KeyStore clientTrust = TlsPeers.load(clientSet.get("clientTrust.p12"), "PKCS12", clientPassword);
            SSLContext gateway = TlsPeers.context(clientKeys, clientPassword, clientTrust);
            long handshake = System.nanoTime();
            String status = TlsPeers.httpGet(gateway, "localhost", port);
            long handshakeMs = (System.nanoTime() - handshake) / 1_000_000;
            assertTrue(status.startsWith("HTTP/1.1 "), status);
            System.out.printf("[measure] Open Liberty %s start to HTTPS ready: %d ms; first mTLS request: %d ms%n",
                VERSION, startMs, handshakeMs);

            char[] x = "x".toCharArray();
            SSLContext intruder = TlsPeers.context(ProductScenariosIT.foreignIdentity(x), x, clientTrust);
            assertThrows(IOException.class, () -> TlsPeers.httpGet(intruder, "localhost", port),
                "a client certificate from another CA must be refused");
            SSLContext anonymous = TlsPeers.context(null, null, clientTrust);
            assertThrows(IOException.class, () -> TlsPeers.httpGet(anonymous, "localhost", port),
                "a client without a certificate must be refused");
            assertThrows(IOException.class, () -> TlsPeers.httpGet(gateway, "not-the-server.example.com", port),
                "the host name is verified");
            String log = readQuietly(messages);
            org.junit.jupiter.api.Assertions.assertFalse(log.contains(serverPassword), "Liberty's log must not show the password");
        } finally {
            Tools.run(dir, env, WLP.resolve("bin/server").toString(), "stop", "zosconnect");
        }
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}

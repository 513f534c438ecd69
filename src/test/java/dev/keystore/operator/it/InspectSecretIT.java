package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.KeyType;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect --secret} from the packaged jar, through a kubeconfig, against a real
 * kube-apiserver: the operator's own output Secret is clean under the wso2 profile, a Secret
 * holding a hand-made store is judged like a file, and failures are one line with exit code 2.
 */
class InspectSecretIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String JAR = RealCluster.PROJECT.resolve("target/quarkus-app/quarkus-run.jar").toString();
    static final String LEGACY_PASSWORD = "legacy-Store-pass-5d1e";
    static RealCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("InspectSecretIT");
        client = cluster.client();
        cluster.createNamespace("wso2");
        cluster.startOperator("InspectSecretIT");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Tools.Run inspect(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("KUBECONFIG", cluster.kubeconfig().toString());
        String[] command = new String[args.length + 4];
        command[0] = RealCluster.javaBinary();
        command[1] = "-jar";
        command[2] = JAR;
        command[3] = "inspect";
        System.arraycopy(args, 0, command, 4, args.length);
        return Tools.run(RealCluster.PROJECT, all, command);
    }

    static void putSecret(String ns, String name, Map<String, byte[]> data) {
        Map<String, String> b64 = new HashMap<>();
        data.forEach((k, v) -> b64.put(k, Base64.getEncoder().encodeToString(v)));
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
            .withData(b64).build()).createOr(op -> op.update());
    }

    @Test
    void theOperatorsOutputSecretIsCleanUnderTheWso2Profile() throws Exception {
        client.resource(client.getKubernetesSerialization().unmarshal(
            Files.readString(RealCluster.PROJECT.resolve("examples/wso2-apim.yaml")), KeystoreSet.class)).create();
        RealCluster.await("Secret wso2/apim-keystores", TIMEOUT,
            () -> client.secrets().inNamespace("wso2").withName("apim-keystores").get() != null);
        Map<String, byte[]> data = ManagedSecret.decode(client.secrets().inNamespace("wso2").withName("apim-keystores").get());
        String password = new String(data.get("password"), StandardCharsets.UTF_8);

        long started = System.nanoTime();
        Tools.Run run = inspect(Map.of(), "--secret", "apim-keystores", "-n", "wso2", "--profile", "wso2");
        System.out.printf("[measure] inspect --secret apim-keystores (jar, cold JVM, real API server): %d ms%n",
            (System.nanoTime() - started) / 1_000_000);

        assertEquals(0, run.exitCode(), run.output());
        for (String key : List.of("wso2carbon.jks", "tls_keystore.jks", "internal_keystore.jks", "client-truststore.jks",
            "ca.crt", "tls.crt", "tls.key")) {
            assertTrue(run.output().contains("Secret wso2/apim-keystores key " + key + "  ("), key + "\n" + run.output());
        }
        assertTrue(run.output().contains("2, complete, trusted by "), run.output());
        assertTrue(run.output().contains("0 errors"), run.output());
        assertFalse(run.output().contains(password), "the store password was printed");
        assertFalse(run.output().contains("PRIVATE KEY"));

        Tools.Run json = inspect(Map.of(), "--secret", "apim-keystores", "-n", "wso2", "-o", "json");
        assertEquals(0, json.exitCode(), json.output());
        JsonNode report = new ObjectMapper().readTree(json.output());
        assertEquals(7, report.get("stores").size(), json.output());
        assertEquals(0, report.get("summary").get("unreadable").asInt());
    }

    @Test
    void anyOtherSecretIsJudgedLikeAFileInTheKubeconfigNamespace() throws Exception {
        // an old wso2carbon.jks whose key has its own password, in the kubeconfig's namespace ("default")
        CertificateAuthority ca = TestKeys.ecCa("Legacy CA");
        KeyPair keys = KeyType.rsa(2048).generate(TestKeys.nextSeeded());
        var chain = new Signer(TestKeys.clockAt(TestKeys.T0), TestKeys.nextSeeded()).issue(ca,
            new dev.keystore.operator.crypto.CertificateProfile(new X500Name("CN=wso2carbon"), Set.of("localhost"),
                Set.of(), org.bouncycastle.asn1.x509.KeyUsage.digitalSignature
                    | org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment
                    | org.bouncycastle.asn1.x509.KeyUsage.dataEncipherment, Set.of(), false),
            keys.getPublic(), Duration.ofDays(3650));
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(null, null);
        store.setKeyEntry("wso2carbon", keys.getPrivate(), "another-key-password".toCharArray(),
            chain.toArray(Certificate[]::new));
        ByteArrayOutputStream jks = new ByteArrayOutputStream();
        store.store(jks, LEGACY_PASSWORD.toCharArray());
        putSecret("default", "legacy-wso2carbon", Map.of("wso2carbon.jks", jks.toByteArray(),
            "password", LEGACY_PASSWORD.getBytes(StandardCharsets.UTF_8)));

        Tools.Run run = inspect(Map.of(), "--secret", "legacy-wso2carbon", "--profile", "wso2");

        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("ERROR    Secret default/legacy-wso2carbon key wso2carbon.jks [wso2carbon]: "
            + "the key password differs from the store password: WSO2 needs them equal"), run.output());
        assertFalse(run.output().contains(LEGACY_PASSWORD));

        Tools.Run wrong = inspect(Map.of("KS", "not-it"), "--secret", "legacy-wso2carbon", "--password-env", "KS");
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.output().contains("error: Secret default/legacy-wso2carbon key wso2carbon.jks: the store "
            + "password is wrong (password from --password-env KS)"), wrong.output());
    }

    @Test
    void aMissingSecretOrAnUnreachableClusterIsOneLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
        Tools.Run missing = inspect(Map.of(), "--secret", "nothing-here", "-n", "wso2");
        assertEquals(2, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("error: Secret wso2/nothing-here: does not exist"), missing.output());

        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
            contexts: [{name: c, context: {cluster: c, user: u, namespace: apps}}]
            current-context: c
            users: [{name: u, user: {token: t}}]
            """);
        Tools.Run unreachable = inspect(Map.of("KUBECONFIG", kubeconfig.toString()), "--secret", "x");
        assertEquals(2, unreachable.exitCode(), unreachable.output());
        List<String> errors = unreachable.output().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), unreachable.output());
        assertTrue(errors.get(0).startsWith("error: Secret x: cannot be read ("), unreachable.output());
        assertFalse(unreachable.output().contains("\tat "), "no stack trace");
    }

    @Test
    void inspectingFilesNeverBuildsAClient(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("keystores");
        Tools.Run render = Tools.run(RealCluster.PROJECT, Map.of(), RealCluster.javaBinary(), "-jar", JAR, "render",
            "-f", "examples/zowe.yaml", "-o", out.toString());
        assertEquals(0, render.exitCode(), render.output());
        Tools.Run run = inspect(Map.of("KUBECONFIG", dir.resolve("no-such-kubeconfig").toString()),
            out.resolve("zowe").toString(), out.resolve("zosmf-trust").toString(), "--profile", "zowe");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("localhost.keystore.p12"), run.output());
    }
}

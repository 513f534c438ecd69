package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.SecretKeyRef;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator jar against a real kube-apiserver: the examples become Ready with readable stores. */
class KeystoreSetIT {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static RealCluster cluster;
    static KubernetesClient client;
    static Path operatorLog;
    static final List<String> PASSWORDS_SEEN = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("KeystoreSetIT");
        client = cluster.client();
        cluster.createNamespace("wso2");
        operatorLog = cluster.startOperator("KeystoreSetIT");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (operatorLog != null) {
            String log = Files.readString(operatorLog);
            for (String password : PASSWORDS_SEEN) {
                assertFalse(log.contains(password), "the operator log contains a keystore password");
            }
            assertFalse(log.contains("PRIVATE KEY"), "the operator log contains a private key");
        }
    }

    static KeystoreSet load(String example) throws Exception {
        return client.getKubernetesSerialization()
            .unmarshal(Files.readString(RealCluster.PROJECT.resolve(example)), KeystoreSet.class);
    }

    static KeystoreSet awaitReady(String ns, String name, String status) {
        RealCluster.await("KeystoreSet " + ns + "/" + name + " Ready=" + status, READY_TIMEOUT,
            () -> ready(get(ns, name)).map(c -> status.equals(c.getStatus())).orElse(false));
        return get(ns, name);
    }

    static KeystoreSet get(String ns, String name) {
        return client.resources(KeystoreSet.class).inNamespace(ns).withName(name).get();
    }

    static Optional<Condition> ready(KeystoreSet set) {
        if (set == null || set.getStatus() == null || set.getStatus().conditions == null) {
            return Optional.empty();
        }
        return set.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    static KeystoreSet newSet(String ns, String name) {
        KeystoreSet set = new KeystoreSet();
        set.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        return set;
    }

    static Map<String, byte[]> data(String ns, String secret) {
        return ManagedSecret.decode(client.secrets().inNamespace(ns).withName(secret).get());
    }

    @Test
    void wso2ExampleBecomesReadyWithReadableJksStores(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        client.resource(load("examples/wso2-apim.yaml")).create();
        KeystoreSet set = awaitReady("wso2", "apim", "True");
        System.out.printf("[measure] examples/wso2-apim.yaml apply to Ready: %d ms%n",
            (System.nanoTime() - started) / 1_000_000);

        Secret secret = client.secrets().inNamespace("wso2").withName("apim-keystores").get();
        assertEquals("Opaque", secret.getType());
        assertEquals("keystore-operator", secret.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals("apim", secret.getMetadata().getLabels().get("keystore.dev/keystoreset"));
        assertEquals(set.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid());
        Map<String, byte[]> data = ManagedSecret.decode(secret);
        assertEquals(java.util.Set.of("wso2carbon.jks", "tls_keystore.jks", "internal_keystore.jks",
            "client-truststore.jks", "password", "ca.crt", "tls.crt", "tls.key", "deployment.toml"), data.keySet());
        String password = new String(data.get("password"), StandardCharsets.UTF_8);
        PASSWORDS_SEEN.add(password);
        for (String file : List.of("wso2carbon.jks", "tls_keystore.jks", "internal_keystore.jks")) {
            assertEquals(StoreType.JKS, KeystoreCodec.detect(data.get(file)), file);
            StoreContent content = KeystoreCodec.read(StoreType.JKS, data.get(file), password.toCharArray());
            StoreEntry.KeyEntry entry = content.keyEntry("wso2carbon").orElseThrow();
            assertEquals(2, entry.chain().size(), file + " chain length");
            Path f = dir.resolve(file);
            Files.write(f, data.get(file));
            Tools.Run list = Tools.keytoolList(f, null, password);
            assertEquals(0, list.exitCode(), file);
            assertTrue(list.output().contains("Entry type: PrivateKeyEntry"), file);
        }
        StoreContent trust = KeystoreCodec.read(StoreType.JKS, data.get("client-truststore.jks"), password.toCharArray());
        assertFalse(trust.entries().isEmpty());
        assertTrue(trust.entries().stream().allMatch(e -> e instanceof StoreEntry.TrustedEntry));

        assertEquals(1L, set.getStatus().revision);
        assertEquals("apim-keystores", set.getStatus().secretName);
        assertEquals(set.getMetadata().getGeneration(), set.getStatus().observedGeneration);
        assertEquals("wso2carbon", set.getStatus().keystores.tls.alias);
        assertEquals("RSA 2048", set.getStatus().keystores.internal.keyAlgorithm);
        assertNotNull(set.getStatus().keystores.primary.sha256Fingerprint);
        assertNotNull(set.getStatus().notAfter);
        assertEquals(1, set.getStatus().truststore.certificates);

        Secret internal = client.secrets().inNamespace("wso2").withName("apim-keystores-internal").get();
        assertTrue(internal.getMetadata().getOwnerReferences() == null || internal.getMetadata().getOwnerReferences().isEmpty());
        assertEquals("keep", internal.getMetadata().getAnnotations().get("helm.sh/resource-policy"));

        // an unrelated spec change is reconciled without rewriting the Secret
        String resourceVersion = secret.getMetadata().getResourceVersion();
        client.resources(KeystoreSet.class).inNamespace("wso2").withName("apim")
            .edit(s -> {
                s.getSpec().verifyCertificates = dev.keystore.operator.api.v1alpha1.VerifyCertificates.NonStrict;
                return s;
            });
        long generation = get("wso2", "apim").getMetadata().getGeneration();
        RealCluster.await("observedGeneration " + generation, READY_TIMEOUT,
            () -> get("wso2", "apim").getStatus().observedGeneration == generation);
        assertEquals(resourceVersion, client.secrets().inNamespace("wso2").withName("apim-keystores").get()
            .getMetadata().getResourceVersion(), "an unchanged set must not rewrite its Secret");
        assertEquals(1L, get("wso2", "apim").getStatus().revision);

        // the output Secret deleted by hand is rebuilt, with the same internal key
        byte[] internalKey = keyOf(data.get("internal_keystore.jks"), password);
        client.secrets().inNamespace("wso2").withName("apim-keystores").delete();
        RealCluster.await("apim-keystores rebuilt", READY_TIMEOUT,
            () -> client.secrets().inNamespace("wso2").withName("apim-keystores").get() != null
                && get("wso2", "apim").getStatus().revision == 2L);
        Map<String, byte[]> rebuilt = data("wso2", "apim-keystores");
        String newPassword = new String(rebuilt.get("password"), StandardCharsets.UTF_8);
        PASSWORDS_SEEN.add(newPassword);
        assertArrayEquals(internalKey, keyOf(rebuilt.get("internal_keystore.jks"), newPassword),
            "the internal key must survive the loss of the output Secret");
    }

    static byte[] keyOf(byte[] jks, String password) throws Exception {
        return KeystoreCodec.read(KeystoreCodec.detect(jks), jks, password.toCharArray()).entries().stream()
            .filter(e -> e instanceof StoreEntry.KeyEntry).map(e -> ((StoreEntry.KeyEntry) e).key().getEncoded())
            .findFirst().orElseThrow();
    }

    @Test
    void tlsOnlyExampleWritesModernPkcs12(@TempDir Path dir) throws Exception {
        client.resource(load("examples/tls-only.yaml")).create();
        awaitReady("default", "web", "True");
        Map<String, byte[]> data = data("default", "web-keystores");
        String password = new String(data.get("password"), StandardCharsets.UTF_8);
        PASSWORDS_SEEN.add(password);
        for (String file : List.of("tls.p12", "truststore.p12")) {
            Path f = dir.resolve(file);
            Files.write(f, data.get(file));
            Tools.Run info = Tools.opensslPkcs12Info(f, password);
            assertEquals(0, info.exitCode(), file + ": " + info.output());
        }
        assertTrue(new String(data.get("tls.key"), StandardCharsets.UTF_8).contains("BEGIN PRIVATE KEY"));
        assertEquals("EC P-256", get("default", "web").getStatus().keystores.tls.keyAlgorithm);
    }

    @Test
    void foreignSecretIsNeverOverwritten() {
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("foreign")
            .endMetadata().addToStringData("keep", "me").build()).create();
        KeystoreSet set = newSet("default", "intruder");
        set.getSpec().secretName = "foreign";
        set.getSpec().tls = new SlotSpec();
        client.resource(set).create();
        KeystoreSet failed = awaitReady("default", "intruder", "False");
        Condition ready = ready(failed).orElseThrow();
        assertEquals("SecretConflict", ready.getReason());
        assertTrue(ready.getMessage().contains("foreign"), ready.getMessage());
        Map<String, byte[]> data = data("default", "foreign");
        assertEquals(Map.of("keep", "me"), Map.of("keep", new String(data.get("keep"), StandardCharsets.UTF_8)));
        assertEquals(1, data.size());
        RealCluster.await("a SecretConflict event", READY_TIMEOUT, () -> client.v1().events().inNamespace("default").list()
            .getItems().stream().anyMatch(e -> "intruder".equals(e.getInvolvedObject().getName())
                && "SecretConflict".equals(e.getReason())));
    }

    @Test
    void missingPasswordSecretIsReportedThenPickedUpWithoutRestart(@TempDir Path dir) throws Exception {
        KeystoreSet set = newSet("default", "pw");
        set.getSpec().passwordSecretRef = new SecretKeyRef("pw-password", null);
        set.getSpec().tls = new SlotSpec();
        client.resource(set).create();
        Condition ready = ready(awaitReady("default", "pw", "False")).orElseThrow();
        assertEquals("MissingInput", ready.getReason());
        assertTrue(ready.getMessage().contains("Secret pw-password"), ready.getMessage());
        assertNull(client.secrets().inNamespace("default").withName("pw-keystores").get());

        String password = "correct-horse-" + System.nanoTime();
        PASSWORDS_SEEN.add(password);
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("pw-password")
            .endMetadata().addToStringData("password", password).build()).create();
        awaitReady("default", "pw", "True");
        Map<String, byte[]> data = data("default", "pw-keystores");
        assertFalse(data.containsKey("password"), "a referenced password is not copied into the Secret");
        Path f = dir.resolve("tls.p12");
        Files.write(f, data.get("tls.p12"));
        assertEquals(0, Tools.keytoolList(f, "PKCS12", password).exitCode());
        String status = client.getKubernetesSerialization().asJson(get("default", "pw").getStatus());
        assertFalse(status.contains(password), "status must not contain the password");
    }

    @Test
    void theApiServerRejectsValuesTheSchemaForbids() {
        var bad = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
            .withApiVersion("keystore.dev/v1alpha1").withKind("KeystoreSet")
            .withNewMetadata().withName("bad-enum").withNamespace("default").endMetadata()
            .addToAdditionalProperties("spec", Map.of("format", "PEM", "tls", Map.of())).build();
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
            () -> client.genericKubernetesResources("keystore.dev/v1alpha1", "KeystoreSet").inNamespace("default")
                .resource(bad).create());
        assertEquals(422, e.getCode());
        assertTrue(e.getMessage().contains("spec.format"), e.getMessage());
        var noName = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
            .withApiVersion("keystore.dev/v1alpha1").withKind("KeystoreSet")
            .withNewMetadata().withName("bad-rollout").withNamespace("default").endMetadata()
            .addToAdditionalProperties("spec", Map.of("tls", Map.of(), "rollout", List.of(Map.of("kind", "Deployment"))))
            .build();
        var missing = org.junit.jupiter.api.Assertions.assertThrows(
            io.fabric8.kubernetes.client.KubernetesClientException.class,
            () -> client.genericKubernetesResources("keystore.dev/v1alpha1", "KeystoreSet").inNamespace("default")
                .resource(noName).create());
        assertEquals(422, missing.getCode());
        assertTrue(missing.getMessage().contains("name"), missing.getMessage());
    }
}

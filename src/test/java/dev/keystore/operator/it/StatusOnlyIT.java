package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.testing.ArgoHealth;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GitOps without ignoreDifferences: the operator writes the status of its custom resources and
 * nothing else. Reconciles are forced in several ways (rotation annotation, password change, a
 * source change, a deleted output Secret, a label); after each, spec and metadata are exactly as
 * the test's own last write left them, every managedFields entry not written by the test covers
 * status only, and the Argo CD health check says Healthy. The set is applied with kubectl (1.20.2,
 * client-side apply), as most users write sets: the operator caches it without managedFields and
 * kubectl's last-applied-configuration (reconciler/TrimmedStore), and the server keeps both across
 * its status writes; a spec change applied with kubectl is acted on.
 */
class StatusOnlyIT {
    static final String NS = "gitops";
    static final String TEST_MANAGER = "gitops-test";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    static final String SET = """
        apiVersion: keystore.dev/v1alpha1
        kind: KeystoreSet
        metadata:
          name: apim
          namespace: gitops
          labels: {app.kubernetes.io/part-of: apim}
          annotations: {keystore.dev/rotate-tls: "%s"}
        spec:
          passwordSecretRef: {name: apim-password}
          issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
          tls: {dnsNames: [%s], privateKey: {algorithm: EC, size: 256}}
          internal: {}
          truststore: {trustBundleRefs: [{name: corp}]}
        """;
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static RealCluster cluster;
    /** The test's own client, with a user agent of its own so that its managedFields entries are told apart. */
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("StatusOnlyIT");
        Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        config.setUserAgent(TEST_MANAGER + "/1");
        client = new KubernetesClientBuilder().withConfig(config).build();
        cluster.createNamespace(NS);
        cluster.startOperator("StatusOnlyIT");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static Resource<GenericKubernetesResource> cr(String kind, String name) {
        return client.genericKubernetesResources("keystore.dev/v1alpha1", kind).inNamespace(NS).withName(name);
    }

    /** spec and metadata, without what every write changes (resourceVersion, managedFields). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> specAndMetadata(GenericKubernetesResource r) {
        Map<String, Object> raw = client.getKubernetesSerialization().convertValue(r, Map.class);
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) raw.get("metadata"));
        metadata.remove("resourceVersion");
        metadata.remove("managedFields");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("metadata", metadata);
        result.put("spec", raw.get("spec"));
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().getOrDefault("status", Map.of());
    }

    static Object at(Map<String, Object> map, String... path) {
        Object node = map;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(key);
        }
        return node;
    }

    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }

    /** kubectl apply (the 1.20.2 client built with the API server), as a user would. */
    static void kubectlApply(String yaml) throws Exception {
        Path kubectl = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", RealCluster.K8S_VERSION + "-linux-amd64",
            "kubectl");
        Path file = Files.createTempFile("status-only", ".yaml");
        try {
            Files.writeString(file, yaml);
            Tools.Run apply = Tools.run(RealCluster.PROJECT, Map.of("KUBECONFIG", cluster.kubeconfig().toString()),
                kubectl.toString(), "apply", "-f", file.toString());
            assertEquals(0, apply.exitCode(), apply.output());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static boolean byTest(ManagedFieldsEntry entry) {
        return TEST_MANAGER.equals(entry.getManager()) || entry.getManager().startsWith("kubectl");
    }

    static long revision() {
        return number(status(cr("KeystoreSet", "apim").get()).get("revision"));
    }

    static boolean healthy(String kind, String name) {
        return "Healthy".equals(ArgoHealth.assess(kind, cr(kind, name).get()).status());
    }

    /** The objects as the test last wrote them; compared after every reconcile. */
    final Map<String, Map<String, Object>> expected = new LinkedHashMap<>();

    void remember() {
        expected.put("KeystoreSet", specAndMetadata(cr("KeystoreSet", "apim").get()));
        expected.put("TrustBundle", specAndMetadata(cr("TrustBundle", "corp").get()));
    }

    void assertUntouched(String after) {
        for (String kind : List.of("KeystoreSet", "TrustBundle")) {
            GenericKubernetesResource live = cr(kind, kind.equals("KeystoreSet") ? "apim" : "corp").get();
            assertEquals(expected.get(kind), specAndMetadata(live), kind + " spec/metadata changed by the operator after " + after);
            assertTrue(live.getMetadata().getFinalizers() == null || live.getMetadata().getFinalizers().isEmpty());
            List<ManagedFieldsEntry> operatorWrites = live.getMetadata().getManagedFields().stream()
                .filter(e -> !byTest(e)).toList();
            assertTrue(!operatorWrites.isEmpty(), kind + ": the operator's status writes are in managedFields");
            for (ManagedFieldsEntry entry : operatorWrites) {
                Map<String, Object> fields = entry.getFieldsV1().getAdditionalProperties();
                assertEquals(List.of("f:status"), List.copyOf(fields.keySet()),
                    kind + ": " + entry.getManager() + " wrote more than status after " + after);
            }
            assertTrue(healthy(kind, live.getMetadata().getName()), kind + " healthy for Argo CD after " + after);
        }
        // the server still has kubectl's bookkeeping the operator's cache leaves out
        GenericKubernetesResource set = cr("KeystoreSet", "apim").get();
        assertTrue(set.getMetadata().getManagedFields().stream().anyMatch(e -> e.getManager().startsWith("kubectl")
            && e.getFieldsV1().getAdditionalProperties().containsKey("f:spec")), "kubectl's managedFields entry after " + after);
        assertTrue(set.getMetadata().getAnnotations().get(LAST_APPLIED).contains("\"apim-password\""),
            "kubectl's last-applied-configuration after " + after);
    }

    @Test
    void reconcilesNeverTouchSpecOrMetadata() throws Exception {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("apim-password")
            .endMetadata().addToStringData("password", "first-" + System.nanoTime()).build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("vendor")
            .endMetadata().addToData("ca.crt", Pem.encode(List.of(TestKeys.ecCa("vendor CA").certificate()))).build())
            .create();
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata:
              name: corp
              namespace: gitops
              labels: {app.kubernetes.io/part-of: apim}
              annotations: {argocd.argoproj.io/sync-wave: "1"}
            spec:
              sources:
              - configMap: {name: vendor, key: ca.crt}
              target: {formats: [PKCS12]}
            """, GenericKubernetesResource.class)).create();
        kubectlApply(SET.formatted("t0", "apim.example.com"));
        RealCluster.await("both Healthy", TIMEOUT, () -> healthy("KeystoreSet", "apim") && healthy("TrustBundle", "corp"));
        remember();
        assertUntouched("the first issuance");
        assertEquals("t0", at(status(cr("KeystoreSet", "apim").get()), "keystores", "tls", "rotationToken"));

        // a rotation requested by annotation: acted on, recorded in status, the annotation left as it is
        cr("KeystoreSet", "apim").edit(r -> {
            r.getMetadata().getAnnotations().put("keystore.dev/rotate-tls", "t1");
            return r;
        });
        remember();
        RealCluster.await("rotation t1 recorded", TIMEOUT,
            () -> "t1".equals(at(status(cr("KeystoreSet", "apim").get()), "keystores", "tls", "rotationToken")));
        assertUntouched("a rotation");

        // a referenced Secret changes: every store is re-encrypted
        long before = revision();
        client.secrets().inNamespace(NS).withName("apim-password").edit(s -> new SecretBuilder(s).withData(null)
            .addToStringData("password", "second-" + System.nanoTime()).build());
        RealCluster.await("re-encrypted", TIMEOUT, () -> revision() > before && healthy("KeystoreSet", "apim"));
        assertUntouched("a password change");

        // a bundle source changes: the bundle and the set's truststore follow
        client.configMaps().inNamespace(NS).withName("vendor").edit(cm -> new ConfigMapBuilder(cm)
            .addToData("ca.crt", Pem.encode(List.of(TestKeys.ecCa("vendor CA").certificate(),
                TestKeys.ecCa("vendor CA 2").certificate()))).build());
        RealCluster.await("bundle of 2", TIMEOUT, () -> number(status(cr("TrustBundle", "corp").get()).get("certificates")) == 2
            && healthy("TrustBundle", "corp"));
        RealCluster.await("truststore with the new CA", TIMEOUT,
            () -> number(at(status(cr("KeystoreSet", "apim").get()), "truststore", "certificates")) == 3);
        assertUntouched("a source change");

        // the test edits metadata (as a GitOps tool would), then a lost output Secret forces a reconcile
        // that can be seen: both are left as written
        cr("TrustBundle", "corp").edit(r -> {
            r.getMetadata().getLabels().put("team", "platform");
            return r;
        });
        cr("KeystoreSet", "apim").edit(r -> {
            r.getMetadata().getAnnotations().put("example.com/owner", "platform");
            return r;
        });
        remember();
        long beforeDelete = revision();
        client.secrets().inNamespace(NS).withName("apim-keystores").delete();
        RealCluster.await("rebuilt", TIMEOUT, () -> revision() > beforeDelete
            && client.secrets().inNamespace(NS).withName("apim-keystores").get() != null && healthy("KeystoreSet", "apim"));
        assertUntouched("metadata edits and a lost output Secret");

        // a spec change applied with kubectl: seen (the cache keeps the spec), acted on, left as applied
        long beforeSpec = revision();
        kubectlApply(SET.formatted("t1", "apim.example.com, gateway.example.com"));
        remember();
        long generation = cr("KeystoreSet", "apim").get().getMetadata().getGeneration();
        RealCluster.await("the new SAN issued", TIMEOUT, () -> revision() > beforeSpec
            && number(status(cr("KeystoreSet", "apim").get()).get("observedGeneration")) == generation
            && healthy("KeystoreSet", "apim"));
        assertTrue(String.valueOf(at(expected.get("KeystoreSet"), "metadata", "annotations", LAST_APPLIED))
            .contains("gateway.example.com"), "kubectl's last-applied-configuration is the applied one");
        assertUntouched("a spec change applied with kubectl");
    }
}

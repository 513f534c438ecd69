package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreEntry;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 on a real API server with kube-controller-manager's garbage collector: the keys with a
 * stability promise (internal, primary with rotationPolicy Never) and the set's CA survive a rename
 * of spec.secretName, deleting the output Secret, the -ca Secret and the set itself; records are
 * found by label; two records holding different keys are a conflict; any throwable in a reconcile
 * becomes Ready=False InternalError with a Warning Event.
 */
class KeysSurviveIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String NS = "survive";
    static RealCluster cluster;
    static KubernetesClient client;
    static SetsInNamespace sets;
    static RealCluster.Operator operator;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("KeysSurviveIT");
        client = cluster.client();
        sets = new SetsInNamespace(client, NS, TIMEOUT);
        cluster.createNamespace(NS);
        cluster.startControllerManager("KeysSurviveIT");
        operator = cluster.startOperator("KeysSurviveIT", Map.of("KEYSTORE_OPERATOR_FAULT_THROW_FOR", "boom"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String yaml(String name, String extra) {
        return """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: %s, namespace: survive}
            spec:
              primary: {}
              tls: {privateKey: {algorithm: EC, size: 256}}
              internal: {}
            %s""".formatted(name, extra);
    }

    static Secret secret(String name) {
        return client.secrets().inNamespace(NS).withName(name).get();
    }

    static Map<String, byte[]> data(String name) {
        Secret s = secret(name);
        return s == null ? null : ManagedSecret.decode(s);
    }

    /** The key pair in a store of the output, hex-encoded. */
    static String key(Map<String, byte[]> output, String slot) throws Exception {
        byte[] bytes = output.get(slot + ".p12");
        char[] pw = new String(output.get("password"), StandardCharsets.UTF_8).toCharArray();
        return java.util.HexFormat.of().formatHex(KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, pw).entries()
            .stream().filter(e -> e instanceof StoreEntry.KeyEntry).map(e -> ((StoreEntry.KeyEntry) e).key().getEncoded())
            .findFirst().orElseThrow());
    }

    record Keys(String primary, String internal, String ca) {
        static Keys of(String outputName, String caName) throws Exception {
            Map<String, byte[]> out = data(outputName);
            return new Keys(key(out, "primary"), key(out, "internal"),
                new String(data(caName).get("tls.key"), StandardCharsets.UTF_8));
        }
    }

    static boolean event(String set, String reason, String contains) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
            .anyMatch(e -> set.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())
                && e.getMessage().contains(contains));
    }

    static void poke(String name) {
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName(name), s -> {
            s.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("poke", Long.toString(System.nanoTime()))));
            return s;
        });
    }

    @Test
    void renamingSecretNameKeepsEveryKeyAndTheCaAndLeavesTheOldOutput() throws Exception {
        sets.create(yaml("ren", ""));
        Keys before = Keys.of("ren-keystores", "ren-keystores-ca");
        String tls = key(data("ren-keystores"), "tls");

        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName("ren"), s -> {
            s.getSpec().secretName = "ren-renamed";
            return s;
        });
        RealCluster.await("the renamed output", TIMEOUT, () -> "ren-renamed".equals(sets.get("ren").getStatus().secretName)
            && SetsInNamespace.ready(sets.get("ren")).map(c -> "True".equals(c.getStatus())).orElse(false));
        // the records keep their first name; the new output has the same keys and CA
        assertEquals(before, Keys.of("ren-renamed", "ren-keystores-ca"));
        assertEquals(tls, key(data("ren-renamed"), "tls"), "even tls: the new output is written from the old one");
        assertNotNull(secret("ren-keystores"), "the old output stays (pods may still mount it)");
        assertTrue(secret("ren-renamed-internal") == null && secret("ren-renamed-ca") == null, "records are never renamed");
        assertEquals("internal", secret("ren-keystores-internal").getMetadata().getLabels().get(ManagedSecret.RECORD_LABEL));
        assertEquals("ca", secret("ren-keystores-ca").getMetadata().getLabels().get(ManagedSecret.RECORD_LABEL));
        RealCluster.await("a SecretRenamed event", TIMEOUT, () -> event("ren", "SecretRenamed", "left in place"));

        // deleting the new output rebuilds it with the same keys, from the records found by label
        client.secrets().inNamespace(NS).withName("ren-renamed").delete();
        RealCluster.await("the output rebuilt", TIMEOUT, () -> secret("ren-renamed") != null);
        assertEquals(before, Keys.of("ren-renamed", "ren-keystores-ca"));
    }

    @Test
    void deletingTheOutputTheCaOrTheSetGivesBackTheSameKeysAndCa() throws Exception {
        String yaml = yaml("keep", "");
        sets.create(yaml);
        Keys before = Keys.of("keep-keystores", "keep-keystores-ca");
        Secret ca = secret("keep-keystores-ca");
        assertTrue(ca.getMetadata().getOwnerReferences() == null || ca.getMetadata().getOwnerReferences().isEmpty(),
            "-ca has no owner");
        assertEquals("keep", ca.getMetadata().getAnnotations().get("helm.sh/resource-policy"));

        client.secrets().inNamespace(NS).withName("keep-keystores").delete();
        RealCluster.await("output rebuilt", TIMEOUT, () -> secret("keep-keystores") != null);
        assertEquals(before, Keys.of("keep-keystores", "keep-keystores-ca"), "after deleting the output");

        client.secrets().inNamespace(NS).withName("keep-keystores-ca").delete();
        RealCluster.await("-ca rebuilt", TIMEOUT, () -> secret("keep-keystores-ca") != null);
        assertEquals(before, Keys.of("keep-keystores", "keep-keystores-ca"), "after deleting -ca");

        client.resources(KeystoreSet.class).inNamespace(NS).withName("keep").delete();
        RealCluster.await("the output collected with its set", TIMEOUT, () -> secret("keep-keystores") == null);
        assertNotNull(secret("keep-keystores-ca"));
        assertNotNull(secret("keep-keystores-internal"));
        sets.create(yaml);
        assertEquals(before, Keys.of("keep-keystores", "keep-keystores-ca"), "after deleting and re-creating the set");
    }

    @Test
    void anOlderReleasesOwnedUnlabelledCaIsAdopted() throws Exception {
        KeystoreSet set = sets.create(yaml("adopt", ""));
        Keys before = Keys.of("adopt-keystores", "adopt-keystores-ca");
        // as an older release left it: owned by the set, no role label
        RealCluster.edit(client.secrets().inNamespace(NS).withName("adopt-keystores-ca"), s -> {
            s.getMetadata().getLabels().remove(ManagedSecret.RECORD_LABEL);
            s.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder().withApiVersion(set.getApiVersion())
                .withKind("KeystoreSet").withName("adopt").withUid(set.getMetadata().getUid()).withController(true).build()));
            return s;
        });
        poke("adopt");
        RealCluster.await("-ca adopted", TIMEOUT, () -> "ca".equals(secret("adopt-keystores-ca").getMetadata().getLabels()
            .get(ManagedSecret.RECORD_LABEL)) && secret("adopt-keystores-ca").getMetadata().getOwnerReferences().isEmpty());
        assertEquals(before, Keys.of("adopt-keystores", "adopt-keystores-ca"));
    }

    @Test
    void twoInternalRecordsWithDifferentKeysAreAConflictNamingBoth() throws Exception {
        sets.create(yaml("twice", ""));
        String rv = secret("twice-keystores").getMetadata().getResourceVersion();
        Map<String, byte[]> other = data("twice-keystores-ca"); // another key pair in the same PEM shape
        Map<String, byte[]> record = new java.util.HashMap<>(data("twice-keystores-internal"));
        record.put("tls.key", other.get("tls.key"));
        record.put("tls.crt", other.get("tls.crt"));
        Map<String, String> encoded = new java.util.HashMap<>();
        record.forEach((k, v) -> encoded.put(k, java.util.Base64.getEncoder().encodeToString(v)));
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("twice-restored")
            .addToLabels(ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY).addToLabels(ManagedSecret.SET_LABEL, "twice")
            .addToLabels(ManagedSecret.RECORD_LABEL, "internal").endMetadata().withData(encoded).build()).create();
        RealCluster.await("SecretConflict", TIMEOUT, () -> SetsInNamespace.ready(sets.get("twice")).map(c -> "SecretConflict".equals(c.getReason())
            && c.getMessage().contains("twice-keystores-internal") && c.getMessage().contains("twice-restored")).orElse(false));
        assertEquals(rv, secret("twice-keystores").getMetadata().getResourceVersion(), "the output is untouched");
        RealCluster.await("a Warning event", TIMEOUT, () -> event("twice", "SecretConflict", "twice-restored"));

        client.secrets().inNamespace(NS).withName("twice-restored").delete();
        RealCluster.await("Ready again", TIMEOUT, () -> SetsInNamespace.ready(sets.get("twice")).map(c -> "True".equals(c.getStatus())).orElse(false));
    }

    @Test
    void anyThrowableInAReconcileIsReadyFalseInternalErrorWithAWarningAndARetry() {
        KeystoreSet set = client.getKubernetesSerialization().unmarshal(yaml("boom", ""), KeystoreSet.class);
        client.resource(set).create();
        RealCluster.await("InternalError", TIMEOUT, () -> SetsInNamespace.ready(sets.get("boom")).map(c -> "InternalError".equals(c.getReason())
            && "False".equals(c.getStatus())).orElse(false));
        String message = SetsInNamespace.ready(sets.get("boom")).orElseThrow().getMessage();
        assertTrue(message.contains("java.lang.StackOverflowError") && message.contains("see the operator log"), message);
        assertFalse(message.contains("\n") || message.contains("\tat ") || message.contains("at dev.keystore"), message);
        RealCluster.await("a Warning event", TIMEOUT, () -> client.v1().events().inNamespace(NS).list().getItems().stream()
            .anyMatch(e -> "boom".equals(e.getInvolvedObject().getName()) && "InternalError".equals(e.getReason())
                && "Warning".equals(e.getType())));
        // retried: the failure is seen again within the backoff (a few seconds at first), and logged with its stack
        RealCluster.await("a retry in the log", TIMEOUT, () -> operator.output().split("KeystoreSet survive/boom: reconcile failed",
            -1).length > 2);
        assertTrue(operator.output().contains("fault injected for boom"), "the stack trace goes to the log");
        // other sets are not affected
        assertTrue(SetsInNamespace.ready(sets.get("boom")).isPresent());
    }

    /**
     * kube-apiserver and etcd are stopped (SIGSTOP: kube-api-test tears the whole server down when
     * either process exits, so they are frozen rather than killed) for 20 s while sets are being
     * issued, then continued: the operator, not restarted, rides out the timeouts and converges.
     */
    @Test
    void theOperatorConvergesAcrossAStoppedApiServerAndEtcdWithoutARestartOfItsOwn() throws Exception {
        List<ProcessHandle> servers = ProcessHandle.current().descendants().filter(p -> p.info().command()
            .map(c -> c.endsWith("/kube-apiserver") || c.endsWith("/etcd")).orElse(false)).toList();
        assertEquals(2, servers.size(), "one kube-apiserver and one etcd under this test: " + servers);
        for (int i = 1; i <= 4; i++) {
            client.resource(client.getKubernetesSerialization().unmarshal(yaml("api-" + i, ""), KeystoreSet.class)).create();
        }
        signal("-STOP", servers);
        try {
            Thread.sleep(20_000);
        } finally {
            signal("-CONT", servers);
        }
        for (int i = 1; i <= 4; i++) {
            sets.awaitReady("api-" + i);
            Map<String, byte[]> out = data("api-" + i + "-keystores");
            assertEquals(3, java.util.Set.of(key(out, "primary"), key(out, "tls"), key(out, "internal")).size());
            assertNotNull(data("api-" + i + "-keystores-internal"));
        }
        assertTrue(operator.process().isAlive(), "the operator was not restarted");
    }

    static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
    }
}

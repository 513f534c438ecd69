package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreEntry;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rotation and stability on a real API server, with kube-controller-manager for garbage
 * collection and Deployments: rotate tokens, the internal key across deletions, migration,
 * password change, zero churn across a restart, rollout.
 */
class LifecycleIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String NS = "life";
    static RealCluster cluster;
    static KubernetesClient client;
    static SetsInNamespace sets;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("LifecycleIT");
        client = cluster.client();
        sets = new SetsInNamespace(client, NS, TIMEOUT);
        cluster.createNamespace(NS);
        cluster.startControllerManager("LifecycleIT");
        cluster.startOperator("LifecycleIT");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Map<String, byte[]> data(String secret) {
        var s = client.secrets().inNamespace(NS).withName(secret).get();
        return s == null ? null : ManagedSecret.decode(s);
    }

    static byte[] key(Map<String, byte[]> data, String file, String password) throws Exception {
        byte[] bytes = data.get(file);
        return KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, password.toCharArray()).entries().stream()
            .filter(e -> e instanceof StoreEntry.KeyEntry).map(e -> ((StoreEntry.KeyEntry) e).key().getEncoded())
            .findFirst().orElseThrow();
    }

    static String password(Map<String, byte[]> data) {
        return new String(data.get("password"), StandardCharsets.UTF_8);
    }

    static void annotate(String name, String key, String value) {
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName(name), s -> {
            if (s.getMetadata().getAnnotations() == null) {
                s.getMetadata().setAnnotations(new java.util.HashMap<>());
            }
            s.getMetadata().getAnnotations().put(key, value);
            return s;
        });
    }

    @Test
    void rotateTlsTokenRotatesOnlyTlsAndRollsTheDeployment() throws Exception {
        client.apps().deployments().inNamespace(NS).resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app}
            spec:
              replicas: 1
              selector: {matchLabels: {app: app}}
              template:
                metadata: {labels: {app: app}}
                spec: {containers: [{name: app, image: example.invalid/app:1}]}
            """, Deployment.class)).create();
        KeystoreSet set = sets.create("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: rot, namespace: life, annotations: {keystore.dev/rotate-tls: "first"}}
            spec:
              primary: {}
              tls: {dnsNames: [rot.life.svc]}
              internal: {}
              rollout: [{kind: Deployment, name: app}]
            """);
        // a token present at creation is acted on once too
        assertEquals("first", set.getStatus().keystores.tls.rotationToken);
        long revision = set.getStatus().revision;
        RealCluster.await("rollout annotation", TIMEOUT, () -> Long.toString(revision).equals(client.apps().deployments()
            .inNamespace(NS).withName("app").get().getSpec().getTemplate().getMetadata().getAnnotations()
            .get("keystore.dev/revision")));
        String tls = set.getStatus().keystores.tls.sha256Fingerprint;
        String primary = set.getStatus().keystores.primary.sha256Fingerprint;
        String internal = set.getStatus().keystores.internal.sha256Fingerprint;
        Map<String, byte[]> before = data("rot-keystores");
        byte[] tlsKey = key(before, "tls.p12", password(before));

        annotate("rot", "keystore.dev/rotate-tls", "second");
        RealCluster.await("rotation token second", TIMEOUT,
            () -> "second".equals(sets.get("rot").getStatus().keystores.tls.rotationToken));
        KeystoreSet after = sets.get("rot");
        assertNotEquals(tls, after.getStatus().keystores.tls.sha256Fingerprint);
        assertEquals(primary, after.getStatus().keystores.primary.sha256Fingerprint);
        assertEquals(internal, after.getStatus().keystores.internal.sha256Fingerprint);
        assertEquals(revision + 1, after.getStatus().revision);
        assertFalse(java.util.Arrays.equals(tlsKey, key(data("rot-keystores"), "tls.p12", password(before))),
            "a new tls key pair");
        assertEquals("second", after.getMetadata().getAnnotations().get("keystore.dev/rotate-tls"),
            "the annotation is never removed");
        RealCluster.await("rollout to the new revision", TIMEOUT, () -> Long.toString(revision + 1).equals(client.apps()
            .deployments().inNamespace(NS).withName("app").get().getSpec().getTemplate().getMetadata().getAnnotations()
            .get("keystore.dev/revision")));
        RealCluster.await("a new ReplicaSet", TIMEOUT,
            () -> client.apps().replicaSets().inNamespace(NS).list().getItems().size() >= 2);

        // the same token again changes nothing
        annotate("rot", "unrelated", "poke");
        Thread.sleep(3000);
        assertEquals(revision + 1, sets.get("rot").getStatus().revision);
    }

    @Test
    void rotatePrimaryIsRefusedWhilePrimaryStandsInForInternal() {
        KeystoreSet set = sets.create("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: standin, namespace: life}
            spec:
              primary: {}
            """);
        String primary = set.getStatus().keystores.primary.sha256Fingerprint;
        annotate("standin", "keystore.dev/rotate-primary", "now");
        RealCluster.await("a Refused event", TIMEOUT, () -> client.v1().events().inNamespace(NS).list().getItems()
            .stream().anyMatch(e -> "standin".equals(e.getInvolvedObject().getName())
                && "Refused".equals(e.getReason()) && e.getMessage().contains("stands in for the internal key")));
        assertEquals(primary, sets.get("standin").getStatus().keystores.primary.sha256Fingerprint);
    }

    @Test
    void theInternalKeySurvivesDeletingTheSetAndMigrationKeepsIt() throws Exception {
        String yaml = """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: keep, namespace: life}
            spec:
              primary: {}
            """;
        sets.create(yaml);
        byte[] primaryKey = key(data("keep-keystores"), "primary.p12", password(data("keep-keystores")));

        client.resources(KeystoreSet.class).inNamespace(NS).withName("keep").delete();
        RealCluster.await("owned Secrets collected", TIMEOUT, () -> data("keep-keystores") == null);
        assertTrue(data("keep-keystores-internal") != null, "the -internal Secret outlives the set");

        sets.create(yaml);
        assertArrayEquals(primaryKey, key(data("keep-keystores"), "primary.p12", password(data("keep-keystores"))),
            "a re-created set picks the same key back up");

        // migration: adding internal turns the old primary key into the internal one
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName("keep"), s -> {
            s.getSpec().internal = new dev.keystore.operator.api.v1alpha1.SlotSpec();
            return s;
        });
        sets.awaitReady("keep");
        Map<String, byte[]> migrated = data("keep-keystores");
        assertArrayEquals(primaryKey, key(migrated, "internal.p12", password(migrated)));
        assertFalse(java.util.Arrays.equals(primaryKey, key(migrated, "primary.p12", password(migrated))));
        RealCluster.await("a migration event", TIMEOUT, () -> client.v1().events().inNamespace(NS).list().getItems()
            .stream().anyMatch(e -> "keep".equals(e.getInvolvedObject().getName())
                && e.getMessage().contains("now serves as the internal key")));

        // -internal deleted while the output exists: re-created from it
        client.secrets().inNamespace(NS).withName("keep-keystores-internal").delete();
        RealCluster.await("-internal re-created", TIMEOUT, () -> data("keep-keystores-internal") != null);
        Map<String, byte[]> after = data("keep-keystores");
        assertArrayEquals(primaryKey, key(after, "internal.p12", password(after)));

        // changing the internal key's size is refused, and the stores stay
        String rv = client.secrets().inNamespace(NS).withName("keep-keystores").get().getMetadata().getResourceVersion();
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName("keep"), s -> {
            s.getSpec().internal.privateKey = new dev.keystore.operator.api.v1alpha1.PrivateKeySpec();
            s.getSpec().internal.privateKey.size = 4096;
            return s;
        });
        RealCluster.await("InternalKeyImmutable", TIMEOUT, () -> SetsInNamespace.ready(sets.get("keep"))
            .map(c -> "InternalKeyImmutable".equals(c.getReason())).orElse(false));
        assertEquals(rv, client.secrets().inNamespace(NS).withName("keep-keystores").get().getMetadata().getResourceVersion());
    }

    @Test
    void aPasswordChangeReEncryptsWithTheSameKeys() throws Exception {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("pw").endMetadata()
            .addToStringData("password", "first-Password-1").build()).create();
        sets.create("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: pwc, namespace: life}
            spec:
              passwordSecretRef: {name: pw}
              tls: {privateKey: {rotationPolicy: Never}}
            """);
        byte[] tlsKey = key(data("pwc-keystores"), "tls.p12", "first-Password-1");
        client.secrets().inNamespace(NS).withName("pw").edit(s -> {
            s.setData(null);
            s.setStringData(Map.of("password", "second-Password-2"));
            return s;
        });
        RealCluster.await("revision 2", TIMEOUT, () -> sets.get("pwc").getStatus().revision == 2L);
        Map<String, byte[]> after = data("pwc-keystores");
        assertArrayEquals(tlsKey, key(after, "tls.p12", "second-Password-2"), "same key, new password");
        assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.read(KeystoreCodec.detect(after.get("tls.p12")), after.get("tls.p12"),
                "first-Password-1".toCharArray()));
        assertNull(after.get("password"));
    }

    @Test
    void anIdleSetCausesNoWritesAcrossResyncsARestartAndANoOpEdit() throws Exception {
        sets.create("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: idle, namespace: life}
            spec:
              primary: {}
              tls: {}
            """);
        Map<String, String> versions = new java.util.HashMap<>();
        for (String s : new String[] {"idle-keystores", "idle-keystores-ca", "idle-keystores-internal"}) {
            versions.put(s, client.secrets().inNamespace(NS).withName(s).get().getMetadata().getResourceVersion());
        }
        long revision = sets.get("idle").getStatus().revision;

        cluster.stopOperator();
        cluster.startOperator("LifecycleIT");
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName("idle"), s -> {
            s.getSpec().mountPath = "/etc/keystores";     // the default: no change to any file
            return s;
        });
        sets.awaitReady("idle");
        for (int i = 0; i < 3; i++) {
            annotate("idle", "poke", Integer.toString(i));
            Thread.sleep(1000);
        }
        sets.awaitReady("idle");
        for (var e : versions.entrySet()) {
            assertEquals(e.getValue(), client.secrets().inNamespace(NS).withName(e.getKey()).get().getMetadata()
                .getResourceVersion(), e.getKey() + " was rewritten");
        }
        assertEquals(revision, sets.get("idle").getStatus().revision);
    }

    @Test
    void caReplacementKeepsEveryClientWorkingFromOneStepToTheNext() throws Exception {
        // a CA of 90 s: replaced at 60 s, leaves move after a grace of 4.5 s, the old CA leaves 4.5 s later
        sets.create("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: overlap, namespace: life}
            spec:
              issuer: {selfSigned: {duration: 90s}}
              tls: {dnsNames: [overlap.life.svc], privateKey: {algorithm: EC, size: 256}}
            """);
        java.util.List<Map<String, byte[]>> steps = new java.util.ArrayList<>();
        steps.add(data("overlap-keystores"));
        byte[] firstCa = steps.get(0).get("ca.crt");
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        boolean done = false;
        while (!done && System.nanoTime() < deadline) {
            Thread.sleep(200);
            Map<String, byte[]> now = data("overlap-keystores");
            Map<String, byte[]> last = steps.get(steps.size() - 1);
            if (!java.util.Arrays.equals(now.get("tls.p12"), last.get("tls.p12"))
                || !java.util.Arrays.equals(now.get("truststore.p12"), last.get("truststore.p12"))) {
                steps.add(now);
            }
            Map<String, byte[]> ca = data("overlap-keystores-ca");
            done = !java.util.Arrays.equals(now.get("ca.crt"), firstCa) && !ca.containsKey("next.crt")
                && !ca.containsKey("previous.crt");
        }
        assertTrue(done, "the CA replacement did not finish: " + steps.size() + " steps seen");
        assertTrue(steps.size() >= 3, "steps: " + steps.size());
        for (int i = 0; i + 1 < steps.size(); i++) {
            char[] cpw = password(steps.get(i)).toCharArray();
            char[] spw = password(steps.get(i + 1)).toCharArray();
            var trust = dev.keystore.operator.testing.TlsPeers.load(steps.get(i).get("truststore.p12"), "PKCS12", cpw);
            var keys = dev.keystore.operator.testing.TlsPeers.load(steps.get(i + 1).get("tls.p12"), "PKCS12", spw);
            try (var server = new dev.keystore.operator.testing.TlsPeers.Server(
                dev.keystore.operator.testing.TlsPeers.context(keys, spw, null), false)) {
                assertEquals("hello anonymous", dev.keystore.operator.testing.TlsPeers.call(
                    dev.keystore.operator.testing.TlsPeers.context(null, null, trust), "overlap.life.svc", server.port()),
                    "client of step " + i + " to server of step " + (i + 1));
            }
        }
    }
}

package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.SecretTemplate;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.dependent.SecretMetadataTemplate;
import dev.keystore.operator.keystore.Pkcs12Profile;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a real API server: {@code spec.secretTemplate} on the output Secret, {@code pkcs12Profile}, and a
 * TrustBundle distributed into the namespaces that match its selector and accept it.
 */
class SecretTemplateAndDistributionIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static RealCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("SecretTemplateAndDistributionIT");
        client = cluster.client();
        cluster.createNamespace("tpl");
        cluster.startOperator("SecretTemplateAndDistributionIT");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static KeystoreSet set(String ns, String name) {
        return client.resources(KeystoreSet.class).inNamespace(ns).withName(name).get();
    }

    static Optional<Condition> ready(KeystoreSet set) {
        if (set == null || set.getStatus() == null || set.getStatus().conditions == null) {
            return Optional.empty();
        }
        return set.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    static Secret secret(String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    static Map<String, String> labels(Secret s) {
        return Optional.ofNullable(s.getMetadata().getLabels()).orElse(Map.of());
    }

    static Map<String, String> annotations(Secret s) {
        return Optional.ofNullable(s.getMetadata().getAnnotations()).orElse(Map.of());
    }

    static void editTemplate(String name, Map<String, String> labels, Map<String, String> annotations) {
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace("tpl").withName(name), s -> {
            s.getSpec().secretTemplate = new SecretTemplate();
            s.getSpec().secretTemplate.labels = labels;
            s.getSpec().secretTemplate.annotations = annotations;
            return s;
        });
    }

    @Test
    void theTemplateIsKeptAcrossRewritesItsDroppedKeysGoAndTheOperatorsOwnLabelsCannotBeTaken() throws Exception {
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: pay, namespace: tpl}
            spec:
              pkcs12Profile: Legacy
              secretTemplate:
                labels: {backup: daily, tier: gold}
                annotations: {team: payments}
              tls: {dnsNames: [pay.tpl.svc], privateKey: {algorithm: EC}, pkcs12Profile: Modern}
              internal: {}
            """, KeystoreSet.class)).create();
        RealCluster.await("pay Ready", TIMEOUT, () -> ready(set("tpl", "pay")).map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        Secret first = secret("tpl", "pay-keystores");
        assertEquals("daily", labels(first).get("backup"));
        assertEquals("gold", labels(first).get("tier"));
        assertEquals(ManagedSecret.MANAGED_BY, labels(first).get(ManagedSecret.MANAGED_BY_LABEL));
        assertEquals("pay", labels(first).get(ManagedSecret.SET_LABEL));
        assertEquals("payments", annotations(first).get("team"));
        assertEquals("backup,tier", annotations(first).get(SecretMetadataTemplate.LABELS_RECORD));
        Map<String, byte[]> data = ManagedSecret.decode(first);
        assertEquals(Optional.of(Pkcs12Profile.LEGACY), Pkcs12Profile.of(data.get("internal.p12")), "set-wide Legacy");
        assertEquals(Optional.of(Pkcs12Profile.MODERN), Pkcs12Profile.of(data.get("tls.p12")), "the slot's override");
        long revision = set("tpl", "pay").getStatus().revision;

        // someone else labels the Secret; the template changes: one key dropped, one changed, the annotation dropped
        RealCluster.edit(client.secrets().inNamespace("tpl").withName("pay-keystores"), s -> {
            s.getMetadata().getLabels().put("replicator", "on");
            return s;
        });
        editTemplate("pay", Map.of("backup", "weekly"), null);
        RealCluster.await("template change on the Secret", TIMEOUT, () -> "weekly".equals(labels(secret("tpl",
            "pay-keystores")).get("backup")));
        Secret second = secret("tpl", "pay-keystores");
        assertFalse(labels(second).containsKey("tier"), "a label dropped from the template is removed");
        assertFalse(annotations(second).containsKey("team"), "an annotation dropped from the template is removed");
        assertFalse(annotations(second).containsKey(SecretMetadataTemplate.ANNOTATIONS_RECORD));
        assertEquals("on", labels(second).get("replicator"), "a label the template never set is kept");
        assertEquals(ManagedSecret.MANAGED_BY, labels(second).get(ManagedSecret.MANAGED_BY_LABEL));
        assertTrue(ManagedSecret.sameData(data, ManagedSecret.decode(second)), "labels only: the data is untouched");
        Thread.sleep(2000);
        assertEquals(revision, set("tpl", "pay").getStatus().revision, "a label change is not a new revision");

        // a rewrite of the data (a rotation token) keeps the template
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace("tpl").withName("pay"), s -> {
            s.getMetadata().setAnnotations(Map.of("keystore.dev/rotate-tls", "t1"));
            return s;
        });
        RealCluster.await("rotation", TIMEOUT, () -> set("tpl", "pay").getStatus().revision > revision);
        Secret third = secret("tpl", "pay-keystores");
        assertFalse(java.util.Arrays.equals(data.get("tls.p12"), ManagedSecret.decode(third).get("tls.p12")));
        assertEquals("weekly", labels(third).get("backup"));
        assertEquals("on", labels(third).get("replicator"));

        // the operator's own labels cannot be taken: InvalidSpec naming the key, the Secret untouched
        String rv = third.getMetadata().getResourceVersion();
        editTemplate("pay", Map.of("backup", "weekly", ManagedSecret.SET_LABEL, "other"), null);
        RealCluster.await("pay Ready=False", TIMEOUT, () -> ready(set("tpl", "pay"))
            .map(c -> "False".equals(c.getStatus()) && "InvalidSpec".equals(c.getReason())).orElse(false));
        Condition c = ready(set("tpl", "pay")).orElseThrow();
        assertTrue(c.getMessage().contains("spec.secretTemplate.labels") && c.getMessage().contains(ManagedSecret.SET_LABEL),
            c.getMessage());
        assertEquals(rv, secret("tpl", "pay-keystores").getMetadata().getResourceVersion(), "the last good Secret is untouched");
        RealCluster.await("a Warning Event naming the key", TIMEOUT, () -> client.v1().events().inNamespace("tpl").list()
            .getItems().stream().anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage() != null
                && e.getMessage().contains(ManagedSecret.SET_LABEL + " belongs to the operator")));

        // the template removed altogether: its keys go, the record goes, the rest stays
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace("tpl").withName("pay"), s -> {
            s.getSpec().secretTemplate = null;
            return s;
        });
        RealCluster.await("template gone from the Secret", TIMEOUT, () -> !labels(secret("tpl", "pay-keystores"))
            .containsKey("backup"));
        Secret last = secret("tpl", "pay-keystores");
        assertNull(annotations(last).get(SecretMetadataTemplate.LABELS_RECORD));
        assertEquals("on", labels(last).get("replicator"));
        assertEquals("pay", labels(last).get(ManagedSecret.SET_LABEL));
        assertArrayEquals(ManagedSecret.decode(third).get("tls.p12"), ManagedSecret.decode(last).get("tls.p12"));
    }
}

package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.dependent.ManagedSecret;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records found by label, the rename, a conflict, a type change cut short, and an unexpected failure (mock API server). */
@EnableKubernetesMockClient(crud = true)
class RecordsSyncTest {
    static KubernetesClient client;
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    static KeystoreSetSync sync() {
        return new KeystoreSetSync(client, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    }

    static KeystoreSet threeSlots(String name) {
        KeystoreSet set = KeystoreSetSyncTest.jksSet(name);
        set.getSpec().internal = new SlotSpec();
        return set;
    }

    static Condition ready(KeystoreSetSync.Result r) {
        return KeystoreSetSyncTest.ready(r);
    }

    static java.util.List<String> eventsOn(String name) {
        return client.v1().events().inNamespace("test").list().getItems().stream()
            .filter(e -> name.equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
    }

    static Secret secret(String name) {
        return client.secrets().inNamespace("test").withName(name).get();
    }

    static Map<String, byte[]> data(String name) {
        return ManagedSecret.decode(secret(name));
    }

    @Test
    void recordsAreLabelledAndARenameKeepsThemAndTheOldOutput() {
        KeystoreSet set = threeSlots("ren");
        KeystoreSetSync.Result first = sync().reconcile(set);
        assertEquals("True", ready(first).getStatus());
        assertEquals("internal", secret("ren-keystores-internal").getMetadata().getLabels().get(ManagedSecret.RECORD_LABEL));
        assertEquals("ca", secret("ren-keystores-ca").getMetadata().getLabels().get(ManagedSecret.RECORD_LABEL));
        Map<String, byte[]> before = data("ren-keystores");

        set.setStatus(first.status());
        set.getSpec().secretName = "ren-new";
        KeystoreSetSync.Result renamed = sync().reconcile(set);
        assertEquals("True", ready(renamed).getStatus(), ready(renamed).getMessage());
        assertEquals("ren-new", renamed.status().secretName);
        Map<String, byte[]> after = data("ren-new");
        for (String file : before.keySet()) {
            assertArrayEquals(before.get(file), after.get(file), file + ": the new output is written from the old one");
        }
        assertNotNull(secret("ren-keystores"), "the old output is left in place");
        assertNull(secret("ren-new-internal"));
        assertNull(secret("ren-new-ca"));
        assertTrue(eventsOn("ren").contains("SecretRenamed"));
    }

    @Test
    void twoRecordsOfOneRoleWithDifferentKeysAreASecretConflictNamingBoth() {
        KeystoreSet set = threeSlots("two");
        KeystoreSetSync.Result first = sync().reconcile(set);
        set.setStatus(first.status());
        String rv = secret("two-keystores").getMetadata().getResourceVersion();
        Map<String, String> data = new HashMap<>(secret("two-keystores-internal").getData());
        data.put("tls.key", secret("two-keystores-ca").getData().get("tls.key"));
        data.put("tls.crt", secret("two-keystores-ca").getData().get("tls.crt"));
        client.secrets().inNamespace("test").resource(new SecretBuilder().withNewMetadata().withName("two-backup")
            .addToLabels(ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY).addToLabels(ManagedSecret.SET_LABEL, "two")
            .addToLabels(ManagedSecret.RECORD_LABEL, "internal").endMetadata().withData(data).build()).create();
        KeystoreSetSync.Result conflict = sync().reconcile(set);
        assertEquals("SecretConflict", ready(conflict).getReason());
        assertTrue(ready(conflict).getMessage().contains("two-keystores-internal")
            && ready(conflict).getMessage().contains("two-backup"), ready(conflict).getMessage());
        assertEquals(rv, secret("two-keystores").getMetadata().getResourceVersion());

        // the same keys under two names are one record: no conflict
        client.secrets().inNamespace("test").withName("two-backup").edit(s -> {
            s.setData(secret("two-keystores-internal").getData());
            return s;
        });
        assertEquals("True", ready(sync().reconcile(set)).getStatus());
    }

    @Test
    void aTypeChangeCutShortIsFinishedFromTheCopy() {
        KeystoreSet set = threeSlots("typed");
        KeystoreSetSync.Result first = sync().reconcile(set);
        set.setStatus(first.status());
        Secret ca = secret("typed-keystores-ca");
        // as a crash after the copy was written and the original deleted would leave it
        Map<String, String> labels = new HashMap<>(ca.getMetadata().getLabels());
        labels.put(ManagedSecret.REPLACING_LABEL, "typed-keystores-ca");
        client.secrets().inNamespace("test").resource(new SecretBuilder().withNewMetadata().withName("typed-keystores-ca-replacing")
            .withLabels(labels).endMetadata().withType(ca.getType()).withData(ca.getData()).build()).create();
        client.secrets().inNamespace("test").withName("typed-keystores-ca").delete();

        assertEquals("True", ready(sync().reconcile(set)).getStatus());
        assertEquals(ca.getData(), secret("typed-keystores-ca").getData(), "the CA came back from the copy, not anew");
        assertNull(secret("typed-keystores-ca-replacing"));

        // an Opaque -ca (as a set following another issuer leaves it) becomes kubernetes.io/tls without losing it
        Secret now = secret("typed-keystores-ca");
        client.secrets().inNamespace("test").withName("typed-keystores-ca").delete();
        client.secrets().inNamespace("test").resource(new SecretBuilder(now).editMetadata().withResourceVersion(null)
            .endMetadata().withType("Opaque").build()).create();
        assertEquals("True", ready(sync().reconcile(set)).getStatus());
        assertEquals("kubernetes.io/tls", secret("typed-keystores-ca").getType());
        assertEquals(ca.getData().get("tls.key"), secret("typed-keystores-ca").getData().get("tls.key"));
        assertNull(secret("typed-keystores-ca-replacing"));
    }

    @Test
    void anUnexpectedExceptionIsReadyFalseInternalErrorWithoutAStackTrace() {
        KeystoreSet set = threeSlots("boom");
        KeystoreSetSync failing = new KeystoreSetSync(client, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom(), type -> {
            throw new IllegalArgumentException("a library said no");
        });
        KeystoreSetSync.Result r = failing.reconcile(set);
        Condition ready = ready(r);
        assertEquals("False", ready.getStatus());
        assertEquals("InternalError", ready.getReason());
        assertTrue(ready.getMessage().contains("java.lang.IllegalArgumentException"), ready.getMessage());
        assertFalse(ready.getMessage().contains("a library said no") || ready.getMessage().contains("\n"), ready.getMessage());
        assertTrue(r.requeueAfter().compareTo(java.time.Duration.ofMinutes(5)) <= 0, "retried within 5 minutes");
        assertTrue(eventsOn("boom").contains("InternalError"));
        assertNull(secret("boom-keystores"), "nothing half-written stands for an output");
    }

    @Test
    void aRecordAddedUnderAnotherNameIsLookedAtButTheOperatorsOwnWritesAreNot() {
        Secret restored = new SecretBuilder().withNewMetadata().withName("x-backup").withNamespace("test")
            .addToLabels(ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY).addToLabels(ManagedSecret.SET_LABEL, "x")
            .addToLabels(ManagedSecret.RECORD_LABEL, "internal").endMetadata().build();
        assertFalse(KeystoreSetReconciler.writtenForItsOwnSet(restored, java.util.List.of()));
        KeystoreSet x = threeSlots("x");
        Secret own = new SecretBuilder(restored).editMetadata().withName("x-keystores-internal").endMetadata().build();
        assertTrue(KeystoreSetReconciler.writtenForItsOwnSet(own, java.util.List.of(x)));
    }
}

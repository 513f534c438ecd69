package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.KeystoreSetStatus;
import dev.keystore.operator.dependent.ManagedSecret;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which informer events reach the reconciler, and what the informer caches keep. */
class EventFilterTest {

    static KeystoreSet set(String name, long generation, Map<String, String> annotations) {
        KeystoreSet set = new KeystoreSet();
        set.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(generation)
            .withAnnotations(annotations).withResourceVersion("1").build());
        return set;
    }

    static Secret managed(String name, String forSet) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("ns")
            .addToLabels(ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY).addToLabels(ManagedSecret.SET_LABEL, forSet)
            .endMetadata().build();
    }

    @Test
    void aSetsOwnStatusWriteIsNotReconciledButWhatItActsOnIs() {
        SetInputChange filter = new SetInputChange();
        KeystoreSet before = set("a", 1, Map.of());
        KeystoreSet statusWritten = set("a", 1, Map.of());
        statusWritten.getMetadata().setResourceVersion("2");
        statusWritten.setStatus(new KeystoreSetStatus());
        statusWritten.getStatus().revision = 1L;
        assertFalse(filter.accept(statusWritten, before));

        assertTrue(filter.accept(set("a", 2, Map.of()), before), "a spec change");
        assertTrue(filter.accept(set("a", 1, Map.of(KeystoreSetSync.ROTATE_TLS, "t1")), before), "a rotation token");
        KeystoreSet labelled = set("a", 1, Map.of());
        labelled.getMetadata().setLabels(Map.of("team", "x"));
        assertTrue(filter.accept(labelled, before));
        KeystoreSet deleting = set("a", 1, Map.of());
        deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        assertTrue(filter.accept(deleting, before));
    }

    @Test
    void theCreationOfASecretWrittenForItsOwnSetIsNotAnEventButOneAnotherSetReadsIs() {
        Secret output = managed("a-keystores", "a");
        assertTrue(KeystoreSetReconciler.writtenForItsOwnSet(output, List.of(set("a", 1, Map.of()))));
        assertTrue(KeystoreSetReconciler.writtenForItsOwnSet(output, List.of()), "the set is not cached yet");
        // set b signs with a's output Secret (issuer.ca.secretRef): b must hear of it
        assertFalse(KeystoreSetReconciler.writtenForItsOwnSet(output,
            List.of(set("a", 1, Map.of()), set("b", 1, Map.of()))));
        // a Secret someone else wrote, e.g. a password or CA a set references
        Secret password = new SecretBuilder().withNewMetadata().withName("pw").withNamespace("ns").endMetadata().build();
        assertFalse(KeystoreSetReconciler.writtenForItsOwnSet(password, List.of(set("a", 1, Map.of()))));
        assertFalse(KeystoreSetReconciler.writtenForItsOwnSet(password, List.of()));
    }

    @Test
    void informerCachesKeepIdentityAndLabelsButNoContent() {
        MetadataOnlyStore<Secret> store = new MetadataOnlyStore<>(Secret::new);
        Secret secret = new SecretBuilder().withNewMetadata().withName("app").withNamespace("ns").withUid("u1")
            .withResourceVersion("7").addToLabels("app", "x")
            .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"token\":\"c2VjcmV0\"}}")
            .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").build()).endMetadata()
            .withType("Opaque").addToData("token", "c2VjcmV0").addToStringData("user", "me").build();

        store.put(store.getKey(secret), secret);

        Secret cached = store.get("ns/app");
        assertEquals("app", cached.getMetadata().getName());
        assertEquals("ns", cached.getMetadata().getNamespace());
        assertEquals("u1", cached.getMetadata().getUid());
        assertEquals("7", cached.getMetadata().getResourceVersion());
        assertEquals(Map.of("app", "x"), cached.getMetadata().getLabels());
        assertTrue(cached.getData() == null || cached.getData().isEmpty(), "data cached");
        assertTrue(cached.getStringData() == null || cached.getStringData().isEmpty(), "stringData cached");
        assertTrue(cached.getMetadata().getAnnotations() == null || cached.getMetadata().getAnnotations().isEmpty());
        assertTrue(cached.getMetadata().getManagedFields() == null || cached.getMetadata().getManagedFields().isEmpty());
        assertEquals("c2VjcmV0", secret.getData().get("token"), "the watched object itself is left as it was");
        assertEquals(1, store.size());
    }
}

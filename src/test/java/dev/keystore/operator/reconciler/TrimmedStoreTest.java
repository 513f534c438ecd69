package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.quarkiverse.operatorsdk.runtime.QuarkusControllerConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The primary caches (KeystoreSets, TrustBundles) keep what a reconcile reads and drop managedFields
 * and kubectl's last-applied-configuration, with a store of their own per namespace informer.
 */
@EnableKubernetesMockClient(crud = true)
class TrimmedStoreTest {
    static KubernetesClient client;

    static KeystoreSet applied(String ns, String resourceVersion, long revision) {
        KeystoreSet set = client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata:
              name: apim
              labels: {app.kubernetes.io/part-of: apim}
              annotations:
                keystore.dev/rotate-tls: t1
                kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"keystore.dev/v1alpha1","kind":"KeystoreSet"}'
              finalizers: [example.com/hold]
            spec:
              tls: {dnsNames: [apim.example.com]}
            status:
              secretName: apim-keystores
            """, KeystoreSet.class);
        set.getMetadata().setNamespace(ns);
        set.getMetadata().setUid("uid-" + ns);
        set.getMetadata().setGeneration(3L);
        set.getMetadata().setResourceVersion(resourceVersion);
        set.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
            .withName("owner").withUid("o-1").build()));
        set.getMetadata().setManagedFields(new ArrayList<>(List.of(
            new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply").withOperation("Update").build())));
        set.getStatus().revision = revision;
        return set;
    }

    static void assertTrimmedButWhole(KeystoreSet cached, String ns) {
        assertTrue(cached.getMetadata().getManagedFields() == null || cached.getMetadata().getManagedFields().isEmpty());
        assertEquals(Map.of("keystore.dev/rotate-tls", "t1"), cached.getMetadata().getAnnotations());
        assertEquals(Map.of("app.kubernetes.io/part-of", "apim"), cached.getMetadata().getLabels());
        assertEquals(List.of("example.com/hold"), cached.getMetadata().getFinalizers());
        assertEquals("o-1", cached.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("uid-" + ns, cached.getMetadata().getUid());
        assertEquals(3L, cached.getMetadata().getGeneration());
        assertEquals(List.of("apim.example.com"), cached.getSpec().tls.dnsNames);
        assertEquals("apim-keystores", cached.getStatus().secretName);
    }

    @Test
    void aCachedSetKeepsWhatAReconcileReadsAndNotTheServersBookkeeping() {
        TrimmedStore<KeystoreSet> store = new TrimmedStore<>();
        KeystoreSet set = applied("wso2", "10", 1);
        store.put(store.getKey(set), set);
        KeystoreSet cached = store.get("wso2/apim");
        assertTrimmedButWhole(cached, "wso2");
        assertEquals("10", cached.getMetadata().getResourceVersion());
        assertSame(set, cached, "trimmed in place: the event handlers get the object the store holds");
    }

    /**
     * fabric8 stores the new state, then gives the handlers (old as stored, new as delivered): the
     * operator's own status write, delivered with kubectl's annotation, is still no input change.
     */
    @Test
    void aStatusWriteIsNoInputChangeWhenBothSidesAreTrimmed() {
        TrimmedStore<KeystoreSet> store = new TrimmedStore<>();
        KeystoreSet v1 = applied("wso2", "10", 1);
        store.put(store.getKey(v1), v1);
        KeystoreSet v2 = applied("wso2", "11", 2);
        KeystoreSet old = store.put(store.getKey(v2), v2);
        assertSame(v1, old);
        assertFalse(new SetInputChange().accept(v2, old));
        KeystoreSet rotated = applied("wso2", "12", 2);
        rotated.getMetadata().getAnnotations().put("keystore.dev/rotate-tls", "t2");
        assertTrue(new SetInputChange().accept(rotated, store.put(store.getKey(rotated), rotated)));
    }

    @Test
    void theRegisteredConfigurationHandsEachInformerATrimmedStoreOfItsOwnAndKeepsTheRest() {
        var filter = new SetInputChange();
        var informer = InformerConfiguration.builder(KeystoreSet.class).withName("keystoreset")
            .withNamespaces(Set.of("team-a", "team-b")).withOnUpdateFilter(filter).withLabelSelector("tier=1").build();
        var retry = GenericRetry.defaultLimitedExponentialRetry();
        var original = new QuarkusControllerConfiguration<>(informer, "keystoreset", false,
            KeystoreSetReconciler.class.getName(), retry, null, Duration.ofHours(10), "keystore.dev/finalizer", "keystore-operator",
            null, "keystoresets.keystore.dev", KeystoreSet.class);
        assertNull(original.getInformerConfig().getItemStore(), "the extension's configuration has no store of its own");

        var registered = PrimaryCaches.trimmed(original, null);
        ItemStore<KeystoreSet> first = registered.getInformerConfig().getItemStore();
        ItemStore<KeystoreSet> second = registered.getInformerConfig().getItemStore();
        assertTrue(first instanceof TrimmedStore<KeystoreSet>);
        assertNotSame(first, second);
        assertEquals("keystoreset", registered.getName());
        assertEquals(Set.of("team-a", "team-b"), registered.getInformerConfig().getNamespaces());
        assertEquals("tier=1", registered.getInformerConfig().getLabelSelector());
        assertSame(filter, registered.getInformerConfig().getOnUpdateFilter());
        assertSame(retry, registered.getRetry());
        assertFalse(registered.isGenerationAware());
        assertEquals(Duration.ofHours(10), registered.maxReconciliationInterval().orElseThrow());
        assertEquals("keystore.dev/finalizer", registered.getFinalizerName());
        assertEquals("keystore-operator", registered.fieldManager());
        assertEquals(KeystoreSet.class, registered.getResourceClass());
    }

    /** What the SDK does per namespace with the registered configuration, on a (mock) API server. */
    @Test
    void eachNamespacesInformerKeepsItsOwnTrimmedSets() throws Exception {
        for (String ns : List.of("team-a", "team-b")) {
            KeystoreSet set = applied(ns, null, 1);
            set.getMetadata().setUid(null);
            client.resources(KeystoreSet.class).inNamespace(ns).resource(set).create();
        }
        var registered = PrimaryCaches.trimmed(new QuarkusControllerConfiguration<>(
            InformerConfiguration.builder(KeystoreSet.class).withNamespaces(Set.of("team-a", "team-b")).build(), "keystoreset",
            false, KeystoreSetReconciler.class.getName(), null, null, Duration.ofHours(10), null, null, null,
            "keystoresets.keystore.dev", KeystoreSet.class), null);
        List<SharedIndexInformer<KeystoreSet>> informers = new ArrayList<>();
        List<KeystoreSet> added = new CopyOnWriteArrayList<>();
        try {
            for (String ns : List.of("team-a", "team-b")) {
                SharedIndexInformer<KeystoreSet> informer = client.resources(KeystoreSet.class).inNamespace(ns).runnableInformer(0);
                informer.itemStore(registered.getInformerConfig().getItemStore());
                informer.addEventHandler(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(KeystoreSet set) {
                        added.add(set);
                    }

                    @Override
                    public void onUpdate(KeystoreSet old, KeystoreSet set) {
                    }

                    @Override
                    public void onDelete(KeystoreSet set, boolean unknown) {
                    }
                });
                informers.add(informer);
                informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of("team-a/apim"), informers.get(0).getStore().listKeys());
            assertEquals(List.of("team-b/apim"), informers.get(1).getStore().listKeys());
            for (KeystoreSet cached : informers.get(0).getStore().list()) {
                assertTrue(cached.getMetadata().getManagedFields() == null || cached.getMetadata().getManagedFields().isEmpty());
                assertEquals(Map.of("keystore.dev/rotate-tls", "t1"), cached.getMetadata().getAnnotations());
                assertEquals(List.of("apim.example.com"), cached.getSpec().tls.dnsNames);
            }
            Eventually.await(() -> added.size() == 2);
            added.forEach(s -> assertEquals(Map.of("keystore.dev/rotate-tls", "t1"), s.getMetadata().getAnnotations()));
            var stored = client.resources(KeystoreSet.class).inNamespace("team-a").withName("apim").get();
            assertTrue(stored.getMetadata().getAnnotations().containsKey(TrimmedStore.LAST_APPLIED), "the server's copy is whole");
        } finally {
            informers.forEach(SharedIndexInformer::close);
        }
    }

    static final class Eventually {
        static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
            for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
                Thread.sleep(100);
            }
            assertTrue(condition.getAsBoolean());
        }
    }
}

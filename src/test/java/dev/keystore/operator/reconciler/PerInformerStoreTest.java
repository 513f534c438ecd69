package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * JOSDK makes one informer per watched namespace from one configuration; each must get a store of
 * its own, or one namespace's listing drops the others' entries from the shared cache.
 */
@EnableKubernetesMockClient(crud = true)
class PerInformerStoreTest {
    static KubernetesClient client;

    @Test
    void eachInformerGetsAStoreOfItsOwnAndTheRestOfTheConfigurationIsKept() {
        SecondaryToPrimaryMapper<Secret> mapper = s -> Set.of();
        var built = InformerEventSourceConfiguration.from(Secret.class, KeystoreSet.class).withName("secrets")
            .withLabelSelector("a=b").withOnAddFilter(s -> true).withSecondaryToPrimaryMapper(mapper).build();
        var configuration = MetadataOnlyStore.perInformer(built, Secret::new);
        ItemStore<Secret> first = configuration.getInformerConfig().getItemStore();
        ItemStore<Secret> second = configuration.getInformerConfig().getItemStore();
        assertTrue(first instanceof MetadataOnlyStore<Secret>);
        assertNotSame(first, second);
        assertEquals("secrets", configuration.name());
        assertEquals("a=b", configuration.getInformerConfig().getLabelSelector());
        assertSame(built.getInformerConfig().getOnAddFilter(), configuration.getInformerConfig().getOnAddFilter());
        assertSame(mapper, configuration.getSecondaryToPrimaryMapper());
        assertEquals(Secret.class, configuration.getResourceClass());
        assertEquals(MetadataOnlyStore.LIST_PAGE, configuration.getInformerConfig().getInformerListLimit(),
            "listings are paged: an unpaged LIST of every Secret ran a pod operator out of heap");
        var limited = InformerEventSourceConfiguration.from(Secret.class, KeystoreSet.class)
            .withInformerListLimit(7L).withSecondaryToPrimaryMapper(mapper).build();
        assertEquals(7L, MetadataOnlyStore.perInformer(limited, Secret::new).getInformerConfig().getInformerListLimit());
    }

    /**
     * What InformerManager does per namespace, with the stores the configuration hands out: once the
     * second namespace is listed, the first namespace's informer still has its Secret. (With one
     * store for both, fabric8's second listing removes every key it did not return: team-a's entry
     * is gone at that moment.)
     */
    @Test
    void aSecondNamespacesListingLeavesTheFirstNamespacesCacheWhole() throws Exception {
        for (String ns : List.of("team-a", "team-b")) {
            client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("partner-ca")
                .endMetadata().addToStringData("ca.crt", "x").build()).create();
        }
        var configuration = MetadataOnlyStore.perInformer(InformerEventSourceConfiguration.from(Secret.class, KeystoreSet.class)
            .withSecondaryToPrimaryMapper(s -> Set.of()).build(), Secret::new);
        List<SharedIndexInformer<Secret>> informers = new ArrayList<>();
        try {
            for (String ns : List.of("team-a", "team-b")) {
                SharedIndexInformer<Secret> informer = client.secrets().inNamespace(ns).runnableInformer(0);
                informer.itemStore(configuration.getInformerConfig().getItemStore());
                informers.add(informer);
                informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of("team-a/partner-ca"), informers.get(0).getStore().listKeys());
            assertEquals(List.of("team-b/partner-ca"), informers.get(1).getStore().listKeys());
            assertTrue(informers.get(0).getStore().getByKey("team-a/partner-ca").getData() == null
                || informers.get(0).getStore().getByKey("team-a/partner-ca").getData().isEmpty(), "metadata only");
        } finally {
            informers.forEach(SharedIndexInformer::close);
        }
    }
}

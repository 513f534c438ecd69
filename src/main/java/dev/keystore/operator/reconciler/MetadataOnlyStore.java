package dev.keystore.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An informer cache that keeps only the identity and labels of what it watches (no data, no
 * annotations such as kubectl's last-applied-configuration, no managedFields). The event mappers
 * read nothing else, and the reconcilers read Secret and ConfigMap content from the API server,
 * never from an informer: so an unrelated Secret in a watched namespace costs its name and labels,
 * not its data.
 */
final class MetadataOnlyStore<R extends HasMetadata> extends BasicItemStore<R> {
    /**
     * Objects per page of an informer's listing, unless its configuration sets another. Without a
     * limit the API server answers a LIST with every object at once, and the client holds the whole
     * response, data included, before a store keeps the metadata: the Secret informers watch every
     * Secret (inputs are any Secret), so a restart of a pod operator (256 MiB heap) against 1,200
     * sets and 10,000 other Secrets ran out of heap listing them, and the SDK stopped the operator
     * (hack/bench.sh, issue 23). A page is bounded by 50 times the API server's object size limit.
     */
    static final long LIST_PAGE = 50;

    private final Supplier<R> empty;

    /**
     * {@code configuration} (built without an item store) with a store of its own for each informer
     * it makes. JOSDK makes one informer per watched namespace and gives each the configuration's
     * one item store: shared, the first listing of one namespace removes the other namespaces'
     * entries (fabric8 drops every key its own listing did not return) and sends a delete event for
     * each, so with a namespace list (Helm {@code watchNamespaces}) the cache missed whole namespaces
     * and every relist reconciled their sets for nothing (issue 23).
     */
    static <R extends HasMetadata> InformerEventSourceConfiguration<R> perInformer(
        InformerEventSourceConfiguration<R> configuration, Supplier<R> empty) {
        InformerConfiguration<R> ownStores = storePerInformer(configuration.getInformerConfig(), () -> new MetadataOnlyStore<>(empty));
        return new InformerEventSourceConfiguration<>() {
            @Override
            public InformerConfiguration<R> getInformerConfig() {
                return ownStores;
            }

            @Override
            public SecondaryToPrimaryMapper<R> getSecondaryToPrimaryMapper() {
                return configuration.getSecondaryToPrimaryMapper();
            }

            @Override
            public <P extends HasMetadata> PrimaryToSecondaryMapper<P> getPrimaryToSecondaryMapper() {
                return configuration.getPrimaryToSecondaryMapper();
            }

            @Override
            public Optional<GroupVersionKind> getGroupVersionKind() {
                return configuration.getGroupVersionKind();
            }

            @Override
            public boolean followControllerNamespaceChanges() {
                return configuration.followControllerNamespaceChanges();
            }

            @Override
            public String name() {
                return configuration.name();
            }

            @Override
            public Optional<KubernetesClient> getKubernetesClient() {
                return configuration.getKubernetesClient();
            }
        };
    }

    /**
     * {@code c} (built without an item store), handing out a new store from {@code stores} each time
     * it is asked: JOSDK asks once for each informer it makes from a configuration. Its listings are
     * paged ({@link #LIST_PAGE} unless {@code c} sets a limit).
     */
    static <R extends HasMetadata> InformerConfiguration<R> storePerInformer(InformerConfiguration<R> c,
                                                                              Supplier<ItemStore<R>> stores) {
        if (c.getItemStore() != null) {
            throw new IllegalArgumentException("built with an item store already: " + c.getName());
        }
        return new InformerConfiguration<>(c.getResourceClass(), c.getName(), c.getNamespaces(),
            c.getFollowControllerNamespaceChanges(), c.getLabelSelector(), c.getOnAddFilter(), c.getOnUpdateFilter(),
            c.getOnDeleteFilter(), c.getGenericFilter(), null,
            c.getInformerListLimit() == null ? LIST_PAGE : c.getInformerListLimit(), c.getFieldSelector()) {
            @Override
            public ItemStore<R> getItemStore() {
                return stores.get();
            }
        };
    }

    MetadataOnlyStore(Supplier<R> empty) {
        super(Cache::metaNamespaceKeyFunc);
        this.empty = empty;
    }

    @Override
    public R put(String key, R resource) {
        return super.put(key, metadataOf(resource));
    }

    R metadataOf(R resource) {
        R copy = empty.get();
        ObjectMeta metadata = resource.getMetadata();
        copy.setMetadata(metadata == null ? null : new ObjectMetaBuilder().withName(metadata.getName())
            .withNamespace(metadata.getNamespace()).withUid(metadata.getUid())
            .withResourceVersion(metadata.getResourceVersion()).withGeneration(metadata.getGeneration())
            .withLabels(metadata.getLabels()).withOwnerReferences(metadata.getOwnerReferences())
            .withDeletionTimestamp(metadata.getDeletionTimestamp()).build());
        return copy;
    }
}

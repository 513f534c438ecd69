package dev.keystore.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.Supplier;

/**
 * An informer cache that keeps only the identity and labels of what it watches (no data, no
 * annotations such as kubectl's last-applied-configuration, no managedFields). The event mappers
 * read nothing else, and the reconcilers read Secret and ConfigMap content from the API server,
 * never from an informer: so an unrelated Secret in a watched namespace costs its name and labels,
 * not its data.
 */
final class MetadataOnlyStore<R extends HasMetadata> extends BasicItemStore<R> {
    private final Supplier<R> empty;

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

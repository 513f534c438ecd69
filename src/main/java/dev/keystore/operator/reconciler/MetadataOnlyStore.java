package dev.keystore.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/**
 * The informer cache for Secrets and ConfigMaps keeps only what maps an event to the resources that
 * use it: name, namespace, uid, resourceVersion, labels. Their content is read with a GET when a
 * reconcile needs it, so unrelated Secrets in a watched namespace cost a few hundred bytes each,
 * and no key material sits in the operator's heap between reconciles.
 */
final class MetadataOnlyStore<T extends HasMetadata> extends BasicItemStore<T> {
    private final UnaryOperator<T> slim;

    private MetadataOnlyStore(UnaryOperator<T> slim) {
        super(Cache::metaNamespaceKeyFunc);
        this.slim = slim;
    }

    static MetadataOnlyStore<Secret> secrets() {
        return new MetadataOnlyStore<>(s -> new SecretBuilder().withMetadata(meta(s.getMetadata())).withType(s.getType())
            .build());
    }

    static MetadataOnlyStore<ConfigMap> configMaps() {
        return new MetadataOnlyStore<>(c -> new ConfigMapBuilder().withMetadata(meta(c.getMetadata())).build());
    }

    private static ObjectMeta meta(ObjectMeta m) {
        return new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace()).withUid(m.getUid())
            .withResourceVersion(m.getResourceVersion()).withLabels(m.getLabels()).build();
    }

    @Override
    public T put(String key, T obj) {
        return super.put(key, slim.apply(obj));
    }
}

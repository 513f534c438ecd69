package dev.keystore.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.Map;

/**
 * The primary cache of a controller (KeystoreSets, TrustBundles): the whole resource but what no
 * reconcile reads and the API server keeps anyway, its managedFields and kubectl's
 * last-applied-configuration (a copy of the whole applied object). Together some 8 KiB per set of
 * Jackson maps (issue 23, bench/notes.md "Memory per set"). Status is written by a JSON Patch of
 * {@code /status} alone (StatusPatch), never by sending the cached object back, so the server's
 * copies of both stay as they are.
 *
 * <p>The object is trimmed in place, not copied: fabric8 puts the object a list or watch delivered
 * into the store before it hands that same object to the event handlers as the new state, so the
 * update filters compare a trimmed new state with a trimmed old one (an untrimmed new one would
 * differ in its annotations at every status write).
 */
final class TrimmedStore<R extends HasMetadata> extends BasicItemStore<R> {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    TrimmedStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public R put(String key, R resource) {
        return super.put(key, trim(resource));
    }

    static <R extends HasMetadata> R trim(R resource) {
        ObjectMeta metadata = resource.getMetadata();
        if (metadata != null) {
            if (metadata.getManagedFields() != null && !metadata.getManagedFields().isEmpty()) {
                metadata.setManagedFields(new ArrayList<>());
            }
            Map<String, String> annotations = metadata.getAnnotations();
            if (annotations != null) {
                annotations.remove(LAST_APPLIED);
            }
        }
        return resource;
    }
}

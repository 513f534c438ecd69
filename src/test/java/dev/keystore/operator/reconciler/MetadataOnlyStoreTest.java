package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataOnlyStoreTest {
    static void assertEmpty(Object value) {
        assertTrue(value == null || (value instanceof Map<?, ?> m && m.isEmpty()) || (value instanceof List<?> l && l.isEmpty()),
            String.valueOf(value));
    }

    @Test
    void aCachedSecretKeepsWhatMapsEventsAndNothingOfItsContent() {
        Secret full = new SecretBuilder().withNewMetadata().withName("web-tls").withNamespace("apps").withUid("u-1")
            .withResourceVersion("42").withLabels(Map.of("keystore.dev/keystoreset", "web"))
            .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"tls.key\":\"...\"}}"))
            .withManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build())).endMetadata()
            .withType("kubernetes.io/tls").withData(Map.of("tls.key", "UFJJVkFURQ==", "tls.crt", "Q0VSVA=="))
            .withStringData(Map.of("extra", "value")).build();
        MetadataOnlyStore<Secret> store = new MetadataOnlyStore<>(Secret::new);
        store.put(store.getKey(full), full);
        Secret cached = store.get("apps/web-tls");
        assertEmpty(cached.getData());
        assertEmpty(cached.getStringData());
        assertEmpty(cached.getMetadata().getAnnotations());
        assertEmpty(cached.getMetadata().getManagedFields());
        assertEquals("42", cached.getMetadata().getResourceVersion());
        assertEquals("u-1", cached.getMetadata().getUid());
        assertEquals(Map.of("keystore.dev/keystoreset", "web"), cached.getMetadata().getLabels());
        assertEquals(2, full.getData().size(), "the object the watch delivered is left as it was");
    }

    @Test
    void aCachedConfigMapKeepsNoData() {
        ConfigMap full = new ConfigMapBuilder().withNewMetadata().withName("roots").withNamespace("apps")
            .withResourceVersion("7").endMetadata().withData(Map.of("ca.crt", "-----BEGIN CERTIFICATE-----"))
            .withBinaryData(Map.of("bin", "AAEC")).build();
        MetadataOnlyStore<ConfigMap> store = new MetadataOnlyStore<>(ConfigMap::new);
        store.put(store.getKey(full), full);
        ConfigMap cached = store.get("apps/roots");
        assertEmpty(cached.getData());
        assertEmpty(cached.getBinaryData());
        assertEquals("7", cached.getMetadata().getResourceVersion());
    }
}

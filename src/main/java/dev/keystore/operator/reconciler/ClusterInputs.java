package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.plan.InputSource;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads a set's inputs from the API server, in the set's namespace; remembers the Secrets it read. */
final class ClusterInputs implements InputSource {
    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Optional<Secret>> secrets = new HashMap<>();

    ClusterInputs(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    Optional<Secret> secretObject(String name) {
        return secrets.computeIfAbsent(name,
            n -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(n).get()));
    }

    @Override
    public Optional<Map<String, byte[]>> secret(String name) {
        return secretObject(name).map(ManagedSecret::decode);
    }

    @Override
    public Optional<KeystoreSet> keystoreSet(String name) {
        return Optional.ofNullable(client.resources(KeystoreSet.class).inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Map<String, byte[]>> configMap(String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get()).map(cm -> {
            Map<String, byte[]> data = new HashMap<>();
            if (cm.getData() != null) {
                cm.getData().forEach((k, v) -> data.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            if (cm.getBinaryData() != null) {
                cm.getBinaryData().forEach((k, v) -> data.put(k, java.util.Base64.getDecoder().decode(v)));
            }
            return data;
        });
    }

    @Override
    public Optional<TrustBundle> trustBundle(String name) {
        return Optional.ofNullable(client.resources(TrustBundle.class).inNamespace(namespace).withName(name).get());
    }
}

package dev.keystore.operator.it;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;

/** The KeystoreSets of one test namespace: create, read, and wait for Ready of the current generation. */
record SetsInNamespace(KubernetesClient client, String namespace, Duration timeout) {
    KeystoreSet create(String yaml) {
        KeystoreSet set = client.getKubernetesSerialization().unmarshal(yaml, KeystoreSet.class);
        client.resource(set).create();
        return awaitReady(set.getMetadata().getName());
    }

    KeystoreSet get(String name) {
        return client.resources(KeystoreSet.class).inNamespace(namespace).withName(name).get();
    }

    static Optional<Condition> ready(KeystoreSet set) {
        if (set == null || set.getStatus() == null || set.getStatus().conditions == null) {
            return Optional.empty();
        }
        return set.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    KeystoreSet awaitReady(String name) {
        RealCluster.await(name + " Ready", timeout, () -> {
            KeystoreSet set = get(name);
            return ready(set).map(c -> "True".equals(c.getStatus())).orElse(false)
                && set.getStatus().observedGeneration.equals(set.getMetadata().getGeneration());
        });
        return get(name);
    }
}

package dev.keystore.operator.bench;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Watches every KeystoreSet and notes the moment each first shows Ready=True for its generation. */
final class ReadyWatch implements AutoCloseable {
    private final Map<String, CompletableFuture<Long>> ready = new ConcurrentHashMap<>();
    private final SharedIndexInformer<KeystoreSet> informer;

    ReadyWatch(KubernetesClient client) {
        informer = client.resources(KeystoreSet.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(KeystoreSet set) {
                seen(set);
            }

            @Override
            public void onUpdate(KeystoreSet before, KeystoreSet set) {
                seen(set);
            }

            @Override
            public void onDelete(KeystoreSet set, boolean unknown) {
            }
        });
    }

    static boolean isReady(KeystoreSet set) {
        return set.getStatus() != null && set.getStatus().conditions != null
            && set.getStatus().conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())
                && set.getMetadata().getGeneration().equals(c.getObservedGeneration()));
    }

    private void seen(KeystoreSet set) {
        if (isReady(set)) {
            long now = System.nanoTime();
            future(set.getMetadata().getNamespace(), set.getMetadata().getName()).complete(now);
        }
    }

    private CompletableFuture<Long> future(String namespace, String name) {
        return ready.computeIfAbsent(namespace + "/" + name, k -> new CompletableFuture<>());
    }

    /** System.nanoTime() when the set was first seen Ready. */
    long awaitReady(String namespace, String name, Duration timeout) throws Exception {
        try {
            return future(namespace, name).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("KeystoreSet " + namespace + "/" + name + " not Ready within " + timeout, e);
        }
    }

    /** How many sets of this namespace have been seen Ready. */
    long readyIn(String namespace) {
        return ready.entrySet().stream().filter(e -> e.getKey().startsWith(namespace + "/") && e.getValue().isDone()).count();
    }

    @Override
    public void close() {
        informer.close();
    }
}

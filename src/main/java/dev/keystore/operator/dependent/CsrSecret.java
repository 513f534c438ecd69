package dev.keystore.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <secretName>-csr} (issuer.external): one PEM CSR per slot waiting for its signature, key
 * {@code <slot>.csr}. Owned by the set; it holds no key (the pending keys live in the -internal
 * record), so it may be handed to whoever carries the requests to the CA. Removed when nothing waits.
 */
public final class CsrSecret extends ManagedSecret {
    /** Writes the CSRs, or deletes the Secret when there are none; returns whether it changed anything. */
    public boolean sync(KubernetesClient client, HasMetadata set, String name, Map<String, byte[]> csrs,
                        Optional<Secret> existing) {
        if (csrs.isEmpty()) {
            if (existing.isPresent()) {
                client.secrets().inNamespace(set.getMetadata().getNamespace()).withName(name).delete();
                return true;
            }
            return false;
        }
        return apply(client, set, name, csrs, existing);
    }
}

package dev.keystore.operator.inspect;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import dev.keystore.operator.dependent.StoredData;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads Secrets through the current kubeconfig (or in-cluster config). The client is built only
 * when {@code --secret} is given, so inspecting files never touches a cluster.
 */
public final class ClusterSecrets implements InspectCommand.SecretReader {
    @Override
    public Optional<InspectCommand.SecretData> read(String namespace, String name) throws IOException {
        // a command line answers at once: no retries with back-off against an unreachable server
        Config config = new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
            Secret secret = client.secrets().inNamespace(ns).withName(name).get();
            if (secret == null) {
                return Optional.empty();
            }
            return Optional.of(new InspectCommand.SecretData(ns, name, new TreeMap<>(StoredData.of(secret))));
        } catch (KubernetesClientException e) {
            if (e.getCode() > 0) {
                throw new IOException("HTTP " + e.getCode() + ": " + firstLine(e.getStatus() != null
                    && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
            }
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IOException(cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage()));
        }
    }

    private static String firstLine(String message) {
        return message == null ? "no message" : message.lines().findFirst().orElse(message);
    }
}

package dev.keystore.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A TrustBundle's ConfigMap ({@code ca-bundle.pem}, named like its Secret) and its copies in other
 * namespaces. Copies cannot have an owner reference (it would cross namespaces): they are labelled with
 * the bundle's namespace and name, found by those labels and removed by them. Nothing is written over an
 * object the operator does not own.
 */
public final class DistributedTrust {
    public static final String FROM_NAMESPACE_LABEL = "keystore.dev/distributed-from-namespace";
    public static final String FROM_LABEL = "keystore.dev/distributed-from";
    /** On a receiving namespace: the namespaces whose bundles it accepts, comma-separated. */
    public static final String ACCEPT_ANNOTATION = "keystore.dev/accept-trust-from";
    public static final String CONFIG_MAP_KEY = "ca-bundle.pem";
    /** On a bundle with a namespaceSelector: kept until its copies are removed. */
    public static final String FINALIZER = "keystore.dev/distributed-copies";

    public enum Written { UNCHANGED, WRITTEN, CONFLICT }

    private DistributedTrust() {
    }

    /** Whether a namespace's annotation lists the bundle's namespace. */
    public static boolean accepts(Namespace namespace, String bundleNamespace) {
        Map<String, String> annotations = namespace.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ACCEPT_ANNOTATION);
        if (value == null) {
            return false;
        }
        for (String ns : value.split(",")) {
            if (ns.strip().equals(bundleNamespace)) {
                return true;
            }
        }
        return false;
    }

    public static Map<String, String> copyLabels(HasMetadata bundle) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY);
        labels.put(FROM_NAMESPACE_LABEL, bundle.getMetadata().getNamespace());
        labels.put(FROM_LABEL, bundle.getMetadata().getName());
        return labels;
    }

    private static Map<String, String> localLabels(HasMetadata bundle) {
        return Map.of(ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY, ManagedSecret.BUNDLE_LABEL,
            bundle.getMetadata().getName());
    }

    private static boolean labelled(HasMetadata object, Map<String, String> labels) {
        Map<String, String> actual = object.getMetadata().getLabels();
        return actual != null && labels.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
    }

    /** Whether an object is a copy of this bundle (or, in the bundle's namespace, its own ConfigMap). */
    public static boolean isOurs(HasMetadata object, HasMetadata bundle, boolean local) {
        return labelled(object, local ? localLabels(bundle) : copyLabels(bundle));
    }

    /** The bundle's ConfigMap in its own namespace (owned by the bundle) or a copy in another one. */
    public static Written configMap(KubernetesClient client, HasMetadata bundle, String namespace, String name, byte[] pem) {
        boolean local = namespace.equals(bundle.getMetadata().getNamespace());
        ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
        Map<String, String> labels = local ? localLabels(bundle) : copyLabels(bundle);
        Map<String, String> data = Map.of(CONFIG_MAP_KEY, new String(pem, StandardCharsets.UTF_8));
        if (current == null) {
            ConfigMapBuilder desired = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(labels).endMetadata().withData(data);
            if (local) {
                desired.editMetadata().withOwnerReferences(ManagedSecret.ownerReference(bundle)).endMetadata();
            }
            client.configMaps().inNamespace(namespace).resource(desired.build()).create();
            return Written.WRITTEN;
        }
        if (!isOurs(current, bundle, local)) {
            return Written.CONFLICT;
        }
        if (Objects.equals(current.getData(), data)
            && (current.getBinaryData() == null || current.getBinaryData().isEmpty())) {
            return Written.UNCHANGED;
        }
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder(current).withData(data)
            .withBinaryData(null).build()).update();
        return Written.WRITTEN;
    }

    /** A copy of the bundle's Secret in another namespace. */
    public static Written secret(KubernetesClient client, HasMetadata bundle, String namespace, String name,
                                 Map<String, byte[]> data) {
        Secret current = client.secrets().inNamespace(namespace).withName(name).get();
        Map<String, String> encoded = StoredData.base64(data);
        Secret desired = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
            .withLabels(copyLabels(bundle)).endMetadata().withType("Opaque").withData(encoded).build();
        if (current == null) {
            client.secrets().inNamespace(namespace).resource(desired).create();
            return Written.WRITTEN;
        }
        if (!isOurs(current, bundle, false)) {
            return Written.CONFLICT;
        }
        if (ManagedSecret.sameData(ManagedSecret.decode(current), data) && "Opaque".equals(current.getType())) {
            return Written.UNCHANGED;
        }
        if (!"Opaque".equals(current.getType())) {
            client.secrets().inNamespace(namespace).resource(current).delete();
            client.secrets().inNamespace(namespace).resource(desired).create();
            return Written.WRITTEN;
        }
        client.secrets().inNamespace(namespace).resource(new SecretBuilder(current).withData(encoded).withStringData(null)
            .build()).update();
        return Written.WRITTEN;
    }

    /**
     * Deletes this bundle's copies (found by label in every namespace) except the Secret and ConfigMap named
     * {@code name} in {@code keep}; returns "kind namespace/name" of each one deleted.
     */
    public static List<String> removeCopies(KubernetesClient client, HasMetadata bundle, String name,
                                            Set<String> keepSecrets, Set<String> keepConfigMaps) {
        List<String> removed = new ArrayList<>();
        for (Secret s : client.secrets().inAnyNamespace().withLabels(copyLabels(bundle)).list().getItems()) {
            if (!(keepSecrets.contains(s.getMetadata().getNamespace()) && name.equals(s.getMetadata().getName()))) {
                client.secrets().inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName()).delete();
                removed.add("Secret " + s.getMetadata().getNamespace() + "/" + s.getMetadata().getName());
            }
        }
        for (ConfigMap c : client.configMaps().inAnyNamespace().withLabels(copyLabels(bundle)).list().getItems()) {
            if (!(keepConfigMaps.contains(c.getMetadata().getNamespace()) && name.equals(c.getMetadata().getName()))) {
                client.configMaps().inNamespace(c.getMetadata().getNamespace()).withName(c.getMetadata().getName()).delete();
                removed.add("ConfigMap " + c.getMetadata().getNamespace() + "/" + c.getMetadata().getName());
            }
        }
        return removed;
    }

    /** Deletes the bundle's own ConfigMap when it is ours (target.configMap turned off). */
    public static boolean removeLocalConfigMap(KubernetesClient client, HasMetadata bundle, String name) {
        String ns = bundle.getMetadata().getNamespace();
        ConfigMap current = client.configMaps().inNamespace(ns).withName(name).get();
        if (current != null && isOurs(current, bundle, true)) {
            client.configMaps().inNamespace(ns).withName(name).delete();
            return true;
        }
        return false;
    }

    /** The bundle a copy was made from, from its labels. */
    public static Optional<String[]> source(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels == null || !ManagedSecret.MANAGED_BY.equals(labels.get(ManagedSecret.MANAGED_BY_LABEL))
            || labels.get(FROM_NAMESPACE_LABEL) == null || labels.get(FROM_LABEL) == null) {
            return Optional.empty();
        }
        return Optional.of(new String[] {labels.get(FROM_NAMESPACE_LABEL), labels.get(FROM_LABEL)});
    }
}

package dev.keystore.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Secret the operator writes for a KeystoreSet. It is written only when its data, labels,
 * annotations or owner differ from what is there, and never when a Secret of that name is not ours.
 */
public abstract class ManagedSecret {
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "keystore-operator";
    public static final String SET_LABEL = "keystore.dev/keystoreset";
    public static final String BUNDLE_LABEL = "keystore.dev/trustbundle";
    /** The role of a record ({@code internal}, {@code ca}): records are found by it and the set label, not by name. */
    public static final String RECORD_LABEL = "keystore.dev/record";
    /** On the copy kept while a Secret is replaced to change its type: the name of the Secret it is a copy of. */
    public static final String REPLACING_LABEL = "keystore.dev/replacing";
    static final String COPY_SUFFIX = "-replacing";

    /** The label naming the resource a Secret was written for. */
    public static String ownerLabel(HasMetadata owner) {
        return "TrustBundle".equals(owner.getKind()) ? BUNDLE_LABEL : SET_LABEL;
    }

    /** Whether an existing Secret was written by the operator for this resource. */
    public static boolean isOurs(Secret secret, HasMetadata owner) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL))
            && owner.getMetadata().getName().equals(labels.get(ownerLabel(owner)));
    }

    /** The Secret's bytes, by the one decoder ({@link StoredData#of(Secret)}). */
    public static Map<String, byte[]> decode(Secret secret) {
        return StoredData.of(secret);
    }

    /** The Secret's type: Opaque unless a record says otherwise. */
    protected String type() {
        return "Opaque";
    }

    /** Whether the Secret is owned by (garbage-collected with) its resource: true unless it is a record. */
    protected boolean owned() {
        return true;
    }

    protected Map<String, String> annotations() {
        return Map.of();
    }

    /** The record role label value, or null for a Secret that is not a record. */
    protected String role() {
        return null;
    }

    /** The Secret as it should be. */
    public Secret desired(HasMetadata set, String name, Map<String, byte[]> data) {
        return desired(set, name, data, SecretMetadataTemplate.NONE);
    }

    /** The Secret as it should be, with a template's labels and annotations and the record of their keys. */
    public Secret desired(HasMetadata set, String name, Map<String, byte[]> data, SecretMetadataTemplate template) {
        Map<String, String> labels = new LinkedHashMap<>(template.labels());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(ownerLabel(set), set.getMetadata().getName());
        Map<String, String> annotations = new LinkedHashMap<>(template.annotations());
        annotations.putAll(annotations());
        if (!template.labels().isEmpty()) {
            annotations.put(SecretMetadataTemplate.LABELS_RECORD, SecretMetadataTemplate.record(template.labels().keySet()));
        }
        if (!template.annotations().isEmpty()) {
            annotations.put(SecretMetadataTemplate.ANNOTATIONS_RECORD,
                SecretMetadataTemplate.record(template.annotations().keySet()));
        }
        Map<String, String> encoded = StoredData.base64(data);
        SecretBuilder builder = new SecretBuilder().withNewMetadata().withName(name)
            .withNamespace(set.getMetadata().getNamespace())
            .withLabels(labels).withAnnotations(annotations).endMetadata()
            .withType(type()).withData(encoded);
        if (owned()) {
            builder.editMetadata().withOwnerReferences(ownerReference(set)).endMetadata();
        }
        if (role() != null) {
            builder.editMetadata().addToLabels(RECORD_LABEL, role()).endMetadata();
        }
        return builder.build();
    }

    static OwnerReference ownerReference(HasMetadata set) {
        return new OwnerReferenceBuilder().withApiVersion(set.getApiVersion()).withKind(set.getKind())
            .withName(set.getMetadata().getName()).withUid(set.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(false).build();
    }

    /**
     * Creates or updates the Secret unless it already holds exactly this; returns whether it wrote.
     * The caller has checked that an existing Secret of this name is ours.
     */
    public boolean apply(KubernetesClient client, HasMetadata set, String name, Map<String, byte[]> data,
                         Optional<Secret> existing) {
        return apply(client, set, name, data, existing, SecretMetadataTemplate.NONE);
    }

    /**
     * As above, with a template: its labels and annotations are set, and those it set before but no longer
     * holds are removed; labels and annotations others put on the Secret are kept.
     */
    public boolean apply(KubernetesClient client, HasMetadata set, String name, Map<String, byte[]> data,
                         Optional<Secret> existing, SecretMetadataTemplate template) {
        Secret desired = desired(set, name, data, template);
        var secrets = client.secrets().inNamespace(set.getMetadata().getNamespace());
        if (existing.isEmpty()) {
            FaultHook.beforeSecretWrite(set.getMetadata().getName());
            secrets.resource(desired).create();
            return true;
        }
        Secret current = existing.get();
        List<OwnerReference> owners = owned() ? List.of(ownerReference(set)) : unowned(current);
        Map<String, String> labels = merged(current.getMetadata().getLabels(), desired.getMetadata().getLabels(),
            SecretMetadataTemplate.recorded(current.getMetadata().getAnnotations(), SecretMetadataTemplate.LABELS_RECORD),
            Set.of());
        Map<String, String> annotations = merged(current.getMetadata().getAnnotations(),
            desired.getMetadata().getAnnotations(),
            SecretMetadataTemplate.recorded(current.getMetadata().getAnnotations(), SecretMetadataTemplate.ANNOTATIONS_RECORD),
            Set.of(SecretMetadataTemplate.LABELS_RECORD, SecretMetadataTemplate.ANNOTATIONS_RECORD));
        if (sameData(decode(current), data) && Objects.equals(current.getType(), desired.getType())
            && labels.equals(Optional.ofNullable(current.getMetadata().getLabels()).orElse(Map.of()))
            && annotations.equals(Optional.ofNullable(current.getMetadata().getAnnotations()).orElse(Map.of()))
            && (owned() ? hasOwner(current, set) : owners.size() == sizeOf(current.getMetadata().getOwnerReferences()))) {
            return false;
        }
        Secret update = new SecretBuilder(current).editMetadata().withLabels(labels).withAnnotations(annotations)
            .withOwnerReferences(owners).endMetadata().withData(desired.getData()).withStringData(null).build();
        if (!Objects.equals(current.getType(), desired.getType())) {
            replace(client, current, desired);
            return true;
        }
        FaultHook.beforeSecretWrite(set.getMetadata().getName());
        secrets.resource(update).update();
        return true;
    }

    /**
     * The type of a Secret is immutable: it is replaced, and never lost on the way. A copy of the
     * current Secret is written first, the current one deleted only if unchanged since it was read,
     * the new one created, then the copy deleted. A crash at any point leaves the copy, which
     * {@link #recover} turns back into the Secret before the next run decides anything.
     */
    static void replace(KubernetesClient client, Secret current, Secret desired) {
        String ns = current.getMetadata().getNamespace();
        var secrets = client.secrets().inNamespace(ns);
        String copyName = current.getMetadata().getName() + COPY_SUFFIX;
        String owner = ownerOf(current);
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(current.getMetadata().getLabels()).orElse(Map.of()));
        labels.put(REPLACING_LABEL, current.getMetadata().getName());
        Secret copy = new SecretBuilder().withNewMetadata().withName(copyName).withNamespace(ns).withLabels(labels)
            .withAnnotations(current.getMetadata().getAnnotations()).endMetadata()
            .withType(current.getType()).withData(current.getData()).build();
        if (secrets.withName(copyName).get() == null) {
            FaultHook.beforeSecretWrite(owner);
            secrets.resource(copy).create();
        }
        FaultHook.beforeSecretWrite(owner);
        secrets.withName(current.getMetadata().getName()).lockResourceVersion(current.getMetadata().getResourceVersion())
            .delete();
        FaultHook.beforeSecretWrite(owner);
        secrets.resource(desired).create();
        FaultHook.beforeSecretWrite(owner);
        secrets.withName(copyName).delete();
    }

    /**
     * Finishes a replacement a crash interrupted: a copy whose Secret exists again is deleted; a copy
     * whose Secret is gone is written back under the Secret's name first. Returns whether it wrote.
     */
    public static boolean recover(KubernetesClient client, List<Secret> ofTheSet) {
        boolean wrote = false;
        for (Secret copy : ofTheSet) {
            Map<String, String> labels = copy.getMetadata().getLabels();
            String original = labels == null ? null : labels.get(REPLACING_LABEL);
            if (original == null || !copy.getMetadata().getName().equals(original + COPY_SUFFIX)) {
                continue;
            }
            var secrets = client.secrets().inNamespace(copy.getMetadata().getNamespace());
            if (secrets.withName(original).get() == null) {
                Map<String, String> restored = new LinkedHashMap<>(labels);
                restored.remove(REPLACING_LABEL);
                FaultHook.beforeSecretWrite(ownerOf(copy));
                secrets.resource(new SecretBuilder().withNewMetadata().withName(original)
                    .withNamespace(copy.getMetadata().getNamespace()).withLabels(restored)
                    .withAnnotations(copy.getMetadata().getAnnotations()).endMetadata()
                    .withType(copy.getType()).withData(copy.getData()).build()).create();
            }
            FaultHook.beforeSecretWrite(ownerOf(copy));
            secrets.withName(copy.getMetadata().getName()).delete();
            wrote = true;
        }
        return wrote;
    }

    /** The owner references of an unowned record: any to a KeystoreSet (this one, or one deleted since) removed. */
    private static List<OwnerReference> unowned(Secret current) {
        List<OwnerReference> refs = current.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : refs.stream().filter(o -> !"KeystoreSet".equals(o.getKind())).toList();
    }

    private static String ownerOf(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels == null ? null : labels.getOrDefault(SET_LABEL, labels.get(BUNDLE_LABEL));
    }

    private static int sizeOf(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static boolean hasOwner(Secret secret, HasMetadata set) {
        return secret.getMetadata().getOwnerReferences() != null && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> Objects.equals(o.getUid(), set.getMetadata().getUid()));
    }

    /**
     * What is there, less what the template put there before (and the record keys) unless still wanted, plus
     * what is wanted now.
     */
    static Map<String, String> merged(Map<String, String> current, Map<String, String> wanted, Set<String> previouslyTemplated,
                                      Set<String> records) {
        Map<String, String> result = new LinkedHashMap<>(Optional.ofNullable(current).orElse(Map.of()));
        for (String key : previouslyTemplated) {
            if (!wanted.containsKey(key)) {
                result.remove(key);
            }
        }
        for (String key : records) {
            if (!wanted.containsKey(key)) {
                result.remove(key);
            }
        }
        result.putAll(wanted);
        return result;
    }

    public static boolean sameData(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
    }
}

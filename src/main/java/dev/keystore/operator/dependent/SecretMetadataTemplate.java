package dev.keystore.operator.dependent;

import dev.keystore.operator.api.v1alpha1.SecretTemplate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The labels and annotations a user asks for on an output Secret ({@code spec.secretTemplate}). They can
 * never replace the operator's own: {@code app.kubernetes.io/managed-by} and every {@code keystore.dev/}
 * key are refused, as are keys and label values the API server would refuse.
 */
public record SecretMetadataTemplate(Map<String, String> labels, Map<String, String> annotations) {
    public static final SecretMetadataTemplate NONE = new SecretMetadataTemplate(Map.of(), Map.of());
    /** What the template put on the Secret last time, so that a key dropped from it is removed again. */
    public static final String LABELS_RECORD = "keystore.dev/template-labels";
    public static final String ANNOTATIONS_RECORD = "keystore.dev/template-annotations";

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public SecretMetadataTemplate {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public boolean isEmpty() {
        return labels.isEmpty() && annotations.isEmpty();
    }

    public static SecretMetadataTemplate of(SecretTemplate spec) {
        if (spec == null) {
            return NONE;
        }
        return new SecretMetadataTemplate(spec.labels == null ? Map.of() : new TreeMap<>(spec.labels),
            spec.annotations == null ? Map.of() : new TreeMap<>(spec.annotations));
    }

    /** Why a template cannot be applied: the field and key to fix, or empty when it can. */
    public static Optional<String[]> refusal(SecretTemplate spec) {
        if (spec == null) {
            return Optional.empty();
        }
        for (var kind : new String[] {"labels", "annotations"}) {
            Map<String, String> map = kind.equals("labels") ? spec.labels : spec.annotations;
            if (map == null) {
                continue;
            }
            for (var e : new TreeMap<>(map).entrySet()) {
                String field = "spec.secretTemplate." + kind;
                String key = e.getKey();
                if (ownedByOperator(key)) {
                    return Optional.of(new String[] {field, "key " + key + " belongs to the operator and cannot be set "
                        + "by a template (" + ManagedSecret.MANAGED_BY_LABEL + " and keystore.dev/* are reserved)"});
                }
                if (!qualifiedName(key)) {
                    return Optional.of(new String[] {field, "key " + key + " is not a valid Kubernetes key "
                        + "([prefix/]name: name at most 63 characters of [A-Za-z0-9-_.], prefix a DNS subdomain)"});
                }
                if (e.getValue() == null) {
                    return Optional.of(new String[] {field, "key " + key + " needs a value"});
                }
                if (kind.equals("labels") && !e.getValue().isEmpty()
                    && (e.getValue().length() > 63 || !NAME.matcher(e.getValue()).matches())) {
                    return Optional.of(new String[] {field, "the value of label " + key + " is not a valid label value "
                        + "(at most 63 characters of [A-Za-z0-9-_.], beginning and ending alphanumeric)"});
                }
            }
        }
        return Optional.empty();
    }

    static boolean ownedByOperator(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.equals(ManagedSecret.MANAGED_BY_LABEL) || lower.startsWith("keystore.dev/");
    }

    private static boolean qualifiedName(String key) {
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (prefix != null && (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches())) {
            return false;
        }
        return !name.isEmpty() && name.length() <= 63 && NAME.matcher(name).matches();
    }

    static String record(java.util.Set<String> keys) {
        return String.join(",", new java.util.TreeSet<>(keys));
    }

    static java.util.Set<String> recorded(Map<String, String> annotations, String recordKey) {
        String value = annotations == null ? null : annotations.get(recordKey);
        if (value == null || value.isBlank()) {
            return java.util.Set.of();
        }
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (String k : value.split(",")) {
            if (!k.isBlank() && !ownedByOperator(k.strip())) {
                keys.add(k.strip()); // a hand-edited record can never make the operator drop its own keys
            }
        }
        return keys;
    }
}

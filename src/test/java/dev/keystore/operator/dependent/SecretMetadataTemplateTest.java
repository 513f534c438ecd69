package dev.keystore.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.SecretTemplate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SecretMetadataTemplateTest {

    static SecretTemplate template(Map<String, String> labels, Map<String, String> annotations) {
        SecretTemplate t = new SecretTemplate();
        t.labels = labels;
        t.annotations = annotations;
        return t;
    }

    static KeystoreSet set() {
        KeystoreSet set = new KeystoreSet();
        set.setMetadata(new ObjectMetaBuilder().withName("apim").withNamespace("ns").withUid("u-1").build());
        return set;
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.kubernetes.io/managed-by", "keystore.dev/keystoreset", "keystore.dev/template-labels",
        "Keystore.Dev/anything"})
    void theOperatorsOwnKeysAreRefusedByName(String key) {
        for (boolean label : new boolean[] {true, false}) {
            SecretTemplate t = label ? template(Map.of(key, "x"), null) : template(null, Map.of(key, "x"));
            String[] refusal = SecretMetadataTemplate.refusal(t).orElseThrow();
            assertEquals(label ? "spec.secretTemplate.labels" : "spec.secretTemplate.annotations", refusal[0]);
            assertTrue(refusal[1].contains("key " + key + " belongs to the operator"), refusal[1]);
        }
    }

    @Test
    void keysAndLabelValuesTheApiServerWouldRefuseAreRefused() {
        assertTrue(SecretMetadataTemplate.refusal(template(Map.of("bad key", "x"), null)).orElseThrow()[1]
            .contains("key bad key is not a valid Kubernetes key"));
        assertTrue(SecretMetadataTemplate.refusal(template(Map.of("Bad_Prefix/x", "x"), null)).isPresent());
        assertTrue(SecretMetadataTemplate.refusal(template(Map.of("x".repeat(64), "x"), null)).isPresent());
        assertTrue(SecretMetadataTemplate.refusal(template(Map.of("backup", "not ok"), null)).orElseThrow()[1]
            .contains("value of label backup"));
        assertTrue(SecretMetadataTemplate.refusal(template(Map.of("backup", "v".repeat(64)), null)).isPresent());
        // annotation values are free text
        assertEquals(Optional.empty(), SecretMetadataTemplate.refusal(template(
            Map.of("backup", "daily", "example.com/tier", "", "velero.io/exclude-from-backup", "true"),
            Map.of("team", "payments and more: anything goes", "example.com/owner", "a@b"))));
        assertEquals(Optional.empty(), SecretMetadataTemplate.refusal(null));
    }

    @Test
    void theDesiredSecretCarriesTheTemplateTheOperatorsLabelsAndARecordOfTheTemplatedKeys() {
        var t = SecretMetadataTemplate.of(template(Map.of("backup", "daily", "tier", "gold"), Map.of("team", "payments")));
        Secret s = new OutputSecret().desired(set(), "apim-keystores", Map.of(), t);
        assertEquals(Map.of("backup", "daily", "tier", "gold", ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY,
            ManagedSecret.SET_LABEL, "apim"), s.getMetadata().getLabels());
        assertEquals(Map.of("team", "payments", SecretMetadataTemplate.LABELS_RECORD, "backup,tier",
            SecretMetadataTemplate.ANNOTATIONS_RECORD, "team"), s.getMetadata().getAnnotations());

        Secret plain = new OutputSecret().desired(set(), "apim-keystores", Map.of());
        assertEquals(Map.of(), plain.getMetadata().getAnnotations());
    }

    @Test
    void aKeyDroppedFromTheTemplateIsRemovedAndOthersKeysAreKept() {
        Map<String, String> current = Map.of("backup", "daily", "tier", "gold", "someone-else", "kept",
            ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY);
        Map<String, String> wanted = Map.of("tier", "silver", ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY);
        Map<String, String> merged = ManagedSecret.merged(current, wanted, Set.of("backup", "tier"), Set.of());
        assertEquals(Map.of("tier", "silver", "someone-else", "kept", ManagedSecret.MANAGED_BY_LABEL,
            ManagedSecret.MANAGED_BY), merged);
    }

    @Test
    void aHandEditedRecordCannotMakeTheOperatorDropItsOwnKeys() {
        Map<String, String> annotations = Map.of(SecretMetadataTemplate.LABELS_RECORD,
            "backup, keystore.dev/keystoreset,app.kubernetes.io/managed-by,,");
        assertEquals(Set.of("backup"), SecretMetadataTemplate.recorded(annotations, SecretMetadataTemplate.LABELS_RECORD));
    }
}

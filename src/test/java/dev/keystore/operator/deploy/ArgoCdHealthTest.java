package dev.keystore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.ArgoHealth;
import dev.keystore.operator.testing.ArgoHealth.Health;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Argo CD health checks (Lua, run by luaj as Argo CD runs them) on sample objects: every branch. */
class ArgoCdHealthTest {

    static String object(String kind, long generation, String status) {
        return """
            {"apiVersion": "keystore.dev/v1alpha1", "kind": "%s",
             "metadata": {"name": "apim", "namespace": "wso2", "generation": %d},
             "spec": {"tls": {}}%s}
            """.formatted(kind, generation, status == null ? "" : ", \"status\": " + status);
    }

    static String condition(String type, String status, String reason, String message) {
        return """
            {"type": "%s", "status": "%s", "reason": "%s", "message": "%s", "lastTransitionTime": "2026-01-01T00:00:00Z"}"""
            .formatted(type, status, reason, message);
    }

    static String status(long observedGeneration, String... conditions) {
        return "{\"observedGeneration\": %d, \"revision\": 1, \"conditions\": [%s]}"
            .formatted(observedGeneration, String.join(", ", conditions));
    }

    static Health set(long generation, String status) {
        return ArgoHealth.assess("KeystoreSet", object("KeystoreSet", generation, status));
    }

    static Health bundle(long generation, String status) {
        return ArgoHealth.assess("TrustBundle", object("TrustBundle", generation, status));
    }

    @Test
    void thePatchIsAnArgoCdConfigMapWithOneCheckPerKind() {
        ConfigMap cm = ArgoHealth.configMap();
        assertEquals("argocd-cm", cm.getMetadata().getName());
        assertEquals("argocd", cm.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
        assertEquals(Set.of("resource.customizations.health.keystore.dev_KeystoreSet",
            "resource.customizations.health.keystore.dev_TrustBundle"), cm.getData().keySet());
    }

    @Test
    void keystoreSetReadyAndCurrentIsHealthy() {
        Health h = set(3, status(3, condition("Ready", "True", "Issued", "Secret apim-keystores holds 3 keystore(s)"),
            condition("Issuing", "False", "UpToDate", "Next renewal at 2027-01-01T00:00:00Z")));
        assertEquals(new Health("Healthy", "Secret apim-keystores holds 3 keystore(s)"), h);
    }

    @Test
    void keystoreSetWithoutStatusIsProgressing() {
        assertEquals("Progressing", set(1, null).status());
        assertEquals("Progressing", set(1, "{}").status());
    }

    @Test
    void keystoreSetWhoseStatusIsForAnOlderGenerationIsProgressingEvenIfItWasReady() {
        Health h = set(4, status(3, condition("Ready", "True", "Issued", "ok")));
        assertEquals("Progressing", h.status());
        assertTrue(h.message().contains("generation 4"), h.message());
    }

    @Test
    void keystoreSetWaitingForAnInputIsProgressing() {
        Health h = set(2, status(2, condition("Ready", "False", "MissingInput", "Secret pw (key password) not found"),
            condition("Issuing", "True", "WaitingForInput", "Will issue as soon as this is resolved: Secret pw not found")));
        assertEquals(new Health("Progressing", "Will issue as soon as this is resolved: Secret pw not found"), h);
    }

    @Test
    void keystoreSetRefusedIsDegradedWithTheReason() {
        Health h = set(2, status(2, condition("Ready", "False", "SecretConflict", "Secret foreign exists and is not ours"),
            condition("Issuing", "False", "Blocked", "Nothing is issued until the spec or input is fixed")));
        assertEquals(new Health("Degraded", "SecretConflict: Secret foreign exists and is not ours"), h);
    }

    @Test
    void keystoreSetWithoutReadyConditionIsProgressing() {
        assertEquals("Progressing", set(1, status(1)).status());
        assertEquals("Progressing", set(1, status(1, condition("Ready", "Unknown", "Starting", "-"))).status());
    }

    @Test
    void trustBundleReadyAndCurrentIsHealthy() {
        Health h = bundle(1, status(1, condition("Ready", "True", "Assembled", "3 certificate(s)"),
            condition("ExpiringSoon", "False", "AllValid", "none")));
        assertEquals(new Health("Healthy", "3 certificate(s)"), h);
    }

    @Test
    void trustBundleExpiringSoonStaysHealthyAndSaysSo() {
        Health h = bundle(1, status(1, condition("Ready", "True", "Assembled", "3 certificate(s)"),
            condition("ExpiringSoon", "True", "ExpiresWithin30Days", "partner-ca expires 2026-02-01")));
        assertEquals(new Health("Healthy", "3 certificate(s); partner-ca expires 2026-02-01"), h);
    }

    @Test
    void trustBundleProgressingAndDegraded() {
        assertEquals("Progressing", bundle(1, null).status());
        assertEquals("Progressing", bundle(2, status(1, condition("Ready", "True", "Assembled", "ok"))).status());
        assertEquals("Progressing", bundle(1, status(1)).status());
        assertEquals(new Health("Degraded", "PrivateKeyInSource: Secret leaked holds a private key"),
            bundle(1, status(1, condition("Ready", "False", "PrivateKeyInSource", "Secret leaked holds a private key"))));
    }
}

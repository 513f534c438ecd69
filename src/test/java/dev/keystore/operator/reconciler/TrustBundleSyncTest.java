package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.render.Manifests;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** TrustBundleSync against the Fabric8 mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class TrustBundleSyncTest {
    static KubernetesClient client;

    static TrustBundle bundle(String name, String passwordSecret) throws Exception {
        String ca = Pem.encode(List.of(TestKeys.ecCa(name + " root").certificate()));
        TrustBundle bundle = Manifests.STRICT.readValue("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: %s, namespace: test}
            spec:
              sources:
              - inline: |
            %s
              target: {formats: [PKCS12], passwordSecretRef: {name: %s, key: pw}}
            """.formatted(name, ca.indent(6).stripTrailing(), passwordSecret), TrustBundle.class);
        bundle.getMetadata().setUid(UUID.randomUUID().toString());
        bundle.getMetadata().setGeneration(1L);
        return bundle;
    }

    static void password(String secret, String value) {
        client.secrets().inNamespace("test").resource(new SecretBuilder().withNewMetadata().withName(secret)
            .endMetadata().withStringData(Map.of("pw", value)).build()).createOr(op -> op.update());
    }

    static Condition ready(TrustBundleSync.Result r) {
        return r.status().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
    }

    /**
     * The one strict passwordSecretRef reader, as for sets and render: a blank password is BadInput naming the
     * Secret and key (it was MissingInput "has no key" here before), a Warning Event, the output untouched.
     */
    @Test
    void aBlankReferencedPasswordIsRefusedAndTheLastGoodOutputStays() throws Exception {
        TrustBundle bundle = bundle("blank-pw", "blank-pw-password");
        password("blank-pw-password", "good-password-1");
        TrustBundleSync sync = new TrustBundleSync(client, Clock.fixed(TestKeys.T0, ZoneOffset.UTC), new SecureRandom());
        TrustBundleSync.Result first = sync.reconcile(bundle);
        assertEquals("True", ready(first).getStatus(), ready(first).getMessage());
        Secret good = client.secrets().inNamespace("test").withName("blank-pw").get();

        password("blank-pw-password", "  \n");
        bundle.setStatus(first.status());
        TrustBundleSync.Result refused = sync.reconcile(bundle);
        Condition condition = ready(refused);
        assertEquals("False", condition.getStatus());
        assertEquals("BadInput", condition.getReason());
        assertEquals("Secret blank-pw-password key pw (spec.target.passwordSecretRef) is empty", condition.getMessage());
        assertEquals(good.getData(), client.secrets().inNamespace("test").withName("blank-pw").get().getData(),
            "the last good output stays byte for byte");
        assertTrue(client.v1().events().inNamespace("test").list().getItems().stream()
            .anyMatch(e -> "blank-pw".equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())
                && "BadInput".equals(e.getReason())), "a Warning Event");
        assertTrue(!condition.getMessage().contains("good-password-1"));
    }

    @Test
    void aMissingKeyStaysMissingInput() throws Exception {
        TrustBundle bundle = bundle("no-key", "no-key-password");
        client.secrets().inNamespace("test").resource(new SecretBuilder().withNewMetadata().withName("no-key-password")
            .endMetadata().withData(Map.of("other", java.util.Base64.getEncoder().encodeToString(
                "x".getBytes(StandardCharsets.UTF_8)))).build()).create();
        TrustBundleSync.Result r = new TrustBundleSync(client, Clock.fixed(TestKeys.T0, ZoneOffset.UTC), new SecureRandom())
            .reconcile(bundle);
        assertEquals("MissingInput", ready(r).getReason());
        assertEquals("Secret no-key-password has no key pw (spec.target.passwordSecretRef)", ready(r).getMessage());
    }
}

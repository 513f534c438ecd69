package dev.keystore.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeyAlgorithm;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.PrivateKeySpec;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.api.v1alpha1.StoreFormat;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreType;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** KeystoreSetSync against the Fabric8 mock API server (CRUD mode): Secrets, status, no needless writes. */
@EnableKubernetesMockClient(crud = true)
class KeystoreSetSyncTest {
    static KubernetesClient client;
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    static KeystoreSet set(String name) {
        KeystoreSet set = new KeystoreSet();
        set.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("test").withGeneration(1L)
            .withUid(UUID.randomUUID().toString()).build());
        return set;
    }

    static KeystoreSet jksSet(String name) {
        KeystoreSet set = set(name);
        set.getSpec().format = StoreFormat.JKS;
        set.getSpec().primary = new SlotSpec();
        set.getSpec().primary.alias = "wso2carbon";
        set.getSpec().tls = new SlotSpec();
        set.getSpec().tls.dnsNames = List.of("app.test.svc");
        set.getSpec().tls.privateKey = new PrivateKeySpec();
        set.getSpec().tls.privateKey.algorithm = KeyAlgorithm.EC;
        return set;
    }

    static KeystoreSetSync sync(Instant now) {
        return new KeystoreSetSync(client, Clock.fixed(now, ZoneOffset.UTC), new SecureRandom());
    }

    static Condition ready(KeystoreSetSync.Result r) {
        return r.status().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void aNewSetIsToldByOneIssuedEventAndLaterChangesByWhatTheyDid() {
        KeystoreSet set = jksSet("quiet-start");
        KeystoreSetSync.Result first = sync(NOW).reconcile(set);
        assertEquals("True", ready(first).getStatus());
        assertEquals(List.of("Issued"), eventsOn("quiet-start"), "one Event for a new set, its new CA included");

        set.setStatus(first.status());
        set.getMetadata().setAnnotations(Map.of(KeystoreSetSync.ROTATE_TLS, "now"));
        KeystoreSetSync.Result rotated = sync(NOW.plusSeconds(60)).reconcile(set);
        assertEquals(2L, rotated.status().revision);
        assertEquals(Set.of("KeyMaterial", "Issued", "Rotated"), Set.copyOf(eventsOn("quiet-start")));
    }

    static List<String> eventsOn(String name) {
        return client.v1().events().inNamespace("test").list().getItems().stream()
            .filter(e -> name.equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
    }

    @Test
    void writesTheOutputSecretAsTheContractSays() throws Exception {
        KeystoreSet set = jksSet("writes");
        KeystoreSetSync.Result result = sync(NOW).reconcile(set);

        assertEquals("True", ready(result).getStatus());
        assertEquals("Issued", ready(result).getReason());
        Secret secret = client.secrets().inNamespace("test").withName("writes-keystores").get();
        assertNotNull(secret);
        assertEquals("Opaque", secret.getType());
        assertEquals(Map.of("app.kubernetes.io/managed-by", "keystore-operator", "keystore.dev/keystoreset", "writes"),
            secret.getMetadata().getLabels());
        assertEquals(set.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals(Boolean.TRUE, secret.getMetadata().getOwnerReferences().get(0).getController());
        Map<String, byte[]> data = ManagedSecret.decode(secret);
        assertEquals(Set.of("primary.jks", "tls.jks", "truststore.jks", "password", "ca.crt", "tls.crt", "tls.key"),
            data.keySet());
        char[] password = new String(data.get("password"), StandardCharsets.UTF_8).toCharArray();
        assertTrue(password.length >= 43);
        assertTrue(KeystoreCodec.read(StoreType.JKS, data.get("primary.jks"), password).keyEntry("wso2carbon").isPresent());
        assertTrue(KeystoreCodec.read(StoreType.JKS, data.get("tls.jks"), password).keyEntry("tls").isPresent());

        var status = result.status();
        assertEquals(1L, status.observedGeneration);
        assertEquals(1L, status.revision);
        assertEquals("writes-keystores", status.secretName);
        assertEquals("wso2carbon", status.keystores.primary.alias);
        assertEquals("EC P-256", status.keystores.tls.keyAlgorithm);
        assertEquals("RSA 2048", status.keystores.primary.keyAlgorithm);
        assertNull(status.keystores.internal);
        assertEquals(NOW.minus(Duration.ofMinutes(5)).toString(), status.keystores.tls.notBefore);
        assertEquals(NOW.plus(Duration.ofHours(8760)).toString(), status.keystores.tls.notAfter);
        assertEquals(NOW.plus(Duration.ofHours(8760)).minus(Duration.ofHours(8760).dividedBy(3)).toString(),
            status.keystores.tls.renewalTime);
        assertEquals(status.keystores.tls.notAfter, status.notAfter);
        assertEquals(1, status.truststore.certificates);
        assertTrue(status.keystores.tls.sha256Fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
        assertTrue(result.requeueAfter().compareTo(KeystoreSetSync.MAX_WAIT) <= 0);

        // the primary key stands in for internal and is recorded outside the owned Secret
        Secret internal = client.secrets().inNamespace("test").withName("writes-keystores-internal").get();
        assertNotNull(internal);
        assertTrue(internal.getMetadata().getOwnerReferences() == null || internal.getMetadata().getOwnerReferences().isEmpty());
        assertEquals("keep", internal.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        assertEquals("kubernetes.io/tls", client.secrets().inNamespace("test").withName("writes-keystores-ca").get().getType());
    }

    @Test
    void aSecondReconcileWritesNothing() {
        KeystoreSet set = jksSet("idle");
        KeystoreSetSync.Result first = sync(NOW).reconcile(set);
        set.setStatus(first.status());
        Map<String, String> versions = Map.of(
            "out", client.secrets().inNamespace("test").withName("idle-keystores").get().getMetadata().getResourceVersion(),
            "ca", client.secrets().inNamespace("test").withName("idle-keystores-ca").get().getMetadata().getResourceVersion(),
            "internal", client.secrets().inNamespace("test").withName("idle-keystores-internal").get().getMetadata()
                .getResourceVersion());

        KeystoreSetSync.Result second = sync(NOW.plus(Duration.ofHours(1))).reconcile(set);

        assertFalse(second.outputChanged());
        assertEquals(1L, second.status().revision);
        assertEquals(first.status().keystores.tls.sha256Fingerprint, second.status().keystores.tls.sha256Fingerprint);
        assertEquals(ready(first).getLastTransitionTime(), ready(second).getLastTransitionTime());
        assertEquals(versions.get("out"), client.secrets().inNamespace("test").withName("idle-keystores").get()
            .getMetadata().getResourceVersion());
        assertEquals(versions.get("ca"), client.secrets().inNamespace("test").withName("idle-keystores-ca").get()
            .getMetadata().getResourceVersion());
        assertEquals(versions.get("internal"), client.secrets().inNamespace("test").withName("idle-keystores-internal")
            .get().getMetadata().getResourceVersion());
    }

    @Test
    void renewalTimeIsActedOnAndCountsARevision() {
        KeystoreSet set = jksSet("renew");
        set.getSpec().tls.duration = "90h";
        KeystoreSetSync.Result first = sync(NOW).reconcile(set);
        set.setStatus(first.status());
        Instant later = Instant.parse(first.status().keystores.tls.renewalTime).plusSeconds(1);

        KeystoreSetSync.Result second = sync(later).reconcile(set);

        assertTrue(second.outputChanged());
        assertEquals(2L, second.status().revision);
        assertFalse(first.status().keystores.tls.serialNumber.equals(second.status().keystores.tls.serialNumber));
        assertEquals(first.status().keystores.primary.serialNumber, second.status().keystores.primary.serialNumber);
    }

    @Test
    void aForeignSecretOfTheSameNameIsNeverOverwritten() {
        client.secrets().inNamespace("test").resource(new SecretBuilder().withNewMetadata().withName("taken-keystores")
            .endMetadata().addToData("app.p12", "AAAA").build()).create();
        KeystoreSet set = jksSet("taken");

        KeystoreSetSync.Result result = sync(NOW).reconcile(set);

        assertEquals("False", ready(result).getStatus());
        assertEquals("SecretConflict", ready(result).getReason());
        assertTrue(ready(result).getMessage().contains("taken-keystores"));
        Secret secret = client.secrets().inNamespace("test").withName("taken-keystores").get();
        assertEquals(Map.of("app.p12", "AAAA"), secret.getData());
        assertTrue(secret.getMetadata().getLabels() == null || secret.getMetadata().getLabels().isEmpty());
        assertTrue(client.v1().events().inNamespace("test").list().getItems().stream()
            .anyMatch(e -> "taken".equals(e.getInvolvedObject().getName()) && "SecretConflict".equals(e.getReason())
                && "Warning".equals(e.getType())));
    }

    /**
     * The Secret informer's view of which names exist saves a new set its GETs; a view that has not
     * shown a foreign Secret yet ends in a 409 on creation, and the run is redone with reads: the
     * foreign Secret is still never overwritten, and the conflict is reported as without the view.
     */
    @Test
    void aForeignSecretTheInformerHasNotShownYetIsNeverOverwrittenEither() {
        client.secrets().inNamespace("test").resource(new SecretBuilder().withNewMetadata().withName("unseen-keystores")
            .endMetadata().addToData("app.p12", "AAAA").build()).create();
        KeystoreSet set = jksSet("unseen");
        KeystoreSetSync stale = new KeystoreSetSync(client, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom(),
            dev.keystore.operator.crypto.KeySource.generating(new SecureRandom()), new OwnWrites(), (ns, name) -> false);

        KeystoreSetSync.Result result = stale.reconcile(set);

        assertEquals("False", ready(result).getStatus());
        assertEquals("SecretConflict", ready(result).getReason());
        assertTrue(ready(result).getMessage().contains("unseen-keystores"));
        Secret secret = client.secrets().inNamespace("test").withName("unseen-keystores").get();
        assertEquals(Map.of("app.p12", "AAAA"), secret.getData());
        assertTrue(secret.getMetadata().getLabels() == null || secret.getMetadata().getLabels().isEmpty());
    }

    /** With a view that has seen nothing, a new set is issued as with reads. */
    @Test
    void aNewSetIssuesWithTheInformersViewOfNames() {
        KeystoreSet set = jksSet("viewed");
        KeystoreSetSync viewed = new KeystoreSetSync(client, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom(),
            dev.keystore.operator.crypto.KeySource.generating(new SecureRandom()), new OwnWrites(), (ns, name) -> false);
        KeystoreSetSync.Result result = viewed.reconcile(set);
        assertEquals("True", ready(result).getStatus());
        assertEquals(1L, result.status().revision);
        assertFalse(client.secrets().inNamespace("test").withName("viewed-keystores").get().getData().isEmpty());
    }

    /**
     * The informer's view of names is for the set's own three Secrets only: a Secret the set reads
     * (a TrustBundle's source, a password) is read from the API server however stale the view. With
     * the view consulted for every name, both sets stayed Ready=False MissingInput for Secrets that
     * were there (HelmInstallIT's namespaced release, where the informer's cache lacked a namespace).
     */
    @Test
    void secretsASetReadsAreReadEvenWhenTheInformersViewHasNotSeenThem() throws Exception {
        String pem = dev.keystore.operator.crypto.Pem.encode(List.of(
            dev.keystore.operator.crypto.TestKeys.ecCa("stale view CA").certificate()));
        client.secrets().inNamespace("test").resource(new SecretBuilder().withNewMetadata().withName("stale-view-ca")
            .endMetadata().addToStringData("ca.crt", pem).build()).create();
        dev.keystore.operator.api.v1alpha1.TrustBundle bundle = new dev.keystore.operator.api.v1alpha1.TrustBundle();
        bundle.setMetadata(new ObjectMetaBuilder().withName("stale-view").withNamespace("test").build());
        var source = new dev.keystore.operator.api.v1alpha1.TrustSource();
        source.secret = new dev.keystore.operator.api.v1alpha1.SecretKeyRef("stale-view-ca", "ca.crt");
        bundle.getSpec().sources.add(source);
        client.resource(bundle).create();
        client.secrets().inNamespace("test").resource(new SecretBuilder().withNewMetadata().withName("stale-view-password")
            .endMetadata().addToStringData("password", "a-password-of-the-user-0123").build()).create();
        KeystoreSetSync staleView = new KeystoreSetSync(client, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom(),
            dev.keystore.operator.crypto.KeySource.generating(new SecureRandom()), new OwnWrites(), (ns, name) -> false);

        KeystoreSet viaBundle = jksSet("via-bundle");
        viaBundle.getSpec().truststore = new dev.keystore.operator.api.v1alpha1.TruststoreSpec();
        viaBundle.getSpec().truststore.trustBundleRefs = List.of(new dev.keystore.operator.api.v1alpha1.LocalRef("stale-view"));
        KeystoreSetSync.Result bundled = staleView.reconcile(viaBundle);
        assertEquals("True", ready(bundled).getStatus(), ready(bundled).getMessage());
        assertTrue(bundled.status().truststore.certificates >= 1, "the bundle's source CA is in the truststore");

        KeystoreSet withPassword = jksSet("with-password");
        withPassword.getSpec().passwordSecretRef = new dev.keystore.operator.api.v1alpha1.SecretKeyRef("stale-view-password", null);
        KeystoreSetSync.Result passworded = staleView.reconcile(withPassword);
        assertEquals("True", ready(passworded).getStatus(), ready(passworded).getMessage());
    }

    @Test
    void anInvalidSpecIsRefusedWithTheFieldAndWritesNothing() {
        KeystoreSet set = set("invalid");
        set.getSpec().internal = new SlotSpec();
        set.getSpec().internal.privateKey = new PrivateKeySpec();
        set.getSpec().internal.privateKey.algorithm = KeyAlgorithm.EC;

        KeystoreSetSync.Result result = sync(NOW).reconcile(set);

        assertEquals("False", ready(result).getStatus());
        assertEquals("InvalidSpec", ready(result).getReason());
        assertTrue(ready(result).getMessage().startsWith("spec.internal.privateKey.algorithm"), ready(result).getMessage());
        assertNull(client.secrets().inNamespace("test").withName("invalid-keystores").get());
    }

    @Test
    void aValueNoSnippetCanHoldIsRefusedBeforeAnySecretIsWritten() {
        KeystoreSet fresh = jksSet("nul-alias");
        fresh.getSpec().config = List.of(dev.keystore.operator.api.v1alpha1.ConfigFormat.liberty);
        fresh.getSpec().tls.alias = "tls\u0000";
        KeystoreSetSync.Result refused = sync(NOW).reconcile(fresh);
        assertEquals("InvalidSpec", ready(refused).getReason());
        assertTrue(ready(refused).getMessage().startsWith("spec.tls.alias"), ready(refused).getMessage());
        for (String secret : List.of("nul-alias-keystores", "nul-alias-keystores-ca", "nul-alias-keystores-internal")) {
            assertNull(client.secrets().inNamespace("test").withName(secret).get(), secret);
        }

        KeystoreSet set = jksSet("snippet-keepgood");
        set.getSpec().config = List.of(dev.keystore.operator.api.v1alpha1.ConfigFormat.wso2,
            dev.keystore.operator.api.v1alpha1.ConfigFormat.zowe, dev.keystore.operator.api.v1alpha1.ConfigFormat.liberty);
        KeystoreSetSync.Result first = sync(NOW).reconcile(set);
        assertEquals("True", ready(first).getStatus());
        set.setStatus(first.status());
        Secret before = client.secrets().inNamespace("test").withName("snippet-keepgood-keystores").get();
        assertTrue(before.getData().keySet().containsAll(List.of("deployment.toml", "zowe-certificates.env", "server.xml")));

        set.getSpec().mountPath = "/opt/${env.KEYSTORE_PASSWORD}";
        KeystoreSetSync.Result second = sync(NOW).reconcile(set);
        assertEquals("False", ready(second).getStatus());
        assertEquals("InvalidSpec", ready(second).getReason());
        assertTrue(ready(second).getMessage().startsWith("spec.mountPath"), ready(second).getMessage());
        assertEquals(before.getData(), client.secrets().inNamespace("test").withName("snippet-keepgood-keystores").get()
            .getData(), "the last good output is untouched");
        assertTrue(client.v1().events().inNamespace("test").list().getItems().stream()
            .anyMatch(e -> "snippet-keepgood".equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())
                && "InvalidSpec".equals(e.getReason())));
    }

    @Test
    void badInputKeepsTheLastGoodSecret() {
        KeystoreSet set = jksSet("keepgood");
        KeystoreSetSync.Result first = sync(NOW).reconcile(set);
        set.setStatus(first.status());
        Secret before = client.secrets().inNamespace("test").withName("keepgood-keystores").get();

        set.getSpec().passwordSecretRef = new dev.keystore.operator.api.v1alpha1.SecretKeyRef("nowhere", null);
        KeystoreSetSync.Result second = sync(NOW).reconcile(set);

        assertEquals("MissingInput", ready(second).getReason());
        Condition issuing = second.status().conditions.stream().filter(c -> "Issuing".equals(c.getType())).findFirst()
            .orElseThrow();
        assertEquals("True", issuing.getStatus());
        assertEquals("WaitingForInput", issuing.getReason());
        assertEquals("False", first.status().conditions.stream().filter(c -> "Issuing".equals(c.getType())).findFirst()
            .orElseThrow().getStatus());
        assertTrue(ready(second).getMessage().contains("Secret nowhere"));
        assertEquals(first.status().keystores.tls.sha256Fingerprint, second.status().keystores.tls.sha256Fingerprint,
            "the last good status is kept");
        assertEquals(before.getData(), client.secrets().inNamespace("test").withName("keepgood-keystores").get().getData());
    }

    @Test
    void rolloutAnnotatesListedWorkloadsAndWarnsAboutMissingOnes() {
        client.apps().deployments().inNamespace("test").resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
            .withNewMetadata().withName("web").endMetadata().withNewSpec().withNewTemplate().withNewMetadata()
            .addToLabels("app", "web").endMetadata().endTemplate().endSpec().build()).create();
        KeystoreSet set = jksSet("rolling");
        set.getSpec().rollout = List.of(workload("Deployment", "web"), workload("StatefulSet", "ghost"));

        KeystoreSetSync.Result result = sync(NOW).reconcile(set);

        assertEquals("True", ready(result).getStatus(), "a missing workload is not a failure");
        assertEquals("1", client.apps().deployments().inNamespace("test").withName("web").get().getSpec().getTemplate()
            .getMetadata().getAnnotations().get("keystore.dev/revision"));
        assertEquals("web", client.apps().deployments().inNamespace("test").withName("web").get().getSpec().getTemplate()
            .getMetadata().getLabels().get("app"), "only the annotation is patched");
        assertTrue(client.v1().events().inNamespace("test").list().getItems().stream()
            .anyMatch(e -> "rolling".equals(e.getInvolvedObject().getName()) && "RolloutTargetMissing".equals(e.getReason())
                && e.getMessage().contains("StatefulSet ghost") && "Warning".equals(e.getType())));
    }

    static dev.keystore.operator.api.v1alpha1.WorkloadRef workload(String kind, String name) {
        var ref = new dev.keystore.operator.api.v1alpha1.WorkloadRef();
        ref.kind = dev.keystore.operator.api.v1alpha1.WorkloadKind.valueOf(kind);
        ref.name = name;
        return ref;
    }
}

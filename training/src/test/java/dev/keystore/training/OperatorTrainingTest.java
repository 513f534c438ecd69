package dev.keystore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The training driver's API server and its wait for Ready, against the mock server it starts (no operator). */
class OperatorTrainingTest {
    static final Path PROJECT = Path.of("..");
    OperatorTraining training;

    @BeforeEach
    void start() throws Exception {
        training = new OperatorTraining();
        training.loadCrds(PROJECT.resolve("deploy/crds"));
    }

    @AfterEach
    void stop() {
        training.close();
    }

    CustomResourceDefinitionContext context(String plural) {
        return new CustomResourceDefinitionContext.Builder().withGroup(OperatorTraining.GROUP).withVersion("v1alpha1")
            .withPlural(plural).withScope("Namespaced").build();
    }

    void setReady(String plural, String namespace, String name, String status) {
        var resources = training.client().genericKubernetesResources(context(plural)).inNamespace(namespace);
        GenericKubernetesResource r = resources.withName(name).get();
        r.setAdditionalProperty("status", Map.of("conditions", List.of(
            Map.of("type", "Issuing", "status", "True"), Map.of("type", "Ready", "status", status))));
        resources.resource(r).updateStatus();
    }

    @Test
    void theExamplesObjectsAreCreatedAndItsSetsAndBundlesAwaited() throws Exception {
        training.loadExample(PROJECT.resolve("examples/trustbundle.yaml"));
        training.loadExample(PROJECT.resolve("examples/wso2-apim.yaml"));
        assertEquals(List.of(new OperatorTraining.Awaited("TrustBundle", "default", "corp-roots"),
            new OperatorTraining.Awaited("KeystoreSet", "wso2", "apim")), training.awaited());
        assertNotNull(training.client().secrets().inNamespace("default").withName("zosmf-ca").get());
        assertNotNull(training.client().configMaps().inNamespace("default").withName("partner-cas").get());
        assertNotNull(training.client().namespaces().withName("wso2").get());
    }

    @Test
    @Timeout(120)
    void waitsUntilEveryOneIsReadyTrueAndNotLonger() throws Exception {
        training.loadExample(PROJECT.resolve("examples/tls-only.yaml"));
        training.loadExample(PROJECT.resolve("examples/wso2-apim.yaml"));
        assertEquals(2, training.awaitReady(null, Duration.ofMillis(500)).size(), "no status yet");

        setReady("keystoresets", "default", "web", "True");
        setReady("keystoresets", "wso2", "apim", "False");
        assertEquals(List.of(new OperatorTraining.Awaited("KeystoreSet", "wso2", "apim")),
            training.awaitReady(null, Duration.ofMillis(500)), "Ready=False is not Ready");

        setReady("keystoresets", "wso2", "apim", "True");
        assertEquals(List.of(), training.awaitReady(null, Duration.ofMinutes(5))); // @Timeout: not at the deadline
    }

    @Test
    @Timeout(120)
    void stopsWaitingWhenTheOperatorHasExited() throws Exception {
        training.loadExample(PROJECT.resolve("examples/tls-only.yaml"));
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        // five minutes unless the exit is noticed (@Timeout)
        assertEquals(1, training.awaitReady(exited, Duration.ofMinutes(5)).size());
    }

    @Test
    void theKubeconfigPointsAtTheMockServerOverTls() {
        String kubeconfig = training.kubeconfig();
        assertTrue(kubeconfig.contains("server: \"https://"), kubeconfig);
        assertTrue(kubeconfig.contains("insecure-skip-tls-verify: true"), kubeconfig);
    }
}

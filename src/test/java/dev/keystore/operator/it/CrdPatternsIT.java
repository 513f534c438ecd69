package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.keystore.operator.render.CrdSchema;
import dev.keystore.operator.render.HostileSpecs;
import dev.keystore.operator.render.Manifests;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD patterns and bounds on the real API server: every hostile value of the shared corpus is
 * refused with 422 naming its field, every ordinary one is accepted, render's own schema check
 * (Java regexes) gives the same verdict as the API server (RE2) for each, and every example applies.
 */
class CrdPatternsIT {
    static final String NS = "patterns";
    static RealCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("CrdPatternsIT");
        cluster.createNamespace(NS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theApiServerRefusesWhatNoProductCanUseAndAgreesWithRender() {
        CrdSchema schema = CrdSchema.load();
        List<String> wrong = new ArrayList<>();
        int refused = 0;
        int accepted = 0;
        int i = 0;
        for (HostileSpecs.Case c : HostileSpecs.cases()) {
            JsonNode doc = c.resource("c" + i++, NS);
            GenericKubernetesResource resource = cluster.client().getKubernetesSerialization()
                .convertValue(doc, GenericKubernetesResource.class);
            List<String> fields = new ArrayList<>();
            try {
                cluster.client().genericKubernetesResources("keystore.dev/v1alpha1", c.kind()).inNamespace(NS)
                    .resource(resource).dryRun().create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 422) {
                    wrong.add(c + ": HTTP " + e.getCode() + " " + e.getMessage());
                    continue;
                }
                e.getStatus().getDetails().getCauses().stream().map(StatusCause::getField).forEach(fields::add);
            }
            boolean apiServerRefused = !fields.isEmpty();
            boolean renderRefused = !schema.problems(c.kind(), doc).isEmpty();
            // kube-apiserver 1.20 names an array item's field without its index: spec.tls.dnsNames
            if (c.refused() ? !fields.contains(c.refusedAt().replaceAll("\\[[0-9]+\\]", "")) : apiServerRefused) {
                wrong.add(c + ": the API server named " + fields);
            }
            if (apiServerRefused != renderRefused) {
                wrong.add(c + ": the API server " + (apiServerRefused ? "refused" : "accepted") + ", render "
                    + (renderRefused ? "refused" : "accepted"));
            }
            if (c.refused()) {
                refused++;
            } else {
                accepted++;
            }
        }
        System.out.printf("[measure] CRD patterns on kube-apiserver %s: %d hostile values refused with 422 naming the"
            + " field, %d ordinary values accepted, render agreed on all %d%n", RealCluster.K8S_VERSION, refused, accepted,
            refused + accepted);
        assertEquals(List.of(), wrong);
        assertTrue(refused > 80 && accepted > 20, refused + " refused, " + accepted + " accepted");
    }

    @Test
    void everyExampleApplies() throws Exception {
        Path kubectl = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s",
            RealCluster.K8S_VERSION + "-linux-amd64", "kubectl");
        List<Path> examples;
        try (Stream<Path> files = Files.list(RealCluster.PROJECT.resolve("examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        TreeSet<String> namespaces = new TreeSet<>();
        TreeSet<String> resources = new TreeSet<>(); // two examples may define one resource (apim in wso2)
        for (Path file : examples) {
            try (MappingIterator<JsonNode> docs = Manifests.STRICT.readerFor(JsonNode.class).readValues(Files.readString(file))) {
                while (docs.hasNextValue()) {
                    JsonNode doc = docs.nextValue();
                    namespaces.add(doc.path("metadata").path("namespace").asText("default"));
                    if (doc.path("apiVersion").asText().startsWith("keystore.dev/")) {
                        resources.add(doc.path("kind").asText() + " " + doc.path("metadata").path("namespace").asText("default")
                            + "/" + doc.path("metadata").path("name").asText());
                    }
                }
            }
        }
        namespaces.remove("default");
        namespaces.forEach(cluster::createNamespace);
        for (Path file : examples) {
            Tools.Run apply = Tools.run(RealCluster.PROJECT, Map.of("KUBECONFIG", cluster.kubeconfig().toString()),
                kubectl.toString(), "apply", "-f", file.toString());
            assertEquals(0, apply.exitCode(), file + ": " + apply.output());
        }
        long stored = cluster.client().genericKubernetesResources("keystore.dev/v1alpha1", "KeystoreSet").inAnyNamespace()
            .list().getItems().size() + cluster.client().genericKubernetesResources("keystore.dev/v1alpha1", "TrustBundle")
            .inAnyNamespace().list().getItems().size();
        assertEquals(resources.size(), stored);
    }
}

package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health, Prometheus metrics and Events of the packaged operator on a real API server. */
class OperationsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final String NS = "ops";
    static RealCluster cluster;
    static KubernetesClient client;
    static int port;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("OperationsIT");
        client = cluster.client();
        cluster.createNamespace(NS);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cluster.startOperator("OperationsIT", Map.of("QUARKUS_HTTP_PORT", String.valueOf(port)));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Optional<Condition> ready(String name) {
        KeystoreSet s = client.resources(KeystoreSet.class).inNamespace(NS).withName(name).get();
        return s == null || s.getStatus() == null || s.getStatus().conditions == null ? Optional.empty()
            : s.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    static void apply(String yaml) {
        client.resource(client.getKubernetesSerialization().<io.fabric8.kubernetes.api.model.HasMetadata>unmarshal(yaml))
            .createOr(op -> op.update());
    }

    /** The value of one sample of a metric whose labels include all of {@code labels}. */
    static Optional<Double> sample(String metrics, String name, Map<String, String> labels) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        while (m.find()) {
            String found = m.group(1);
            if (labels.entrySet().stream().allMatch(e -> found.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                return Optional.of(Double.parseDouble(m.group(2)));
            }
        }
        return Optional.empty();
    }

    @Test
    void healthProbesAnswerAndMetricsShowEachSlotBundleAndReconcile() throws Exception {
        RealCluster.await("/q/health/ready UP", TIMEOUT, () -> {
            try {
                HttpResponse<String> r = get("/q/health/ready");
                return r.statusCode() == 200 && r.body().contains("\"UP\"");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        assertEquals(200, get("/q/health/live").statusCode());

        apply("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: web, namespace: ops}
            spec:
              tls: {dnsNames: [web.ops.svc], privateKey: {algorithm: EC, size: 256}}
            """);
        apply("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: waiting, namespace: ops}
            spec:
              issuer: {ca: {secretRef: {name: not-there}}}
              tls: {dnsNames: [waiting.ops.svc]}
            """);
        apply("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: roots, namespace: ops}
            spec:
              sources: [{keystoreSet: {name: web}}]
            """);
        RealCluster.await("web Ready", TIMEOUT, () -> ready("web").map(c -> "True".equals(c.getStatus())).orElse(false));
        KeystoreSet web = client.resources(KeystoreSet.class).inNamespace(NS).withName("web").get();
        double notAfter = Instant.parse(web.getStatus().keystores.tls.notAfter).getEpochSecond();
        double renewal = Instant.parse(web.getStatus().keystores.tls.renewalTime).getEpochSecond();
        Map<String, String> webTls = Map.of("namespace", NS, "keystoreset", "web", "slot", "tls");

        RealCluster.await("the bundle counted", TIMEOUT, () -> {
            try {
                return sample(get("/q/metrics").body(), "keystore_trustbundle_certificates",
                    Map.of("namespace", NS, "trustbundle", "roots")).orElse(0.0) >= 1;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        String metrics = get("/q/metrics").body();
        assertEquals(notAfter, sample(metrics, "keystore_certificate_not_after_timestamp_seconds", webTls).orElseThrow());
        assertEquals(renewal, sample(metrics, "keystore_certificate_renewal_timestamp_seconds", webTls).orElseThrow());
        assertEquals(1.0, sample(metrics, "keystore_keystoreset_ready", Map.of("keystoreset", "web")).orElseThrow());
        assertEquals(0.0, sample(metrics, "keystore_keystoreset_ready", Map.of("keystoreset", "waiting")).orElseThrow());
        assertTrue(sample(metrics, "keystore_reconcile_seconds_count", Map.of("kind", "KeystoreSet", "outcome", "Ready"))
            .orElseThrow() >= 1);
        assertTrue(sample(metrics, "keystore_reconcile_seconds_count", Map.of("kind", "KeystoreSet",
            "outcome", "MissingInput")).orElseThrow() >= 1, "a problem is counted under its reason");
        assertTrue(sample(metrics, "keystore_reconcile_seconds_count", Map.of("kind", "TrustBundle", "outcome", "Ready"))
            .orElseThrow() >= 1);
        Set<String> sdk = Pattern.compile("(?m)^(operator_sdk_\\w+)").matcher(metrics).results().map(r -> r.group(1))
            .collect(Collectors.toSet());
        System.out.println("[measure] Java Operator SDK metrics exported: " + sdk);
        assertFalse(sdk.isEmpty(), "the Java Operator SDK's reconcile metrics are exported too");

        // a deleted set leaves the metrics at the next reconcile
        client.resources(KeystoreSet.class).inNamespace(NS).withName("waiting").delete();
        apply("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: other, namespace: ops}
            spec:
              tls: {dnsNames: [other.ops.svc], privateKey: {algorithm: EC, size: 256}}
            """);
        RealCluster.await("waiting gone from the metrics", TIMEOUT, () -> {
            try {
                String now = get("/q/metrics").body();
                return sample(now, "keystore_keystoreset_ready", Map.of("keystoreset", "other")).isPresent()
                    && sample(now, "keystore_keystoreset_ready", Map.of("keystoreset", "waiting")).isEmpty();
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    static boolean event(String set, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream().anyMatch(e ->
            set.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()));
    }

    static void edit(String set, java.util.function.UnaryOperator<KeystoreSet> change) {
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName(set), change);
    }

    static void annotate(String set, String key, String value) {
        edit(set, s -> {
            var annotations = new java.util.HashMap<String, String>(Optional.ofNullable(s.getMetadata().getAnnotations())
                .orElse(Map.of()));
            annotations.put(key, value);
            s.getMetadata().setAnnotations(annotations);
            return s;
        });
    }

    @Test
    void eventsSayIssuedRotatedRenewedRefusedAndInternalKeyAdopted() {
        String spec = """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: ev, namespace: ops}
            spec:
              primary: {}
              tls: {dnsNames: [%s], privateKey: {algorithm: EC, size: 256}}
            """;
        apply(spec.formatted("ev.ops.svc"));
        RealCluster.await("Issued", TIMEOUT, () -> event("ev", "Issued"));
        annotate("ev", "keystore.dev/rotate-tls", "t1");
        RealCluster.await("Rotated", TIMEOUT, () -> event("ev", "Rotated"));
        edit("ev", s -> {
            s.getSpec().tls.dnsNames = java.util.List.of("ev.ops.svc", "ev.example.com");
            return s;
        });
        RealCluster.await("Renewed (same key, new names)", TIMEOUT, () -> event("ev", "Renewed"));
        annotate("ev", "keystore.dev/rotate-primary", "p1");
        RealCluster.await("Refused (primary stands in for internal)", TIMEOUT, () -> event("ev", "Refused"));
        edit("ev", s -> {
            s.getSpec().internal = new dev.keystore.operator.api.v1alpha1.SlotSpec();
            return s;
        });
        RealCluster.await("InternalKeyAdopted", TIMEOUT, () -> event("ev", "InternalKeyAdopted"));
        RealCluster.await("ev Ready", TIMEOUT, () -> ready("ev").map(c -> "True".equals(c.getStatus())).orElse(false));
        assertTrue(client.v1().events().inNamespace(NS).list().getItems().stream()
            .filter(e -> "ev".equals(e.getInvolvedObject().getName()))
            .noneMatch(e -> e.getMessage().contains("PRIVATE KEY")));
    }
}

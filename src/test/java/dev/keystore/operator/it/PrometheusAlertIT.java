package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.testing.Tools;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's package, hack/install-prometheus.sh) on loopback scrapes the packaged
 * operator's /q/metrics with the rules of deploy/prometheus/ loaded, and reports the expiry alert
 * firing for a short-lived certificate only. The short-lived set also carries URI and e-mail SANs
 * (the API server keeps the fields; OpenSSL reads them from the Secret), and the set not Ready is
 * one with a URI without a scheme.
 */
class PrometheusAlertIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String NS = "alerts";
    static final Path RULES = RealCluster.PROJECT.resolve("deploy/prometheus/keystore-operator-rules.yaml");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static RealCluster cluster;
    static KubernetesClient client;
    static int operatorPort;
    static int prometheusPort;
    static Process prometheus;
    static Path prometheusLog;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("PrometheusAlertIT");
        client = cluster.client();
        cluster.createNamespace(NS);
        operatorPort = freePort();
        cluster.startOperator("PrometheusAlertIT", Map.of("QUARKUS_HTTP_PORT", String.valueOf(operatorPort)));

        Path dir = Files.createTempDirectory("prometheus-it");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            rule_files: ['%s']
            scrape_configs:
              - job_name: keystore-operator
                metrics_path: /q/metrics
                static_configs: [{targets: ['127.0.0.1:%d']}]
            """.formatted(RULES, operatorPort));
        prometheusPort = freePort();
        prometheusLog = RealCluster.PROJECT.resolve("target/it-logs/PrometheusAlertIT-prometheus.log");
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The alerts Prometheus holds (pending and firing), as {@code name set state}, from its HTTP API. */
    static List<String> alerts() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/alerts")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            List<String> found = new ArrayList<>();
            if (r.statusCode() != 200) {
                return found;
            }
            for (JsonNode a : new ObjectMapper().readTree(r.body()).path("data").path("alerts")) {
                found.add(a.path("labels").path("alertname").asText() + " " + a.path("labels").path("keystoreset").asText()
                    + " " + a.path("state").asText());
            }
            return found;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    static String metrics() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operatorPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static void apply(String yaml) {
        client.resource(client.getKubernetesSerialization().<HasMetadata>unmarshal(yaml)).createOr(op -> op.update());
    }

    @Test
    void theExpiryAlertFiresForAShortLivedCertificateOnly() throws Exception {
        apply("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: short, namespace: alerts}
            spec:
              tls:
                dnsNames: [short.alerts.svc]
                uris: [spiffe://example.org/ns/alerts/sa/short]
                emailAddresses: [ops@example.com]
                duration: 2h
                privateKey: {algorithm: EC, size: 256}
            """);
        apply("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: long, namespace: alerts}
            spec:
              tls: {dnsNames: [long.alerts.svc], privateKey: {algorithm: EC, size: 256}}
            """);
        apply("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: waiting, namespace: alerts}
            spec:
              tls: {dnsNames: [waiting.alerts.svc], uris: [alerts/waiting]}
            """);
        try {
            RealCluster.await("KeystoreCertificateExpiringSoon firing for short", TIMEOUT,
                () -> alerts().contains("KeystoreCertificateExpiringSoon short firing")
                    && alerts().contains("KeystoreSetNotReady waiting pending"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; alerts: " + alerts() + "; prometheus log:\n"
                + Files.readString(prometheusLog), e);
        }
        List<String> alerts = alerts();
        System.out.println("[measure] Prometheus alerts: " + alerts);
        // the year-long certificate is far from expiry, and nothing is overdue, expired or failing
        assertEquals(List.of("KeystoreCertificateExpiringSoon short firing", "KeystoreSetNotReady waiting pending"),
            alerts.stream().sorted().toList());

        KeystoreSet waiting = client.resources(KeystoreSet.class).inNamespace(NS).withName("waiting").get();
        var notReady = waiting.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst()
            .orElseThrow();
        assertEquals("InvalidSpec", notReady.getReason());
        assertEquals("spec.tls.uris: 'alerts/waiting' has no scheme (such as spiffe:// or https://)", notReady.getMessage());
        Secret secret = client.secrets().inNamespace(NS).withName("short-keystores").get();
        Path crt = Files.write(Files.createTempFile("short", ".crt"), Base64.getDecoder().decode(secret.getData()
            .get("tls.crt")));
        Tools.Run openssl = Tools.run("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", crt.toString());
        assertEquals(0, openssl.exitCode(), openssl.output());
        assertTrue(openssl.output().contains("DNS:short.alerts.svc, URI:spiffe://example.org/ns/alerts/sa/short, "
            + "email:ops@example.com"), openssl.output());

        // every operator metric the rules name is one the operator really serves; the CSR gauge has rows
        // only while a CSR waits (a set signed by an external CA, added now, after the alert checks above)
        apply("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: signing, namespace: alerts}
            spec:
              issuer: {external: {certificateSecretRef: {name: signing-signed}}}
              tls: {dnsNames: [signing.alerts.svc], privateKey: {algorithm: EC, size: 256}}
            """);
        String csrGauge = "keystore_csr_requested_timestamp_seconds";
        RealCluster.await("the CSR gauge", TIMEOUT, () -> Pattern.compile("(?m)^" + csrGauge + "\\{[^}]*keystoreset=\"signing\"")
            .matcher(metrics()).find());
        String metrics = metrics();
        var names = Pattern.compile("keystore_[a-z_]+").matcher(Files.readString(RULES)).results()
            .map(m -> m.group()).distinct().toList();
        assertEquals(5, names.size(), names.toString());
        for (String name : names) {
            if (name.equals("keystore_certificate_renewal_window_timestamp_seconds")) {
                continue; // rows only while a due renewal waits for its window: SecretTemplateAndDistributionIT scrapes it
            }
            assertTrue(Pattern.compile("(?m)^" + name + "\\{").matcher(metrics).find(), name + " is not served");
        }
        // reconcile errors are the Java Operator SDK's failed counter: its siblings are served under that prefix
        assertTrue(Pattern.compile("(?m)^operator_sdk_reconciliations_(started|success)_total\\{").matcher(metrics).find(),
            "operator_sdk_reconciliations_*_total");
    }
}

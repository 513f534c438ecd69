package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A new set, and a change to a set, cost one reconciliation each (issue 23): the operator's own
 * writes (three Secrets, the status, an Event) must not come back as events that reconcile the set
 * again, each of which would re-read its Secrets and decode its PKCS12 stores. Counted from the
 * operator's {@code keystore_reconcile_seconds_count} metric, on a real API server.
 *
 * <p>Also prints the operator's CPU time per new set (from /proc), for bench/notes.md; with
 * {@code -Dreconcile-once.jfr=path} the operator runs with a JFR recording written there.
 */
class ReconcileOnceIT {
    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final String NS = "once";
    static final int SETS = Integer.getInteger("reconcile-once.sets", 12);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static RealCluster cluster;
    static KubernetesClient client;
    static RealCluster.Operator operator;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("ReconcileOnceIT");
        client = cluster.client();
        cluster.createNamespace(NS);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(Map.of("QUARKUS_HTTP_PORT", String.valueOf(port)));
        String jfr = System.getProperty("reconcile-once.jfr");
        if (jfr != null && !jfr.isBlank()) {
            env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename=" + jfr);
        }
        if (Boolean.getBoolean("reconcile-once.debug")) { // which event caused each reconciliation
            env.put("QUARKUS_LOG_CATEGORY__IO_JAVAOPERATORSDK_OPERATOR_PROCESSING_EVENT__LEVEL", "DEBUG");
        }
        operator = cluster.startOperator("ReconcileOnceIT", env);
        RealCluster.await("the operator's metrics", TIMEOUT, () -> {
            try {
                return get("/q/metrics").statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNewSetAndEachChangeAreReconciledOnce() throws Exception {
        String shape = Files.readString(RealCluster.PROJECT.resolve("bench/shapes/tls-only-ec.yaml"));
        // a set first, so that the cold start (class loading, JIT) is not counted in the CPU per set
        apply(shape.replace("name: web", "name: warm").replace("namespace: default", "namespace: " + NS));
        awaitReady(List.of("warm"));
        awaitSettled();
        assertEquals(1, reconciles(), "a new set is reconciled once: " + reconcileLines());

        double cpuBefore = cpuMillis(operator.process().pid());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < SETS; i++) {
            names.add("web-" + i);
        }
        names.parallelStream().forEach(n -> apply(shape.replace("name: web", "name: " + n)
            .replace("namespace: default", "namespace: " + NS)));
        awaitReady(names);
        awaitSettled();
        double cpuPerSet = (cpuMillis(operator.process().pid()) - cpuBefore) / SETS;
        System.out.printf("[reconcile-once] %d new tls-only EC sets at once: operator CPU %.1f ms per set%n", SETS, cpuPerSet);
        assertEquals(1 + SETS, reconciles(), "each new set is reconciled once: " + reconcileLines());

        // a change to the spec is one more reconciliation, which rewrites the output
        String before = client.secrets().inNamespace(NS).withName("web-0-keystores").get().getMetadata().getResourceVersion();
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(NS).withName("web-0"), s -> {
            s.getSpec().tls.dnsNames = List.of("web.once.svc");
            return s;
        });
        RealCluster.await("web-0's output rewritten", TIMEOUT, () -> !before.equals(
            client.secrets().inNamespace(NS).withName("web-0-keystores").get().getMetadata().getResourceVersion()));
        awaitReady(List.of("web-0"));
        awaitSettled();
        assertEquals(2 + SETS, reconciles(), "a change is reconciled once: " + reconcileLines());
    }

    /**
     * Created as {@code kubectl apply} creates it: with the applied document as JSON in kubectl's
     * last-applied-configuration annotation, which the operator's cache leaves out (TrimmedStore):
     * its own status writes must still compare as no change.
     */
    static void apply(String yaml) {
        KeystoreSet set = client.getKubernetesSerialization().unmarshal(yaml, KeystoreSet.class);
        String applied = client.getKubernetesSerialization().asJson(set);
        set.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Objects.requireNonNullElse(
            set.getMetadata().getAnnotations(), java.util.Map.of())));
        set.getMetadata().getAnnotations().put("kubectl.kubernetes.io/last-applied-configuration", applied);
        client.resource(set).create();
    }

    static void awaitReady(List<String> names) {
        RealCluster.await(names.size() + " sets Ready", TIMEOUT, () -> names.stream().allMatch(n -> {
            KeystoreSet s = client.resources(KeystoreSet.class).inNamespace(NS).withName(n).get();
            return s != null && s.getStatus() != null && s.getStatus().conditions != null
                && s.getMetadata().getGeneration().equals(s.getStatus().observedGeneration)
                && s.getStatus().conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        }));
    }

    /**
     * Waits until the reconcile count has not moved for 3 s: the events of a set's own writes come
     * back within milliseconds, so a second reconciliation they caused would be counted by then.
     */
    static void awaitSettled() throws Exception {
        int last = reconciles();
        int still = 0;
        while (still < 6) {
            Thread.sleep(500);
            int now = reconciles();
            still = now == last ? still + 1 : 0;
            last = now;
        }
    }

    /** KeystoreSet reconciliations so far, whatever their outcome. */
    static int reconciles() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^keystore_reconcile_seconds_count\\{([^}]*)\\} (\\S+)$").matcher(get("/q/metrics").body());
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains("kind=\"KeystoreSet\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return (int) total;
    }

    static String reconcileLines() throws IOException, InterruptedException {
        return String.join("; ", get("/q/metrics").body().lines().filter(l -> l.startsWith("keystore_reconcile_seconds_count")).toList());
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** utime + stime of a process from /proc/pid/stat, in ms (clock ticks of 10 ms). */
    static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
    }
}

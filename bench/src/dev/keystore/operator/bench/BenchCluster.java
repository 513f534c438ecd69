package dev.keystore.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real kube-apiserver 1.20.2 (as in the ITs, from hack/install-kube-apiserver.sh) with an audit
 * log of every request at Metadata level, the project's CRDs and the bare operator's CRD, and the
 * operators as processes.
 */
final class BenchCluster implements AutoCloseable {
    static final String K8S_VERSION = "1.20.2";
    /** The harness's own requests carry this user agent, so that the audit log tells them apart. */
    static final String HARNESS_AGENT = "keystore-bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    final KubernetesClient client;
    final Path kubeconfig;
    final Path auditLog;
    final Path work;
    final Path project;
    private final KubeAPIServer server;
    private final List<OperatorProcess> processes = new ArrayList<>();
    private Path operatorCache;

    private BenchCluster(Path project, Path work) throws IOException {
        this.work = work;
        this.project = project;
        Path binaries = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", K8S_VERSION + "-linux-amd64");
        if (!Files.isExecutable(binaries.resolve("kube-apiserver"))) {
            throw new IllegalStateException("no kube-apiserver in " + binaries + ": run hack/install-kube-apiserver.sh");
        }
        Path policy = work.resolve("audit-policy.yaml");
        Files.writeString(policy, "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\n"
            + "rules:\n- level: Metadata\n");
        auditLog = work.resolve("audit.log");
        Files.deleteIfExists(auditLog);
        server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withApiServerVersion(K8S_VERSION)
            .withOfflineMode(true).withUpdateKubeConfig(false)
            .withApiServerFlag("--audit-policy-file", policy.toString())
            .withApiServerFlag("--audit-log-path", auditLog.toString())
            .withApiServerFlag("--audit-log-maxsize", "0")
            .build());
        server.start();
        kubeconfig = work.resolve("bench.kubeconfig");
        Files.writeString(kubeconfig, server.getKubeConfigYaml());
        Config config = Config.fromKubeconfig(server.getKubeConfigYaml());
        config.setUserAgent(HARNESS_AGENT);
        config.setMaxConcurrentRequests(64);
        config.setMaxConcurrentRequestsPerHost(64);
        client = new KubernetesClientBuilder().withConfig(config).build();
        List<Path> crds = new ArrayList<>();
        try (var files = Files.list(project.resolve("deploy/crds"))) {
            files.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(crds::add);
        }
        try (var files = Files.list(project.resolve("bench/bare-operator/target/kubernetes"))) {
            files.filter(p -> p.getFileName().toString().endsWith("-v1.yml")).forEach(crds::add);
        }
        for (Path f : crds) {
            CustomResourceDefinition crd = client.getKubernetesSerialization()
                .unmarshal(Files.readString(f), CustomResourceDefinition.class);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                    30, TimeUnit.SECONDS);
        }
    }

    static BenchCluster start(Path project, Path work) throws IOException {
        return new BenchCluster(project, work);
    }

    void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    /** Starts {@code java [jvmArgs] -jar jar} (JDK 17) against this server; its output goes to work/name.log. */
    OperatorProcess start(String name, Path jar, List<String> jvmArgs, Map<String, String> env) throws IOException {
        return start(name, Jvm.jdk17(), jar, jvmArgs, env);
    }

    /** As above, on {@code jvm} (a JDK's {@code java -jar}, or the launcher with an AOT cache). */
    OperatorProcess start(String name, Jvm jvm, Path jar, List<String> jvmArgs, Map<String, String> env)
        throws IOException {
        ProcessBuilder pb = jvm.processBuilder(project, jar, jvmArgs, List.of()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile()));
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().putAll(env);
        long started = System.nanoTime();
        OperatorProcess process = new OperatorProcess(pb.start(), started, jvm, work.resolve(name + ".log"));
        processes.add(process);
        return process;
    }

    /**
     * A JDK 25 AOT cache trained by one operator run against this server (made once per run, on first
     * use): the operator started with {@code -XX:AOTCacheOutput}, a new tls-only EC set reconciled to
     * Ready, then SIGTERM, on which the JVM writes the cache (what StartupJdkMeasurement measured as
     * the training that pays most).
     */
    synchronized Path operatorAotCache(Jvm jdk25, Path jar) throws Exception {
        if (operatorCache == null) {
            String ns = "aot-training";
            createNamespace(ns);
            Path cache = work.resolve("operator.aot");
            Files.deleteIfExists(cache);
            client.resource(Shape.TLS_ONLY_EC.named(project, ns, "training")).create();
            OperatorProcess p = start("aot-training", jdk25, jar, List.of("-XX:AOTCacheOutput=" + cache), Map.of());
            Startup.untilTrue(p, () -> ReadyWatch.isReady(client.resources(dev.keystore.operator.api.v1alpha1.KeystoreSet.class)
                .inNamespace(ns).withName("training").get()));
            p.stop(Duration.ofMinutes(2));
            if (!Files.isRegularFile(cache)) {
                throw new IllegalStateException("the operator training run made no AOT cache, see " + p.log);
            }
            operatorCache = cache;
        }
        return operatorCache;
    }

    /** The audit log's current end, to count the requests made after it. */
    long auditMark() throws IOException {
        return Files.size(auditLog);
    }

    /**
     * Requests made since {@code mark} by clients other than the harness and the API server itself
     * (the operators), that match {@code filter}, counted by "verb resource[/subresource]".
     */
    Map<String, Integer> operatorRequests(long mark, Predicate<JsonNode> filter) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        try (RandomAccessFile file = new RandomAccessFile(auditLog.toFile(), "r")) {
            file.seek(mark);
            BufferedReader reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(file.getChannel()),
                StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                String agent = event.path("userAgent").asText("");
                if (!"ResponseComplete".equals(event.path("stage").asText()) || agent.startsWith(HARNESS_AGENT)
                    || agent.startsWith("kube-apiserver") || !filter.test(event)) {
                    continue;
                }
                JsonNode ref = event.path("objectRef");
                String resource = ref.path("resource").asText("-")
                    + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
                counts.merge(event.path("verb").asText() + " " + resource, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The pids of the processes that serve the API: kube-apiserver and etcd (started by kube-api-test). */
    static Map<String, Long> serverPids() {
        Map<String, Long> pids = new TreeMap<>();
        ProcessHandle.current().descendants().forEach(p -> p.info().command().ifPresent(c -> {
            String name = Path.of(c).getFileName().toString();
            if (name.equals("kube-apiserver") || name.equals("etcd")) {
                pids.put(name, p.pid());
            }
        }));
        return pids;
    }

    static boolean isWrite(String verbAndResource) {
        String verb = verbAndResource.substring(0, verbAndResource.indexOf(' '));
        return List.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
    }

    static Predicate<JsonNode> inNamespace(String namespace) {
        return event -> namespace.equals(event.path("objectRef").path("namespace").asText());
    }

    @Override
    public void close() {
        for (OperatorProcess p : processes) {
            p.stop();
        }
        client.close();
        server.stop();
    }

    /** A JVM started by the harness: its pid, RSS and CPU time from /proc. */
    static final class OperatorProcess {
        final Process process;
        final long startedNanos;
        final Jvm jvm;
        final Path log;

        OperatorProcess(Process process, long startedNanos, Jvm jvm, Path log) {
            this.process = process;
            this.startedNanos = startedNanos;
            this.jvm = jvm;
            this.log = log;
        }

        long pid() {
            return process.pid();
        }

        double rssMiB() {
            return Machine.rssMiB(pid());
        }

        double cpuMillis() {
            return Machine.cpuMillis(pid());
        }

        /** Runs a full GC in the process (jcmd), so that RSS and heap figures are not a matter of GC timing. */
        String gc() {
            String jcmd = jvm.tool("jcmd");
            Machine.run(Path.of("."), jcmd, Long.toString(pid()), "GC.run");
            return Machine.run(Path.of("."), jcmd, Long.toString(pid()), "GC.heap_info");
        }

        /** Heap in use after a full GC, MiB. */
        double liveHeapMiB() {
            String info = gc();
            // G1: "garbage-first heap total ..K, used ..K"; Serial: one line per generation
            var m = java.util.regex.Pattern.compile("(?:heap|generation)\\s+total \\d+K, used (\\d+)K").matcher(info);
            long usedK = 0;
            boolean found = false;
            while (m.find()) {
                usedK += Long.parseLong(m.group(1));
                found = true;
            }
            return found ? usedK / 1024.0 : Double.NaN;
        }

        /** Waits until the process used at most {@code maxMillis} CPU in each of two windows in a row. */
        void awaitQuiet(Duration window, double maxMillis, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            int quiet = 0;
            double before = cpuMillis();
            while (quiet < 2 && System.nanoTime() < end) {
                Thread.sleep(window.toMillis());
                double now = cpuMillis();
                quiet = now - before <= maxMillis ? quiet + 1 : 0;
                before = now;
            }
            if (quiet < 2) {
                System.out.println("[bench] process " + pid() + " did not go quiet within " + timeout);
            }
        }

        /** SIGTERM, then SIGKILL after 20 s (120 s for a training run, which writes its AOT cache on the way out). */
        void stop() {
            stop(Duration.ofSeconds(20));
        }

        void stop(Duration grace) {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

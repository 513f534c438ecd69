package dev.keystore.training;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Trains the operator image's AOT cache on an operator run: a throw-away API server (Fabric8's mock
 * server in CRUD mode, TLS and a bearer token as in a cluster) with the CRDs and the examples in it,
 * the operator started as its own process by the given command (the image's JVM and class path, with
 * {@code -XX:AOTCacheOutput}), every example KeystoreSet and TrustBundle awaited until Ready, then the
 * operator stopped with SIGTERM: its JVM writes the cache on the way out. Exit 0 only if the operator
 * made every example Ready, exited and the cache file exists.
 *
 * <pre>java -jar operator-training.jar CRD_DIR CACHE EXAMPLE.yaml... -- java -XX:AOTCacheOutput=CACHE -jar quarkus-run.jar</pre>
 */
public final class OperatorTraining {
    static final String GROUP = "keystore.dev";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("training.ready-timeout-seconds", 300));
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(Long.getLong("training.exit-timeout-seconds", 600));
    /** After the last Ready: the warm key pool refills after its quiet period, as after a real start. */
    static final Duration SETTLE = Duration.ofMillis(Long.getLong("training.settle-millis", 3000));

    /** The mock server logs every request at INFO (java.util.logging): only its warnings, held here so it stays set. */
    static final java.util.logging.Logger MOCK_LOG = quiet(java.util.logging.Logger.getLogger("io.fabric8.mockwebserver"));

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Map<String, CustomResourceDefinitionContext> kinds = new HashMap<>();
    private final List<Awaited> awaited = new ArrayList<>();

    /** A KeystoreSet or TrustBundle of the examples, to be Ready. */
    record Awaited(String kind, String namespace, String name) {
        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    OperatorTraining() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    public static void main(String[] args) throws Exception {
        int dashes = List.of(args).indexOf("--");
        if (dashes < 3 || dashes == args.length - 1) {
            System.err.println("usage: operator-training CRD_DIR CACHE EXAMPLE.yaml... -- OPERATOR_COMMAND...");
            System.exit(2);
        }
        Path crds = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        List<Path> examples = Stream.of(args).skip(2).limit(dashes - 2L).map(Path::of).toList();
        List<String> operator = List.of(args).subList(dashes + 1, args.length);
        OperatorTraining training = new OperatorTraining();
        int code;
        try {
            code = training.run(crds, examples, operator, cache);
        } finally {
            training.close();
        }
        System.exit(code);
    }

    int run(Path crds, List<Path> examples, List<String> operator, Path cache) throws Exception {
        loadCrds(crds);
        for (Path example : examples) {
            loadExample(example);
        }
        Path kubeconfig = Files.createTempFile("training-kubeconfig", ".yaml");
        Files.writeString(kubeconfig, kubeconfig());
        Path log = Files.createTempFile("training-operator", ".log");
        kubeconfig.toFile().deleteOnExit();
        log.toFile().deleteOnExit();
        Files.deleteIfExists(cache);
        say("API server (Fabric8 mock, CRUD) at " + server.url("/") + "; " + awaited.size() + " resources to reconcile: " + awaited);
        ProcessBuilder pb = new ProcessBuilder(operator).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", "0"); // a build on the host network may have 8080 taken
        pb.environment().put("KEYSTORE_OPERATOR_LEADER_ELECTION_ENABLED", "false");
        long started = System.nanoTime();
        Process process = pb.start();
        try {
            List<Awaited> missing = awaitReady(process, READY_TIMEOUT);
            if (!missing.isEmpty()) {
                say("FAILED: not Ready after " + READY_TIMEOUT.toSeconds() + " s: " + missing + describe(missing)
                    + (process.isAlive() ? "" : "; the operator exited with " + process.exitValue()));
                tail(log);
                return 1;
            }
            say(String.format("every resource Ready %.1f s after the operator's start; stopping it", seconds(started)));
            Thread.sleep(SETTLE.toMillis());
        } finally {
            process.destroy(); // SIGTERM, as the kubelet stops a pod: the JVM runs its shutdown and writes the cache
        }
        long stopping = System.nanoTime();
        if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            say("FAILED: the operator did not exit within " + EXIT_TIMEOUT.toSeconds() + " s of SIGTERM");
            tail(log);
            return 1;
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            say("FAILED: the operator exited (" + process.exitValue() + ") without writing " + cache);
            tail(log);
            return 1;
        }
        say(String.format("the operator exited (%d) %.1f s after SIGTERM; cache %s, %d MB", process.exitValue(),
            seconds(stopping), cache, Files.size(cache) / 1_000_000));
        return 0;
    }

    void loadCrds(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                    CustomResourceDefinitionContext context = CustomResourceDefinitionContext.fromCrd(crd);
                    kinds.put(context.getKind(), context);
                }
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no CRDs in " + dir);
        }
    }

    /** Creates every object of the file (its namespace first); its KeystoreSets and TrustBundles are awaited. */
    void loadExample(Path file) throws IOException {
        List<HasMetadata> items;
        try (InputStream in = Files.newInputStream(file)) {
            items = client.load(in).items();
        }
        for (HasMetadata item : items) {
            String namespace = Objects.requireNonNullElse(item.getMetadata().getNamespace(), "default");
            if (client.namespaces().withName(namespace).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
            }
            CustomResourceDefinitionContext custom = kinds.get(item.getKind());
            if (custom != null) {
                client.genericKubernetesResources(custom).inNamespace(namespace).resource((GenericKubernetesResource) item).create();
                awaited.add(new Awaited(item.getKind(), namespace, item.getMetadata().getName()));
            } else {
                client.resource(item).inNamespace(namespace).create();
            }
        }
    }

    /** Polls until every awaited resource is Ready (an empty list) or the time is up (those not Ready). */
    List<Awaited> awaitReady(Process process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Awaited> missing = notReady();
        while (!missing.isEmpty() && System.nanoTime() < deadline && (process == null || process.isAlive())) {
            Thread.sleep(200);
            missing = notReady();
        }
        return missing;
    }

    List<Awaited> notReady() {
        return awaited.stream().filter(a -> !ready(get(a))).toList();
    }

    GenericKubernetesResource get(Awaited a) {
        return client.genericKubernetesResources(kinds.get(a.kind())).inNamespace(a.namespace()).withName(a.name()).get();
    }

    /** Ready=True among status.conditions. */
    @SuppressWarnings("unchecked")
    static boolean ready(GenericKubernetesResource resource) {
        if (resource == null || !(resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
            || !(status.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream().filter(Map.class::isInstance).map(c -> (Map<String, Object>) c)
            .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    }

    /** The Ready conditions' reasons of what is not Ready (reasons and messages name Secrets, never their values). */
    String describe(List<Awaited> missing) {
        Map<String, Object> reasons = new LinkedHashMap<>();
        for (Awaited a : missing) {
            GenericKubernetesResource r = get(a);
            Object status = r == null ? "gone" : r.getAdditionalProperties().get("status");
            reasons.put(a.toString(), status == null ? "no status" : status);
        }
        return " " + reasons;
    }

    String kubeconfig() {
        String url = server.url("/").replaceAll("/$", "");
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: training
              cluster: {server: "%s", insecure-skip-tls-verify: true}
            users:
            - name: training
              user: {token: training}
            contexts:
            - name: training
              context: {cluster: training, user: training}
            current-context: training
            """.formatted(url);
    }

    static void tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        say("the operator's last " + Math.min(80, lines.size()) + " log lines:");
        lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(l -> System.out.println("  | " + l));
    }

    static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static void say(String line) {
        System.out.println("[aot-training] " + line);
    }

    void close() {
        client.close();
        server.destroy();
    }

    KubernetesClient client() {
        return client;
    }

    List<Awaited> awaited() {
        return awaited;
    }
}

package dev.keystore.operator.it;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real kube-apiserver 1.20.2 (built by hack/install-kube-apiserver.sh) with etcd, the CRDs from
 * deploy/crds/ applied from the files, and the operator jar running against it as its own process.
 * Missing binaries fail the test: they are never a reason to skip.
 */
public final class RealCluster implements AutoCloseable {
    public static final String K8S_VERSION = "1.20.2";
    public static final Path PROJECT = Path.of(System.getProperty("project.dir", ".")).toAbsolutePath();

    private final KubeAPIServer server;
    private final Path kubeconfig;
    private final KubernetesClient client;
    private final List<Process> processes = new ArrayList<>();
    private final Path logDir;
    private Process operator;
    private boolean operatorStarted;

    private RealCluster(String name, boolean crds) throws IOException {
        Path binaries = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", K8S_VERSION + "-linux-amd64");
        if (!Files.isExecutable(binaries.resolve("kube-apiserver"))) {
            throw new IllegalStateException("no kube-apiserver in " + binaries + ": run hack/install-kube-apiserver.sh");
        }
        server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withApiServerVersion(K8S_VERSION)
            .withOfflineMode(true).withUpdateKubeConfig(false).build());
        server.start();
        logDir = PROJECT.resolve("target/it-logs");
        Files.createDirectories(logDir);
        kubeconfig = logDir.resolve(name + ".kubeconfig");
        Files.writeString(kubeconfig, server.getKubeConfigYaml());
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
        if (crds) {
            applyCrds();
        }
    }

    /** Starts the server and applies the CRDs; the operator is started separately. */
    public static RealCluster start(String name) throws IOException {
        return new RealCluster(name, true);
    }

    /** Starts the server without the CRDs (for a test that installs them itself, e.g. with Helm). */
    public static RealCluster startWithoutCrds(String name) throws IOException {
        return new RealCluster(name, false);
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    private void applyCrds() throws IOException {
        try (Stream<Path> files = Files.list(PROJECT.resolve("deploy/crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList()) {
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
    }

    public void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
    }

    /** Runs target/quarkus-app/quarkus-run.jar (the operator) with KUBECONFIG pointing at this server. */
    public Path startOperator(String name) throws IOException {
        Path jar = PROJECT.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": run mvn package first");
        }
        Path log = logDir.resolve(name + "-operator.log");
        if (!operatorStarted) {
            Files.deleteIfExists(log);
            operatorStarted = true;
        }
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        operator = pb.start();
        processes.add(operator);
        return log;
    }

    /** An operator process started with {@link #startOperator(String, Map)}. */
    public record Operator(Process process, Path log) {
        public String output() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Runs another operator process with extra environment (for example the chart's env, or
     * KUBERNETES_IMPERSONATE_USERNAME to act as a ServiceAccount); it is stopped on close.
     */
    public Operator startOperator(String name, Map<String, String> env) throws IOException {
        Path jar = PROJECT.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": run mvn package first");
        }
        Path log = logDir.resolve(name + "-operator.log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().putAll(env);
        Process process = pb.start();
        synchronized (processes) {
            processes.add(process);
        }
        return new Operator(process, log);
    }

    /** Stops the operator process (as a pod restart would), waiting for it to end. */
    public void stopOperator() throws InterruptedException {
        if (operator != null) {
            operator.destroy();
            if (!operator.waitFor(20, TimeUnit.SECONDS)) {
                operator.destroyForcibly().waitFor();
            }
            processes.remove(operator);
            operator = null;
        }
    }

    /** Runs kube-controller-manager with the garbage collector and Deployment controllers. */
    public void startControllerManager(String name) throws IOException {
        Path binary = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", K8S_VERSION + "-linux-amd64",
            "kube-controller-manager");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--kubeconfig=" + kubeconfig,
            "--controllers=garbagecollector,deployment,replicaset", "--leader-elect=false", "--secure-port=0", "--port=0")
            .redirectErrorStream(true).redirectOutput(logDir.resolve(name + "-kcm.log").toFile());
        processes.add(pb.start());
    }

    /** An edit tried again when another writer (the operator's status) came in between: 409 Conflict. */
    public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T edit(
        io.fabric8.kubernetes.client.dsl.Resource<T> resource, java.util.function.UnaryOperator<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return resource.edit(change);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        server.stop();
    }
}

package dev.keystore.operator.it;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import dev.keystore.operator.testing.OperatorChart;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one-node cluster of hack/cluster.sh (etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
 * a kubelet on Docker; pods on hostNetwork, loopback only), started once per test JVM for every pod test
 * class and stopped when the JVM exits; and the operator image, built once from the Dockerfile with the
 * local Debian base images as build arguments. A missing piece fails the tests: never a reason to skip.
 */
public final class PodCluster {
    public static final Path PROJECT = RealCluster.PROJECT;
    public static final Path DIR = PROJECT.resolve("target/pod-cluster");
    public static final String IMAGE_REPOSITORY = "keystore-operator";
    public static final String IMAGE_TAG = "pods-it";
    public static final String IMAGE = IMAGE_REPOSITORY + ":" + IMAGE_TAG;
    public static final String BUILD_IMAGE = "local/debian-jdk17-maven:bookworm";
    /** The workloads' JRE (Java 17). */
    public static final String RUNTIME_IMAGE = "local/debian-jre17:bookworm";
    /** The operator image's base: the same Debian with a Java 25 runtime (hack/cluster-images.sh). */
    public static final String OPERATOR_RUNTIME_IMAGE = "local/debian-jre25:bookworm";

    private static PodCluster instance;

    private final Map<String, String> env;
    private final KubernetesClient client;
    private boolean imageBuilt;
    private String imageBuildLog = "";

    public record Run(int exitCode, String output) {
        Run orFail(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed (" + exitCode + "):\n" + output);
            }
            return this;
        }
    }

    /** The cluster, started on first use. */
    public static synchronized PodCluster get() {
        if (instance == null) {
            instance = new PodCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::down, "pod-cluster-down"));
        }
        return instance;
    }

    private PodCluster() {
        long started = System.nanoTime();
        run(Duration.ofMinutes(40), "bash", PROJECT.resolve("hack/cluster.sh").toString(), "up", DIR.toString())
            .orFail("hack/cluster.sh up");
        System.out.printf("[measure] pod cluster up (hack/cluster.sh up, images checked): %d s%n",
            (System.nanoTime() - started) / 1_000_000_000L);
        env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(DIR.resolve("cluster.env"))) {
                String[] kv = line.split("=", 2);
                if (kv.length == 2) {
                    env.put(kv[0], kv[1]);
                }
            }
            client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig()))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void down() {
        run(Duration.ofMinutes(3), "bash", PROJECT.resolve("hack/cluster.sh").toString(), "down", DIR.toString());
        client.close();
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return Path.of(env.get("KUBECONFIG"));
    }

    public int apiPort() {
        return Integer.parseInt(env.get("API_PORT"));
    }

    /** Builds the operator image from the Dockerfile once per JVM (docker build, the local base images). */
    public synchronized String operatorImage() {
        if (!imageBuilt) {
            long started = System.nanoTime();
            Run build = run(Duration.ofMinutes(40), Map.of("DOCKER_BUILDKIT", "0", "DOCKER_HOST", env.get("DOCKER_HOST")),
                env.get("DOCKER"), "build",
                "--network", "host", "--build-arg", "BUILD_IMAGE=" + BUILD_IMAGE,
                "--build-arg", "RUNTIME_IMAGE=" + OPERATOR_RUNTIME_IMAGE, "-t", IMAGE, PROJECT.toString());
            build.orFail("docker build");
            imageBuildLog = build.output();
            System.out.printf("[measure] docker build of the operator image: %d s%n",
                (System.nanoTime() - started) / 1_000_000_000L);
            imageBuilt = true;
        }
        return IMAGE;
    }

    /** What the {@code docker build} of {@link #operatorImage()} printed (a step Docker took from its cache prints nothing). */
    public synchronized String operatorImageBuildLog() {
        operatorImage();
        return imageBuildLog;
    }

    public Run docker(String... args) {
        List<String> command = new ArrayList<>(List.of(env.get("DOCKER")));
        command.addAll(List.of(args));
        return run(Duration.ofMinutes(5), Map.of("DOCKER_HOST", env.get("DOCKER_HOST")), command.toArray(String[]::new));
    }

    public Run kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of(env.get("KUBECTL"), "--kubeconfig=" + kubeconfig()));
        command.addAll(List.of(args));
        return run(Duration.ofMinutes(2), command.toArray(String[]::new));
    }

    /**
     * The chart's values for a pod on this cluster: the image built here, the node's network, its own HTTP
     * port, and the API server on loopback (a container's own env wins over the kubelet's service variables).
     */
    public Map<String, Object> podValues(int httpPort) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("image.repository", IMAGE_REPOSITORY);
        values.put("image.tag", IMAGE_TAG);
        values.put("hostNetwork", "true");
        values.put("httpPort", Integer.toString(httpPort));
        values.put("extraEnv[0].name", "KUBERNETES_SERVICE_HOST");
        values.put("extraEnv[0].value", "127.0.0.1");
        values.put("extraEnv[1].name", "KUBERNETES_SERVICE_PORT");
        values.put("extraEnv[1].value", Integer.toString(apiPort()));
        return values;
    }

    public Release helmInstall(String release, String namespace, Map<String, Object> values) {
        InstallCommand install = new Helm(OperatorChart.DIR).install().withName(release).withNamespace(namespace)
            .createNamespace().withKubeConfig(kubeconfig());
        values.forEach(install::set);
        return install.call();
    }

    /** The running pods of a release's Deployment (app.kubernetes.io/instance=release), not being deleted. */
    public List<Pod> pods(String namespace, String release) {
        return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", release).list().getItems()
            .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    public static boolean ready(Pod pod) {
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Waits for exactly one Ready pod of the release (others gone) and returns it. */
    public Pod awaitOneReadyPod(String namespace, String release, Duration timeout) {
        try {
            RealCluster.await("one Ready pod of " + namespace + "/" + release, timeout, () -> {
                List<Pod> all = client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", release)
                    .list().getItems();
                return all.size() == 1 && ready(all.get(0));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(namespace), e);
        }
        return pods(namespace, release).get(0);
    }

    /** The pods of a namespace with their phase, conditions and container states, for a failure message. */
    public String describe(String namespace) {
        return kubectl("-n", namespace, "get", "pods,events", "-o", "wide").output();
    }

    /** The Docker id of a pod's container (status.containerStatuses[].containerID is docker://ID). */
    public static String containerId(Pod pod, String container) {
        for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
            if (container.equals(s.getName()) && s.getContainerID() != null) {
                return s.getContainerID().replaceFirst("^docker://", "");
            }
        }
        throw new AssertionError("no container " + container + " in pod " + pod.getMetadata().getName());
    }

    /** A container's output (kubectl logs has no node address to go to on this cluster). */
    public String logs(String containerId) {
        return docker("logs", containerId).output();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Run run(Duration timeout, String... command) {
        return run(timeout, Map.of(), command);
    }

    /** Runs a command, output (stdout and stderr) through a file so that a chatty one never blocks. */
    public static Run run(Duration timeout, Map<String, String> extraEnv, String... command) {
        try {
            Path out = Files.createTempFile("pod-cluster", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().putAll(extraEnv);
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command) + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operator start -> first Ready of a tls-only EC set, side by side in one run (issue 23): JDK 17,
 * JDK 25, and JDK 25 with an AOT cache trained by a render of the examples, by one operator run
 * against this real API server, or by the image's training (training/: an operator run against
 * Fabric8's mock API server, as the Dockerfile does it; build it first with
 * {@code mvn -B -q -f training/pom.xml package -Dmaven.test.skip=true}).
 * A measurement, not a check of times, so not in the IT suite (the name does not match failsafe's
 * patterns): run it with {@code -Dit.test=StartupJdkMeasurement} ({@code -Dstartup-jdk.java25=JDK_HOME},
 * default /usr/lib/jvm/temurin-25-jdk-amd64); it asserts only that every variant reached Ready and
 * that each cache was usable ({@code -XX:AOTMode=on} makes a JVM that cannot map it fail to start).
 * hack/bench.sh's part "startup" (bench/src/.../Startup.java) measures JDK 17, 25 and 25 with the
 * operator-trained cache (through bin/keystore-operator) against the bare QOSDK operator in every run.
 */
class StartupJdkMeasurement {
    static final String NS = "startup-jdk";
    static final int ROUNDS = Integer.getInteger("startup-jdk.rounds", 3);
    static final Path JAR = RealCluster.PROJECT.resolve("target/quarkus-app/quarkus-run.jar");
    static final Path WORK = RealCluster.PROJECT.resolve("target/startup-jdk");
    static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");
    static RealCluster cluster;
    static KubernetesClient client;
    static String java25;
    static int sets;

    @BeforeAll
    static void start() throws Exception {
        String home = System.getProperty("startup-jdk.java25", "/usr/lib/jvm/temurin-25-jdk-amd64");
        java25 = Path.of(home, "bin", "java").toString();
        Files.createDirectories(WORK);
        cluster = RealCluster.start("StartupJdkMeasurement");
        client = cluster.client();
        cluster.createNamespace(NS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    record Sample(double readyMs, double startedS) {
    }

    @Test
    void startToFirstReadyOnJdk17AndJdk25WithAndWithoutAnAotCache() throws Exception {
        double[] startLoad = loadAverage();
        // training: a render of every example, and one operator run that reconciles a set
        Path renderAot = WORK.resolve("render.aot");
        Path operatorAot = WORK.resolve("operator.aot");
        Files.deleteIfExists(renderAot);
        Files.deleteIfExists(operatorAot);
        List<String> render = new ArrayList<>(List.of(java25, "-XX:AOTCacheOutput=" + renderAot, "-jar", JAR.toString(),
            "render", "-o", WORK.resolve("render-out").toString()));
        for (String example : List.of("tls-only", "wso2-apim", "liberty-mtls", "zowe")) { // as the Dockerfile's training
            render.add("-f");
            render.add(RealCluster.PROJECT.resolve("examples/" + example + ".yaml").toString());
        }
        Process training = new ProcessBuilder(render).redirectErrorStream(true)
            .redirectOutput(WORK.resolve("render-training.log").toFile()).start();
        assertTrue(training.waitFor(5, TimeUnit.MINUTES), "render training");
        assertEquals(0, training.exitValue(), "render training: " + Files.readString(WORK.resolve("render-training.log")));
        assertTrue(Files.isRegularFile(renderAot), "render training made no cache: " + Files.readString(WORK.resolve("render-training.log")));
        run("training", List.of(java25, "-XX:AOTCacheOutput=" + operatorAot));
        assertTrue(Files.isRegularFile(operatorAot), "operator training made no cache");
        // the image's training: training/train.sh's operator run, against the mock server, with its examples
        Path mockAot = WORK.resolve("mock-operator.aot");
        Files.deleteIfExists(mockAot);
        Path driver = RealCluster.PROJECT.resolve("training/target/operator-training.jar");
        assertTrue(Files.isRegularFile(driver), "build the training driver first: mvn -B -q -f training/pom.xml package -Dmaven.test.skip=true");
        List<String> mock = new ArrayList<>(List.of(java25, "-jar", driver.toString(), RealCluster.PROJECT.resolve("deploy/crds").toString(),
            mockAot.toString()));
        for (String example : List.of("tls-only", "wso2-apim", "trustbundle")) { // as training/train.sh
            mock.add(RealCluster.PROJECT.resolve("examples/" + example + ".yaml").toString());
        }
        mock.addAll(List.of("--", java25, "-XX:AOTCacheOutput=" + mockAot, "-jar", JAR.toString()));
        ProcessBuilder mockTraining = new ProcessBuilder(mock).redirectErrorStream(true)
            .redirectOutput(WORK.resolve("mock-training.log").toFile());
        mockTraining.environment().remove("JAVA_TOOL_OPTIONS");
        Process mocked = mockTraining.start();
        assertTrue(mocked.waitFor(10, TimeUnit.MINUTES), "training against the mock server");
        assertEquals(0, mocked.exitValue(), "training against the mock server: " + Files.readString(WORK.resolve("mock-training.log")));
        assertTrue(Files.isRegularFile(mockAot), "the mock-server training made no cache");

        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("JDK 17", List.of(Path.of(System.getProperty("startup-jdk.java17",
            "/usr/lib/jvm/java-17-openjdk-amd64"), "bin", "java").toString()));
        variants.put("JDK 25", List.of(java25));
        variants.put("JDK 25 + AOT cache (render training)", List.of(java25, "-XX:AOTMode=on", "-XX:AOTCache=" + renderAot));
        variants.put("JDK 25 + AOT cache (operator training)", List.of(java25, "-XX:AOTMode=on", "-XX:AOTCache=" + operatorAot));
        variants.put("JDK 25 + AOT cache (image training: operator vs mock server)",
            List.of(java25, "-XX:AOTMode=on", "-XX:AOTCache=" + mockAot));
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        variants.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
        List<String> names = new ArrayList<>(variants.keySet());
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + round) % names.size()); // each variant first once
                samples.get(name).add(run(name, variants.get(name)));
            }
        }
        double[] load = loadAverage();
        StringBuilder table = new StringBuilder("| JVM | start -> first Ready (ms), " + ROUNDS + " runs | median | Quarkus \"started in\" median (s) |\n|---|---|---|---|\n");
        double base = median(samples.get("JDK 17").stream().map(Sample::readyMs).toList());
        for (var e : samples.entrySet()) {
            List<Double> ready = e.getValue().stream().map(Sample::readyMs).toList();
            table.append("| ").append(e.getKey()).append(" | ")
                .append(String.join(", ", ready.stream().map(d -> String.format("%.0f", d)).toList())).append(" | ")
                .append(String.format("%.0f (%.2fx JDK 17)", median(ready), median(ready) / base)).append(" | ")
                .append(String.format("%.2f", median(e.getValue().stream().map(Sample::startedS).toList()))).append(" |\n");
        }
        for (Path cache : List.of(renderAot, operatorAot, mockAot)) {
            table.append(String.format("%n%s: %d MB", cache.getFileName(), Files.size(cache) / 1_000_000));
        }
        table.append(String.format("%nLoad average at the start: %.2f / %.2f / %.2f", startLoad[0], startLoad[1], startLoad[2]));
        table.append(String.format("%nLoad average at the end: %.2f / %.2f / %.2f on %d cores.%n", load[0], load[1], load[2],
            Runtime.getRuntime().availableProcessors()));
        Files.writeString(WORK.resolve("startup-jdk.md"), table);
        System.out.println("[startup-jdk]\n" + table);
        samples.values().forEach(s -> assertEquals(ROUNDS, s.size()));
    }

    /** Starts the operator with {@code command} (java and its flags), until a new set is Ready; then stops it. */
    static Sample run(String label, List<String> command) throws Exception {
        String set = "start-" + (sets++);
        String shape = Files.readString(RealCluster.PROJECT.resolve("bench/shapes/tls-only-ec.yaml"))
            .replace("name: web", "name: " + set).replace("namespace: default", "namespace: " + NS);
        client.resource(shape).create();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("-jar", JAR.toString()));
        Path log = WORK.resolve(label.replaceAll("[^A-Za-z0-9]+", "-") + "-" + set + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        long started = System.nanoTime();
        Process process = pb.start();
        try {
            RealCluster.await(label + ": " + set + " Ready (" + log + ")", Duration.ofMinutes(3), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(label + " exited " + process.exitValue() + ": " + read(log));
                }
                KeystoreSet s = client.resources(KeystoreSet.class).inNamespace(NS).withName(set).get();
                return s != null && s.getStatus() != null && s.getStatus().conditions != null && s.getStatus().conditions.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            });
            double readyMs = (System.nanoTime() - started) / 1e6;
            Matcher m = STARTED.matcher(read(log));
            return new Sample(readyMs, m.find() ? Double.parseDouble(m.group(1)) : Double.NaN);
        } finally {
            process.destroy(); // SIGTERM: a training run writes its cache on the way out
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double[] loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    }
}

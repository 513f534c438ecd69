package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile built for real by {@code docker build} (its base images passed as build arguments: the local
 * Debian JDK + Maven and JRE images of hack/cluster-images.sh), then the image checked from {@code docker
 * inspect} and run.
 */
class OperatorImageIT {
    static PodCluster cluster;
    static String image;
    static JsonNode inspected;

    @BeforeAll
    static void build() throws Exception {
        cluster = PodCluster.get();
        image = cluster.operatorImage();
        String json = cluster.docker("image", "inspect", image).orFail("docker image inspect").output();
        inspected = new ObjectMapper().readTree(json).get(0);
        System.out.printf("[measure] operator image size: %d MB (%s; the JRE base alone: %s MB)%n",
            inspected.get("Size").asLong() / 1_000_000, image, baseSizeMb());
    }

    static long baseSizeMb() throws Exception {
        String json = cluster.docker("image", "inspect", PodCluster.OPERATOR_RUNTIME_IMAGE).orFail("inspect").output();
        return new ObjectMapper().readTree(json).get(0).get("Size").asLong() / 1_000_000;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Runs a shell in the image (as its own user, read-only, no network, no capabilities). */
    static PodCluster.Run shell(String image, String script) {
        return cluster.docker("run", "--rm", "--read-only", "--network", "none", "--cap-drop", "ALL",
            "--entrypoint", "/bin/sh", image, "-c", script);
    }

    @Test
    void theImageRunsTheFastJarAsANumericNonRootUser() {
        JsonNode config = inspected.get("Config");
        assertEquals("1001", config.get("User").asText());
        assertEquals(List.of("/deployments/bin/keystore-operator"), strings(config.get("Entrypoint")));
        assertEquals("/deployments", config.get("WorkingDir").asText());
        assertTrue(config.get("ExposedPorts").has("8080/tcp"), config.toString());
        assertTrue(config.get("Healthcheck") == null || config.get("Healthcheck").isNull(), "probes live in the chart");
        assertEquals("amd64", inspected.get("Architecture").asText());
    }

    @Test
    void theLayoutIsTheWholeFastJarOwnedByRootAndNoBuildTools() {
        PodCluster.Run run = shell(image, "id -u; ls /deployments; ls /deployments/lib/main | wc -l; "
            + "stat -c '%u %a' /deployments/quarkus-run.jar; test -w /deployments/quarkus-run.jar && echo writable; "
            + "command -v javac mvn jshell || true; java -version 2>&1 | head -1").orFail("a shell in the image");
        List<String> lines = run.output().lines().toList();
        assertEquals("1001", lines.get(0), run.output());
        assertEquals(List.of("aot", "app", "bin", "lib", "quarkus", "quarkus-run.jar"), lines.subList(1, 7), run.output());
        assertTrue(Integer.parseInt(lines.get(7).strip()) > 50, "the dependencies are in lib/main: " + run.output());
        assertEquals("0 644", lines.get(8), "root's, not writable by the user: " + run.output());
        assertFalse(run.output().contains("writable"), run.output());
        assertFalse(run.output().contains("/javac") || run.output().contains("/mvn") || run.output().contains("/jshell"),
            "a JRE without build tools: " + run.output());
        assertTrue(lines.get(lines.size() - 1).contains("\"25"), "a Java 25 runtime: " + run.output());
    }

    /**
     * The AOT cache made at build time is the one the image's JVM uses: with -XX:AOTMode=on a JVM
     * that cannot map it (another JVM build, a changed class path) refuses to start, so a render that
     * succeeds proves the cache was used.
     */
    @Test
    void theImagesJvmUsesTheAotCacheMadeAtBuildTime(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        PodCluster.Run run = cluster.docker("run", "--rm", "--read-only", "--tmpfs", "/tmp", "--network", "none",
            "--cap-drop", "ALL", "-e", "JAVA_OPTS=-XX:AOTMode=on -Xlog:aot=info",
            "-v", PodCluster.PROJECT.resolve("examples") + ":/examples:ro", "-v", out + ":/out", image,
            "render", "-f", "/examples/tls-only.yaml", "-o", "/out");
        assertEquals(0, run.exitCode(), "the image's JVM could not use its AOT cache: " + run.output());
        assertTrue(run.output().contains("Opened AOT cache /deployments/aot/keystore-operator.aot"), run.output());
        System.out.printf("[measure] AOT cache in the image: %s%n", shell(image, "ls -l /deployments/aot").output().strip());
    }

    /**
     * The cache is trained by an operator run (training/: the examples reconciled until Ready against a
     * throw-away API server), not by the render fallback: the note the training stage leaves beside the cache,
     * and the training's lines in the build log when Docker ran that step (not taken from its layer cache).
     */
    @Test
    void theAotCacheIsTrainedByAnOperatorRun() {
        PodCluster.Run note = shell(image, "cat /deployments/aot/training; test -s /deployments/aot/keystore-operator.aot")
            .orFail("the training note and the cache");
        assertTrue(note.output().startsWith("operator run against a throw-away API server"), note.output());
        String log = cluster.operatorImageBuildLog();
        List<String> training = log.lines().filter(l -> l.contains("[aot-training]")).toList();
        training.forEach(l -> System.out.println("[measure] " + l.strip()));
        if (!training.isEmpty()) {
            assertTrue(training.stream().anyMatch(l -> l.contains("every resource Ready")), log);
            assertTrue(training.stream().anyMatch(l -> l.contains("AOT cache trained by an operator run")), log);
            assertFalse(log.contains("falling back to a render"), log);
        }
    }

    @Test
    void theMachinesTrustStoreIsOnlyInTheLocalBuildImage() throws Exception {
        // the build stage's Maven reaches Maven Central through the machine's own CAs; the image that runs
        // (and any image built from the Dockerfile's defaults) must not carry them
        String machine = PodCluster.run(java.time.Duration.ofSeconds(30), "sha256sum", "/etc/ssl/certs/java/cacerts",
            "/etc/ssl/certs/ca-certificates.crt").orFail("sha256sum").output().replaceAll("\\s+/\\S+", "").strip();
        String script = "sha256sum /etc/ssl/certs/java/cacerts /etc/ssl/certs/ca-certificates.crt";
        String build = shell(PodCluster.BUILD_IMAGE, script).orFail("the build image").output()
            .replaceAll("\\s+/\\S+", "").strip();
        String runtime = shell(image, script).orFail("the operator image").output().replaceAll("\\s+/\\S+", "").strip();
        assertEquals(machine, build, "the build image carries the machine's trust store (hack/cluster-images.sh)");
        for (String hash : runtime.lines().toList()) {
            assertFalse(machine.contains(hash), "the operator image must not carry the machine's trust store");
        }
        assertNotEquals(machine, runtime);
    }

    @Test
    void theImageStartsAndRendersReadOnlyWithoutNetworkOrCapabilities(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        PodCluster.Run run = cluster.docker("run", "--rm", "--read-only", "--tmpfs", "/tmp", "--network", "none",
            "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
            "-v", PodCluster.PROJECT.resolve("examples") + ":/examples:ro", "-v", out + ":/out", image,
            "render", "-f", "/examples/tls-only.yaml", "-o", "/out");
        assertEquals(0, run.exitCode(), run.output());
        try (var files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("password") && names.contains("tls.crt"), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".p12")), names.toString());
        }
        JsonNode cmd = inspected.get("Config").get("Cmd");
        assertTrue(cmd == null || cmd.isNull(), "no CMD: arguments go straight to the jar: " + cmd);
    }
}

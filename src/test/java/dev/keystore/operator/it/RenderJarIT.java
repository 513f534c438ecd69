package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's render command, as the README runs it: no cluster, never a connection. */
class RenderJarIT {
    static final String JAR = RealCluster.PROJECT.resolve("target/quarkus-app/quarkus-run.jar").toString();

    /** A kubeconfig naming an API server on a closed loopback port: render must not care. */
    static Map<String, String> unreachableCluster(Path dir) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
            contexts: [{name: c, context: {cluster: c, user: u}}]
            current-context: c
            users: [{name: u, user: {token: t}}]
            """);
        return Map.of("KUBECONFIG", kubeconfig.toString());
    }

    @Test
    void rendersTheWso2ExampleWithoutACluster(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("keystores");
        long started = System.nanoTime();
        Tools.Run run = Tools.run(RealCluster.PROJECT, unreachableCluster(dir), RealCluster.javaBinary(), "-jar", JAR,
            "render", "-f", "examples/wso2-apim.yaml", "-o", out.toString());
        System.out.printf("[measure] render examples/wso2-apim.yaml (jar, cold JVM): %d ms%n",
            (System.nanoTime() - started) / 1_000_000);
        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains("127.0.0.1:1"), run.output());
        assertFalse(run.output().contains(Files.readString(out.resolve("password"))));
        assertTrue(Files.exists(out.resolve("wso2carbon.jks")));

        Tools.Run again = Tools.run(RealCluster.PROJECT, unreachableCluster(dir), RealCluster.javaBinary(), "-jar", JAR,
            "render", "-f", "examples/wso2-apim.yaml", "-o", out.toString());
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("unchanged"), again.output());
    }

    @Test
    void badInputExitsNonZeroWithOneLine(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "kind: KeystoreSet\napiVersion: keystore.dev/v1alpha1\nmetadata: {name: b}\nspec: {tls: {privateKey: {size: 1024}}}\n");
        Tools.Run run = Tools.run(RealCluster.PROJECT, Map.of(), RealCluster.javaBinary(), "-jar", JAR,
            "render", "-f", yaml.toString(), "-o", dir.resolve("out").toString());
        assertEquals(1, run.exitCode(), run.output());
        assertEquals("error: KeystoreSet b: spec.tls.privateKey.size: 1024 is not an allowed RSA size (2048, 3072, 4096)",
            run.output().strip());
        assertFalse(Files.exists(dir.resolve("out")));
    }
}

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

    /**
     * Bad input of every kind through the real jar: exit 1 and exactly one line, with no stack trace
     * and none of the DEBUG lines JBoss LogManager buffers before Quarkus would configure logging.
     */
    @Test
    void everyFailureIsOneLineWithoutAStackTraceOrLogLines(@TempDir Path dir) throws Exception {
        String head = "apiVersion: keystore.dev/v1alpha1\nkind: KeystoreSet\nmetadata: {name: a}\n";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(head + "spec: {internal: {import: {keystore: {passwordSecretRef: {name: pw}}}}}\n",
            "spec.internal.import.keystore.secretRef: Required value");
        cases.put("apiVersion: v1\nkind: Secret\nmetadata: {name: pw}\ndata: {password: '!!!'}\n---\n" + head
            + "spec: {tls: {}}\n", "Secret default/pw: data[password]: not valid base64");
        cases.put(head + "spec: {tls: {}, config: [wso2], primary: {}, mountPath: \"/x\\n[admin]\"}\n",
            "spec.mountPath: Invalid value: \"/x\\n[admin]\": spec.mountPath in body should match");
        cases.put(head.replace("name: a", "name: ../../evil") + "spec: {tls: {}}\n",
            "metadata.name: Invalid value: \"../../evil\"");
        cases.put(head + "spec: {tls: {}}\n---\n" + head + "spec: {tls: {}}\n", "metadata.name: Duplicate value");
        for (var c : cases.entrySet()) {
            Path yaml = dir.resolve("bad.yaml");
            Files.writeString(yaml, c.getKey());
            Tools.Run run = Tools.run(RealCluster.PROJECT, Map.of(), RealCluster.javaBinary(), "-jar", JAR,
                "render", "-f", yaml.toString(), "-o", dir.resolve("out").toString());
            assertEquals(1, run.exitCode(), run.output());
            assertEquals(1, run.output().strip().lines().count(), run.output());
            assertTrue(run.output().startsWith("error: ") && run.output().contains(c.getValue()), run.output());
            assertFalse(run.output().contains("DEBUG") || run.output().contains("\tat ")
                || run.output().contains("Exception in thread") || run.output().contains("DelayedHandler"), run.output());
            assertFalse(Files.exists(dir.resolve("out")));
        }
        Tools.Run usage = Tools.run(RealCluster.PROJECT, Map.of(), RealCluster.javaBinary(), "-jar", JAR, "render", "-f");
        assertEquals(2, usage.exitCode(), usage.output());
    }

    /** One resource into -o, then two into -o/<name>: the first set keeps its internal key and its CA. */
    @Test
    void aSecondResourceInTheInputKeepsTheFirstSetsKeys(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("keystores");
        Tools.Run one = Tools.run(RealCluster.PROJECT, Map.of(), RealCluster.javaBinary(), "-jar", JAR,
            "render", "-f", "examples/wso2-apim.yaml", "-o", out.toString());
        assertEquals(0, one.exitCode(), one.output());
        byte[] internal = internalKey(out);
        String ca = Files.readString(out.resolve("ca.crt"));

        Tools.Run two = Tools.run(RealCluster.PROJECT, Map.of(), RealCluster.javaBinary(), "-jar", JAR,
            "render", "-f", "examples/wso2-apim.yaml", "-f", "examples/tls-only.yaml", "-o", out.toString());

        assertEquals(0, two.exitCode(), two.output());
        org.junit.jupiter.api.Assertions.assertArrayEquals(internal, internalKey(out.resolve("apim")));
        assertEquals(ca, Files.readString(out.resolve("apim/ca.crt")));
        assertTrue(Files.exists(out.resolve("web/tls.p12")));
    }

    private static byte[] internalKey(Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(dir.resolve("internal_keystore.jks"));
        return dev.keystore.operator.keystore.KeystoreCodec.read(dev.keystore.operator.keystore.KeystoreCodec.detect(bytes),
                bytes, Files.readString(dir.resolve("password")).toCharArray()).entries().stream()
            .filter(e -> e instanceof dev.keystore.operator.keystore.StoreEntry.KeyEntry)
            .map(e -> ((dev.keystore.operator.keystore.StoreEntry.KeyEntry) e).key().getEncoded()).findFirst().orElseThrow();
    }
}

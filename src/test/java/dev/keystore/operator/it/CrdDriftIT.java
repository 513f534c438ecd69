package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRDs committed in deploy/crds/ are exactly those the build generated from the Java classes. */
class CrdDriftIT {
    @Test
    void committedCrdsMatchTheGeneratedOnes() throws Exception {
        Path generated = RealCluster.PROJECT.resolve("target/kubernetes");
        Path committed = RealCluster.PROJECT.resolve("deploy/crds");
        List<String> names;
        try (Stream<Path> files = Files.list(generated)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".keystore.dev-v1.yml")).sorted().toList();
        }
        assertEquals(List.of("keystoresets.keystore.dev-v1.yml", "trustbundles.keystore.dev-v1.yml"), names);
        try (Stream<Path> files = Files.list(committed)) {
            assertEquals(names, files.map(p -> p.getFileName().toString()).sorted().toList(),
                "deploy/crds/ must hold exactly the generated CRDs: run hack/update-crds.sh");
        }
        for (String name : names) {
            assertEquals(Files.readString(generated.resolve(name)), Files.readString(committed.resolve(name)),
                "deploy/crds/" + name + " differs from the generated CRD: run hack/update-crds.sh and commit");
        }
        assertTrue(Files.readString(committed.resolve(names.get(0))).contains("kss"));
    }
}

package dev.keystore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.testing.OperatorChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, checked without a container engine: its final stage copies paths that the build
 * really produces (target/quarkus-app, so this runs after package, as an IT), runs as a numeric
 * non-root user, and holds a JRE without build tools.
 */
class DockerfileIT {
    static final Path PROJECT = OperatorChart.PROJECT;
    static List<Stage> stages;

    record Instruction(String keyword, String arguments) {
        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    /** base: the image with the global ARG defaults filled in; written: as the FROM line has it. */
    record Stage(String base, String written, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }
    }

    /** Dockerfile syntax as far as this file needs it: comments, line continuations, global ARGs, FROM ... AS. */
    static List<Stage> parse(List<String> lines) {
        List<Stage> stages = new ArrayList<>();
        Map<String, String> globalArgs = new LinkedHashMap<>();
        StringBuilder logical = new StringBuilder();
        List<String> joined = new ArrayList<>();
        for (String line : lines) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            if (!logical.toString().isBlank()) {
                joined.add(logical.toString().strip());
            }
            logical.setLength(0);
        }
        for (String line : joined) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("ARG") && stages.isEmpty()) {
                String[] arg = instruction.arguments().strip().split("=", 2);
                globalArgs.put(arg[0], arg.length > 1 ? arg[1] : "");
            } else if (instruction.keyword().equals("FROM")) {
                List<String> words = instruction.words();
                String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                String base = words.get(0);
                for (var arg : globalArgs.entrySet()) {
                    base = base.replace("${" + arg.getKey() + "}", arg.getValue());
                }
                stages.add(new Stage(base, words.get(0), name, new ArrayList<>()));
            } else {
                if (stages.isEmpty()) {
                    throw new AssertionError("instruction before FROM: " + line);
                }
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return stages;
    }

    @BeforeAll
    static void read() throws Exception {
        stages = parse(Files.readAllLines(PROJECT.resolve("Dockerfile")));
    }

    Stage build() {
        return stages.get(0);
    }

    Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    @Test
    void aBuildWithMavenATrainingRunAndARuntimeWithAJreOnly() throws IOException {
        assertEquals(3, stages.size());
        assertEquals("build", build().name());
        Stage training = stages.get(1);
        assertEquals("training", training.name());
        assertEquals("${RUNTIME_IMAGE}", training.written(), "the AOT cache is made by the runtime image's own JVM");
        assertTrue(training.all("RUN").stream().anyMatch(r -> r.arguments().contains("/training/train.sh")),
            "the training stage runs training/train.sh");
        assertTrue(training.all("COPY").stream().anyMatch(c -> c.arguments().startsWith("training/train.sh ")),
            "the script comes from the repository");
        // the script: an operator run against the throw-away API server first, a render of the examples if that fails
        String script = Files.readString(PROJECT.resolve("training/train.sh"));
        int operatorRun = script.indexOf("operator-training.jar");
        int renderRun = script.indexOf("-XX:AOTCacheOutput=\"$cache\" -jar \"$jar\" render ");
        assertTrue(operatorRun >= 0 && script.indexOf("-XX:AOTCacheOutput=", operatorRun) > operatorRun,
            "the operator run writes the cache");
        assertTrue(renderRun > operatorRun, "a render of the examples is the fallback");
        assertTrue(runtime().all("COPY").stream().anyMatch(c -> c.arguments().startsWith("--from=training ")),
            "the final image has the cache");
        assertTrue(build().base().startsWith("maven:"), build().base());
        assertTrue(runtime().base().contains("jre"), "the final image is a JRE: " + runtime().base());
        assertTrue(runtime().all("RUN").isEmpty(), "nothing is built or installed in the final stage");
        assertTrue(build().all("RUN").stream().anyMatch(r -> r.arguments().startsWith("mvn ") && r.arguments().contains("package")));
    }

    @Test
    void theBaseImagesAreBuildArgumentsWhoseDefaultsArePublicImages() {
        // the tests build with local images (OperatorImageIT); users get these defaults
        assertEquals("${BUILD_IMAGE}", build().written());
        assertEquals("${RUNTIME_IMAGE}", runtime().written());
        assertEquals("maven:3.9-eclipse-temurin-17", build().base());
        assertEquals("eclipse-temurin:25-jre", runtime().base());
    }

    @Test
    void theBuildStageCopiesFilesThatExistInTheRepository() {
        List<Instruction> copies = build().all("COPY");
        assertFalse(copies.isEmpty());
        for (Instruction copy : copies) {
            List<String> words = copy.words();
            for (String source : words.subList(0, words.size() - 1)) {
                assertTrue(Files.exists(PROJECT.resolve(source)), "COPY " + source + ": not in the repository");
            }
        }
    }

    @Test
    void theFinalStageCopiesTheWholeFastJarThatTheBuildProduces() throws Exception {
        String workdir = build().all("WORKDIR").get(0).arguments().strip();
        Path output = PROJECT.resolve("target/quarkus-app");
        assertTrue(Files.isRegularFile(output.resolve("quarkus-run.jar")), "run mvn package first");
        Set<String> copied = new TreeSet<>();
        for (Instruction copy : runtime().all("COPY")) {
            List<String> words = copy.words();
            if (words.get(0).equals("--from=training")) {
                assertEquals(List.of("--from=training", "/deployments/aot/", "/deployments/aot/"), words);
                continue;
            }
            if (!words.get(0).startsWith("--from=")) { // the launcher, from the repository
                assertEquals(List.of("bin/keystore-operator", "/deployments/bin/keystore-operator"), words);
                assertTrue(Files.isExecutable(PROJECT.resolve(words.get(0))));
                continue;
            }
            assertTrue(words.get(0).equals("--from=build"), "the fast-jar comes from the build stage only: " + copy);
            String destination = words.get(words.size() - 1);
            assertTrue(destination.startsWith("/deployments/"), destination);
            for (String source : words.subList(1, words.size() - 1)) {
                assertTrue(source.startsWith(workdir + "/"), source + " is outside the build stage's " + workdir);
                Path produced = PROJECT.resolve(source.substring(workdir.length() + 1));
                if (source.endsWith("/")) {
                    assertTrue(Files.isDirectory(produced), source + ": the build produces no such directory");
                    try (Stream<Path> files = Files.list(produced)) {
                        assertTrue(files.findAny().isPresent(), source + " is empty");
                    }
                } else {
                    assertTrue(Files.isRegularFile(produced), source + ": the build produces no such file");
                }
                copied.add(output.relativize(produced).toString());
            }
        }
        Set<String> layout;
        try (Stream<Path> entries = Files.list(output)) {
            layout = entries.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".txt"))
                .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(layout, copied, "every part of target/quarkus-app is in the image");
        List<String> entrypoint = List.of(runtime().all("ENTRYPOINT").get(0).arguments()
            .replaceAll("[\\[\\]\"]", "").split("\\s*,\\s*"));
        assertEquals(List.of("/deployments/bin/keystore-operator"), entrypoint);
        String env = runtime().all("ENV").get(0).arguments();
        assertTrue(env.contains("KEYSTORE_OPERATOR_JAR=/deployments/quarkus-run.jar"), env);
        assertTrue(env.contains("KEYSTORE_OPERATOR_AOT_CACHE=/deployments/aot/keystore-operator.aot"), env);
    }

    @Test
    void theImageRunsAsANumericNonRootUserWithoutHealthcheck() {
        List<Instruction> users = runtime().all("USER");
        assertEquals(1, users.size());
        String user = users.get(0).arguments().strip().split(":")[0];
        assertTrue(user.matches("\\d+"), "USER must be numeric for runAsNonRoot: " + user);
        assertTrue(Integer.parseInt(user) > 0, "USER must not be root");
        assertTrue(stages.stream().allMatch(s -> s.all("HEALTHCHECK").isEmpty()), "probes live in the chart");
        assertEquals(List.of("8080"), runtime().all("EXPOSE").stream().map(i -> i.arguments().strip()).toList());
    }
}

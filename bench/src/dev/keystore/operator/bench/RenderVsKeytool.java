package dev.keystore.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * (2) The WSO2 set rendered by our CLI on JDK 17, JDK 25 and JDK 25 through the launcher with an AOT
 * cache trained in this run by a render of the examples (as the image's build trains it), against
 * the seeds' keytool flow (bench/keytool-flow.sh) and against a fresh JVM that only generates the
 * same keys ({@link FreshKeys}) on each JDK; rounds of every variant in turn, plus a bare start of
 * the jar ({@code render --help}).
 */
final class RenderVsKeytool {
    static int RUNS = 5;
    /** What the image's build renders to train its cache (Dockerfile, stage "training"). */
    static final List<String> TRAINING = List.of("examples/tls-only.yaml", "examples/wso2-apim.yaml",
        "examples/liberty-mtls.yaml", "examples/zowe.yaml");
    static final List<String> STORES = List.of("wso2carbon.jks", "tls_keystore.jks", "internal_keystore.jks",
        "client-truststore.jks");

    static void run(Path project, Path work, Report report) throws Exception {
        Path jar = project.resolve("target/quarkus-app/quarkus-run.jar");
        Path example = project.resolve(Shape.WSO2.file);
        Jvm jdk17 = Jvm.jdk17();
        Jvm jdk25 = Jvm.jdk25();
        Path cache = jdk25.trainByRender(project, jar, work.resolve("render.aot"), work.resolve("render-training"), TRAINING);
        Jvm aot = jdk25.withAotCache(cache, "render training");
        // FreshKeys loads only KeyType and java.*: its own short class path, as its javadoc runs it
        String classpath = project.resolve("target/classes") + ":" + project.resolve("target/test-classes");
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        for (String k : List.of("keytool", "fresh17", "fresh25", "render17", "render25", "renderAot", "help17")) {
            wall.put(k, new ArrayList<>());
        }
        for (int i = 0; i < RUNS; i++) {
            Path dir = Files.createTempDirectory(work, "render-vs-keytool-");
            wall.get("keytool").add(wall(project, new ProcessBuilder("bash",
                project.resolve("bench/keytool-flow.sh").toString(), dir.resolve("keytool").toString())));
            for (Jvm jvm : List.of(jdk17, jdk25)) {
                wall.get(jvm == jdk17 ? "fresh17" : "fresh25").add(wall(project, new ProcessBuilder(jvm.java(), "-cp", classpath,
                    FreshKeys.class.getName())));
            }
            for (var e : List.of(Map.entry("render17", jdk17), Map.entry("render25", jdk25), Map.entry("renderAot", aot))) {
                Path out = dir.resolve(e.getKey());
                wall.get(e.getKey()).add(wall(project, e.getValue().processBuilder(project, jar, List.of(),
                    List.of("render", "-f", example.toString(), "-o", out.toString()))));
                for (String file : STORES) {
                    if (!Files.exists(out.resolve(file))) {
                        throw new IllegalStateException(e.getKey() + " wrote no " + file + " in " + out);
                    }
                }
            }
            for (String file : STORES) {
                if (!Files.exists(dir.resolve("keytool").resolve(file))) {
                    throw new IllegalStateException("the keytool flow wrote no " + file + " in " + dir);
                }
            }
            wall.get("help17").add(wall(project, jdk17.processBuilder(project, jar, List.of(), List.of("render", "--help"))));
        }
        Map<String, Stats> s = new LinkedHashMap<>();
        wall.forEach((k, v) -> s.put(k, Stats.of(v)));
        double keytool = s.get("keytool").p50();
        List<Report.Cell> vsFresh = new ArrayList<>();
        List<Report.Cell> vsKeytool = new ArrayList<>();
        for (var e : List.of(Map.entry("render17", "fresh17"), Map.entry("render25", "fresh25"), Map.entry("renderAot", "fresh25"))) {
            double render = s.get(e.getKey()).p50();
            double fresh = s.get(e.getValue()).p50();
            vsFresh.add(new Report.Cell(Stats.num(render / fresh, 2) + "x (" + Stats.ms(render) + " vs " + Stats.ms(fresh) + ")",
                render / fresh <= 1.25));
            vsKeytool.add(new Report.Cell(Stats.num(keytool / render, 1) + "x faster (" + Stats.ms(render) + ")",
                keytool / render >= 4.8));
        }
        report.target("2", "render of the WSO2 set vs a fresh JVM generating the same keys on the same JDK (medians of "
            + RUNS + ")", "<= 1.25x", vsFresh.get(0), vsFresh.get(1), vsFresh.get(2));
        report.target("2", "render of the WSO2 set vs `bench/keytool-flow.sh` (" + Stats.ms(keytool) + ", JDK 17's keytool)",
            ">= 4.8x faster", vsKeytool.get(0), vsKeytool.get(1), vsKeytool.get(2));
        report.section("## 2. render vs a fresh JVM's key generation and the seeds' keytool flow\n\n"
            + "The WSO2 set of `examples/wso2-apim.yaml` (RSA-3072 CA, three RSA-2048 keys, JKS, client truststore, full "
            + "chains), " + RUNS + " rounds of every row in turn. `bench/keytool-flow.sh`: 18 runs of JDK 17's keytool "
            + "(genkeypair for the CA, exportcert; per slot genkeypair, certreq, gencert, importcert x2; importcert into the "
            + "truststore). Fresh JVM: `java -cp target/classes:target/test-classes " + FreshKeys.class.getName() + "`, a process that only "
            + "generates the same four RSA keys with the crypto code's generator, the floor a cold render cannot go below. "
            + "render: `render -f examples/wso2-apim.yaml` into a new directory, as `java -jar` on JDK 17 and 25, and as "
            + "`bin/keystore-operator` on JDK 25 with an AOT cache made in this run by a training render of "
            + String.join(", ", TRAINING.stream().map(t -> "`" + t + "`").toList()) + " (what the image's build runs).\n\n"
            + "| run | samples | p50 | max |\n|---|---|---|---|\n"
            + row("keytool flow", s.get("keytool"), wall.get("keytool"))
            + row("fresh JVM generating the keys, JDK 17", s.get("fresh17"), wall.get("fresh17"))
            + row("fresh JVM generating the keys, JDK 25", s.get("fresh25"), wall.get("fresh25"))
            + row("render, JDK 17", s.get("render17"), wall.get("render17"))
            + row("render, JDK 25", s.get("render25"), wall.get("render25"))
            + row("render, " + aot.label(), s.get("renderAot"), wall.get("renderAot"))
            + row("bare jar start (render --help), JDK 17", s.get("help17"), wall.get("help17")) + "\n"
            + "Fresh-JVM key generation JDK 25 / JDK 17: " + Stats.num(s.get("fresh25").p50() / s.get("fresh17").p50(), 2)
            + "; render JDK 25 / JDK 17: " + Stats.num(s.get("render25").p50() / s.get("render17").p50(), 2)
            + "; render with the AOT cache / without (JDK 25): " + Stats.num(s.get("renderAot").p50() / s.get("render25").p50(), 2)
            + ".");
    }

    private static String row(String what, Stats s, List<Double> samples) {
        return "| " + what + " | " + s.n() + " | " + Stats.ms(s.p50()) + " | "
            + Stats.ms(samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)) + " |\n";
    }

    /** Wall time of a process in ms, its output discarded; fails when it fails. */
    static double wall(Path project, ProcessBuilder pb) throws IOException, InterruptedException {
        pb.directory(project.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("STOREPASS", "bench-" + Long.toHexString(System.nanoTime()));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", pb.command()) + " failed");
        }
        return (System.nanoTime() - start) / 1e6;
    }
}

package dev.keystore.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (2) The WSO2 set built by the seeds' keytool flow (bench/keytool-flow.sh) and by our render CLI,
 * alternating runs, plus a bare start of the same jar that does no work ({@code render --help}).
 */
final class RenderVsKeytool {
    static int RUNS = 3;

    static void run(Path project, Path work, Floor floor, Report report) throws Exception {
        Path jar = project.resolve("target/quarkus-app/quarkus-run.jar");
        Path example = project.resolve(Shape.WSO2.file);
        List<Double> keytool = new ArrayList<>();
        List<Double> render = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            Path dir = Files.createTempDirectory(work, "render-vs-keytool-");
            keytool.add(wall(project, List.of("bash", project.resolve("bench/keytool-flow.sh").toString(),
                dir.resolve("keytool").toString())));
            render.add(wall(project, List.of(Machine.javaBinary(), "-jar", jar.toString(), "render", "-f",
                example.toString(), "-o", dir.resolve("render").toString())));
            bare.add(wall(project, List.of(Machine.javaBinary(), "-jar", jar.toString(), "render", "--help")));
            for (String file : List.of("wso2carbon.jks", "tls_keystore.jks", "internal_keystore.jks", "client-truststore.jks")) {
                for (String who : List.of("keytool", "render")) {
                    if (!Files.exists(dir.resolve(who).resolve(file))) {
                        throw new IllegalStateException(who + " wrote no " + file + " in " + dir);
                    }
                }
            }
        }
        Stats k = Stats.of(keytool);
        Stats r = Stats.of(render);
        Stats b = Stats.of(bare);
        Stats f = floor.build(Shape.WSO2);
        double speedup = k.p50() / r.p50();
        double bound = 1.2 * (b.p50() + f.p50());
        report.target("2", "render vs keytool flow (WSO2 set, medians)", "render >= 6x faster",
            Stats.num(speedup, 1) + "x (" + Stats.ms(k.p50()) + " vs " + Stats.ms(r.p50()) + ")", speedup >= 6);
        report.target("2", "render wall vs bare JVM start + in-process floor", "<= 1.2 x (" + Stats.ms(b.p50()) + " + "
            + Stats.ms(f.p50()) + ") = " + Stats.ms(bound), Stats.ms(r.p50()) + " ("
            + Stats.num(r.p50() / (b.p50() + f.p50()), 2) + "x)", r.p50() <= bound);
        report.section("## 2. render vs the seeds' keytool flow\n\n"
            + "The WSO2 set of `examples/wso2-apim.yaml` (RSA-3072 CA, three RSA-2048 keys, JKS, client truststore, full "
            + "chains): `bench/keytool-flow.sh` (18 keytool runs: genkeypair for the CA, exportcert; per slot genkeypair, "
            + "certreq, gencert, importcert x2; importcert into the truststore) against `java -jar quarkus-run.jar render`, "
            + RUNS + " alternating runs each, plus `render --help` as the bare start of the same jar.\n\n"
            + "| run | samples | p50 | max |\n|---|---|---|---|\n"
            + row("keytool flow", k, keytool) + row("render", r, render) + row("bare jar start (render --help)", b, bare)
            + row("in-process floor (JMH buildWso2, p50)", f, null)
            + row("the same build once in a fresh JVM (JMH buildWso2Cold, p50)", floor.get("buildWso2Cold"), null)
            + "\nrender is " + Stats.num(speedup, 1) + "x faster than the keytool flow; render wall / (bare start + floor) = "
            + Stats.num(r.p50() / (b.p50() + f.p50()), 2) + "; render wall / (bare start + the build in a fresh JVM) = "
            + Stats.num(r.p50() / (b.p50() + floor.get("buildWso2Cold").p50()), 2) + ".");
    }

    private static String row(String what, Stats s, List<Double> samples) {
        return "| " + what + " | " + s.n() + " | " + Stats.ms(s.p50()) + " | "
            + (samples == null ? "" : Stats.ms(samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)))
            + " |\n";
    }

    /** Wall time of a process in ms; fails when it fails. */
    static double wall(Path project, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("STOREPASS", "bench-" + Long.toHexString(System.nanoTime()));
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return (System.nanoTime() - start) / 1e6;
    }
}

package dev.keystore.operator.bench;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Pem;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * (3) Create a KeystoreSet, time until the watch shows it Ready: per shape, on JDK 17 with the key
 * pool off (size 0) and on (default size, warm), and on JDK 25 with the operator-trained AOT cache
 * (pool on), each set new (so every key is new). Also the idle CPU and RSS of each operator.
 */
final class ApplyToReady {
    static final String NS = "latency";
    static int SAMPLES = 10;
    static final int WARMUPS = 2;
    static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    static final Duration IDLE_WINDOW = Duration.ofSeconds(20);

    record Idle(double cpuPercent, double rssMiB, double liveHeapMiB) {
    }

    /** One operator process: a JVM, the key pool on (default size) or off (size 0). */
    record Run(Jvm jvm, boolean pool) {
        String label() {
            return jvm.label() + ", pool " + (pool ? "on" : "off");
        }
    }

    static void run(BenchCluster cluster, ReadyWatch watch, Path project, Floor floor, Report report) throws Exception {
        cluster.createNamespace(NS);
        CertificateAuthority ca = Shape.corporateCa(new SecureRandom());
        cluster.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(Shape.CORP_CA)
            .endMetadata().withType("kubernetes.io/tls")
            .addToData("tls.crt", b64(Pem.encode(ca.chain())))
            .addToData("tls.key", b64(Pem.encode(ca.key()))).build()).create();
        Path jar = project.resolve("target/quarkus-app/quarkus-run.jar");
        Jvm jdk25 = Jvm.jdk25();
        Jvm aot = jdk25.withAotCache(cluster.operatorAotCache(jdk25, jar), "operator training");
        List<Run> runs = List.of(new Run(Jvm.jdk17(), false), new Run(Jvm.jdk17(), true), new Run(aot, true));
        Map<Run, Map<Shape, List<Double>>> samples = new LinkedHashMap<>();
        Map<Run, Idle> idle = new LinkedHashMap<>();
        int n = 0;
        for (Run run : runs) {
            var op = cluster.start("latency-" + n, run.jvm(), jar, List.of(),
                run.pool() ? Map.of() : Map.of("KEYSTORE_OPERATOR_KEY_POOL_SIZE", "0"));
            for (Shape shape : Shape.values()) {
                for (int i = 0; i < WARMUPS; i++) {
                    applyAndWait(cluster, watch, project, shape, "set-" + n++);
                }
            }
            Map<Shape, List<Double>> byShape = new EnumMap<>(Shape.class);
            for (Shape shape : Shape.values()) {
                List<Double> list = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    settle(op);
                    list.add(applyAndWait(cluster, watch, project, shape, "set-" + n++));
                }
                byShape.put(shape, list);
            }
            samples.put(run, byShape);
            Thread.sleep(5_000);
            op.awaitQuiet(Duration.ofSeconds(1), 30, Duration.ofSeconds(30));
            double cpu0 = op.cpuMillis();
            Thread.sleep(IDLE_WINDOW.toMillis());
            double cpu = (op.cpuMillis() - cpu0) / IDLE_WINDOW.toMillis() * 100;
            idle.put(run, new Idle(cpu, op.rssMiB(), op.liveHeapMiB()));
            op.stop();
        }
        Run off = runs.get(0);
        Run on17 = runs.get(1);
        Run onAot = runs.get(2);

        StringBuilder md = new StringBuilder("## 3. Apply -> Ready on the real kube-apiserver\n\n");
        md.append("From the harness's `create` to the watch event that shows `Ready=True`; every set new (all keys new), ")
            .append(SAMPLES).append(" sets per shape after ").append(WARMUPS).append(" warm-up sets per shape, one at a ")
            .append("time, in three operator processes one after the other: JDK 17 with the key pool off ")
            .append("(`KEYSTORE_OPERATOR_KEY_POOL_SIZE=0`), JDK 17 with the pool on (the default, 3 pairs per key type in use), ")
            .append("and ").append(onAot.jvm().label()).append(" with the pool on. Default JVM flags. Before each set the ")
            .append("harness waits until the operator process has used no CPU for two 250 ms windows (with the pool on: ")
            .append("refilled). The floor is the shape's in-process build from (1) (JMH on JDK 17, for every row); bound: ")
            .append("1.3 x floor + 50 ms, the p50 against the floor's p50 and the p95 against the floor's p95.\n\n");
        md.append("| shape | operator | p50 | p95 | floor p50 / p95 | p50 bound | p95 bound | met (p50, p95) |\n")
            .append("|---|---|---|---|---|---|---|---|\n");
        for (Shape shape : Shape.values()) {
            Stats f = floor.build(shape);
            double b50 = 1.3 * f.p50() + 50;
            double b95 = 1.3 * f.p95() + 50;
            for (Run run : runs) {
                Stats st = Stats.of(samples.get(run).get(shape));
                md.append("| ").append(shape.title).append(" | ").append(run.label()).append(" | ")
                    .append(Stats.ms(st.p50())).append(" | ").append(Stats.ms(st.p95())).append(" | ").append(Stats.ms(f.p50()))
                    .append(" / ").append(Stats.ms(f.p95())).append(" | ").append(Stats.ms(b50)).append(" | ")
                    .append(Stats.ms(b95)).append(" | ").append(st.p50() <= b50 ? "yes" : "no").append(", ")
                    .append(st.p95() <= b95 ? "yes" : "no").append(" |\n");
            }
        }
        Function<Run, Stats> wso2 = run -> Stats.of(samples.get(run).get(Shape.WSO2_EXISTING_CA));
        report.target("3", "apply->Ready p50, warm-pool WSO2 set (3 slots RSA-2048, existing CA)", "<= 100 ms",
            new Report.Cell(Stats.ms(wso2.apply(on17).p50()) + " (pool off: " + Stats.ms(wso2.apply(off).p50()) + ")",
                wso2.apply(on17).p50() <= 100), null,
            new Report.Cell(Stats.ms(wso2.apply(onAot).p50()), wso2.apply(onAot).p50() <= 100));
        Stats ecFloor = floor.build(Shape.TLS_ONLY_EC);
        double ecBound = 1.3 * ecFloor.p50() + 50;
        Function<Run, Report.Cell> ec = run -> {
            double p50 = Stats.of(samples.get(run).get(Shape.TLS_ONLY_EC)).p50();
            return new Report.Cell(Stats.ms(p50) + " (" + Stats.num(p50 / ecFloor.p50(), 2) + "x floor)", p50 <= ecBound);
        };
        report.target("3", "apply->Ready p50, tls-only EC (pool on)", "<= 1.3 x " + Stats.ms(ecFloor.p50()) + " + 50 ms = "
            + Stats.ms(ecBound), ec.apply(on17), null, ec.apply(onAot));
        md.append("\nSamples of the warm-pool WSO2 set (ms): JDK 17 ")
            .append(Startup.join(samples.get(on17).get(Shape.WSO2_EXISTING_CA))).append("; ").append(onAot.jvm().label())
            .append(" ").append(Startup.join(samples.get(onAot).get(Shape.WSO2_EXISTING_CA))).append(".\n\n");
        md.append("Idle operator after these sets (").append(IDLE_WINDOW.toSeconds()).append(" s window, pool full):\n\n")
            .append("| operator | CPU | RSS | live heap after full GC |\n|---|---|---|---|\n");
        idle.forEach((run, i) -> md.append("| ").append(run.label()).append(" | ").append(Stats.num(i.cpuPercent(), 2))
            .append(" % | ").append(Stats.num(i.rssMiB(), 0)).append(" MiB | ").append(Stats.num(i.liveHeapMiB(), 1))
            .append(" MiB |\n"));
        report.target("pool", "idle CPU, pool on vs off", "(figure)", Stats.num(idle.get(on17).cpuPercent(), 2) + " % vs "
            + Stats.num(idle.get(off).cpuPercent(), 2) + " % of one core", null);
        report.section(md.toString());
    }

    /**
     * Between sets: past the pool's quiet period, then until the operator process uses no CPU (its
     * pool refilled, no reconciliation left), so that each set meets a warm pool and an idle operator
     * however busy the machine is.
     */
    static void settle(BenchCluster.OperatorProcess op) throws InterruptedException {
        Thread.sleep(400);
        op.awaitQuiet(Duration.ofMillis(250), 20, Duration.ofSeconds(30));
    }

    static double applyAndWait(BenchCluster cluster, ReadyWatch watch, Path project, Shape shape, String name)
        throws Exception {
        KeystoreSet set = shape.named(project, NS, name);
        long start = System.nanoTime();
        cluster.client.resource(set).create();
        return (watch.awaitReady(NS, name, READY_TIMEOUT) - start) / 1e6;
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

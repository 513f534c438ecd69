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
import java.util.List;
import java.util.Map;

/**
 * (3) Create a KeystoreSet, time until the watch shows it Ready: per shape, with the key pool off
 * (size 0) and on (default size, warm), each set new (so every key is new). Also the idle CPU and
 * RSS of the operator with and without the pool.
 */
final class ApplyToReady {
    static final String NS = "latency";
    static int SAMPLES = 10;
    static final int WARMUPS = 2;
    static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    static final Duration IDLE_WINDOW = Duration.ofSeconds(20);

    record Idle(double cpuPercent, double rssMiB, double liveHeapMiB) {
    }

    static void run(BenchCluster cluster, ReadyWatch watch, Path project, Floor floor, Report report) throws Exception {
        cluster.createNamespace(NS);
        CertificateAuthority ca = Shape.corporateCa(new SecureRandom());
        cluster.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(Shape.CORP_CA)
            .endMetadata().withType("kubernetes.io/tls")
            .addToData("tls.crt", b64(Pem.encode(ca.chain())))
            .addToData("tls.key", b64(Pem.encode(ca.key()))).build()).create();
        Path jar = project.resolve("target/quarkus-app/quarkus-run.jar");
        Map<Shape, Stats> off = new EnumMap<>(Shape.class);
        Map<Shape, Stats> on = new EnumMap<>(Shape.class);
        Map<Shape, List<Double>> rawOn = new EnumMap<>(Shape.class);
        Idle idleOff = null;
        Idle idleOn = null;
        for (boolean pool : List.of(false, true)) {
            String mode = pool ? "pool" : "nopool";
            var op = cluster.start("latency-" + mode, jar, List.of(),
                pool ? Map.of() : Map.of("KEYSTORE_OPERATOR_KEY_POOL_SIZE", "0"));
            int n = 0;
            for (Shape shape : Shape.values()) {
                for (int i = 0; i < WARMUPS; i++) {
                    applyAndWait(cluster, watch, project, shape, mode + "-warm-" + n++);
                }
            }
            for (Shape shape : Shape.values()) {
                List<Double> samples = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    settle(op);
                    samples.add(applyAndWait(cluster, watch, project, shape, mode + "-" + n++));
                }
                (pool ? on : off).put(shape, Stats.of(samples));
                if (pool) {
                    rawOn.put(shape, samples);
                }
            }
            Thread.sleep(5_000);
            op.awaitQuiet(Duration.ofSeconds(1), 30, Duration.ofSeconds(30));
            double cpu0 = op.cpuMillis();
            Thread.sleep(IDLE_WINDOW.toMillis());
            double cpu = (op.cpuMillis() - cpu0) / IDLE_WINDOW.toMillis() * 100;
            Idle idle = new Idle(cpu, op.rssMiB(), op.liveHeapMiB());
            if (pool) {
                idleOn = idle;
            } else {
                idleOff = idle;
            }
            op.stop();
        }

        StringBuilder md = new StringBuilder("## 3. Apply -> Ready on the real kube-apiserver\n\n");
        md.append("From the harness's `create` to the watch event that shows `Ready=True`; every set new (all keys new), ")
            .append(SAMPLES).append(" sets per shape after ").append(WARMUPS).append(" warm-up sets per shape, one at a ")
            .append("time. Pool off: `KEYSTORE_OPERATOR_KEY_POOL_SIZE=0`; pool on: the default (3 pairs per key type in ")
            .append("use). Before each set the harness waits until the operator process has used no CPU for two 250 ms ")
            .append("windows (with the pool on: refilled). The floor is the shape's in-process build from (1); target: <= 1.3 x floor + 50 ms, for the ")
            .append("p50 against the floor's p50 and the p95 against the floor's p95.\n\n");
        md.append("| shape | pool | p50 | p95 | floor p50 / p95 | p50 bound | p95 bound | met (p50, p95) |\n")
            .append("|---|---|---|---|---|---|---|---|\n");
        for (Shape shape : Shape.values()) {
            Stats f = floor.build(shape);
            for (boolean pool : List.of(false, true)) {
                Stats s = (pool ? on : off).get(shape);
                double b50 = 1.3 * f.p50() + 50;
                double b95 = 1.3 * f.p95() + 50;
                md.append("| ").append(shape.title).append(" | ").append(pool ? "on" : "off").append(" | ")
                    .append(Stats.ms(s.p50())).append(" | ").append(Stats.ms(s.p95())).append(" | ").append(Stats.ms(f.p50()))
                    .append(" / ").append(Stats.ms(f.p95())).append(" | ").append(Stats.ms(b50)).append(" | ")
                    .append(Stats.ms(b95)).append(" | ").append(s.p50() <= b50 ? "yes" : "no").append(", ")
                    .append(s.p95() <= b95 ? "yes" : "no").append(" |\n");
                report.target("3", "apply->Ready p50, " + shape.title + ", pool " + (pool ? "on" : "off"),
                    "<= 1.3 x " + Stats.ms(f.p50()) + " + 50 ms = " + Stats.ms(b50),
                    Stats.ms(s.p50()) + " (" + Stats.num(s.p50() / f.p50(), 2) + "x floor)", s.p50() <= b50);
                report.target("3", "apply->Ready p95, " + shape.title + ", pool " + (pool ? "on" : "off"),
                    "<= 1.3 x " + Stats.ms(f.p95()) + " + 50 ms = " + Stats.ms(b95), Stats.ms(s.p95()), s.p95() <= b95);
            }
        }
        Stats warm = on.get(Shape.WSO2_EXISTING_CA);
        report.target("pool", "apply->Ready p50, WSO2 3-slot RSA-2048, existing CA, pool warm", "<= 100 ms",
            Stats.ms(warm.p50()) + " (pool off: " + Stats.ms(off.get(Shape.WSO2_EXISTING_CA).p50()) + ")", warm.p50() <= 100);
        md.append("\nPool-on samples of the existing-CA WSO2 set (ms): ").append(Startup.join(rawOn.get(Shape.WSO2_EXISTING_CA)))
            .append(".\n\n");
        md.append("Idle operator after these sets (").append(IDLE_WINDOW.toSeconds()).append(" s window, pool full):\n\n")
            .append("| pool | CPU | RSS | live heap after full GC |\n|---|---|---|---|\n")
            .append("| off | ").append(Stats.num(idleOff.cpuPercent(), 2)).append(" % | ").append(Stats.num(idleOff.rssMiB(), 0))
            .append(" MiB | ").append(Stats.num(idleOff.liveHeapMiB(), 1)).append(" MiB |\n")
            .append("| on | ").append(Stats.num(idleOn.cpuPercent(), 2)).append(" % | ").append(Stats.num(idleOn.rssMiB(), 0))
            .append(" MiB | ").append(Stats.num(idleOn.liveHeapMiB(), 1)).append(" MiB |\n");
        report.target("pool", "idle CPU, pool on vs off", "(figure)", Stats.num(idleOn.cpuPercent(), 2) + " % vs "
            + Stats.num(idleOff.cpuPercent(), 2) + " % of one core", null);
        report.target("pool", "idle RSS / live heap, pool on vs off", "(figure)", Stats.num(idleOn.rssMiB(), 0) + " / "
            + Stats.num(idleOn.liveHeapMiB(), 1) + " MiB vs " + Stats.num(idleOff.rssMiB(), 0) + " / "
            + Stats.num(idleOff.liveHeapMiB(), 1) + " MiB", null);
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

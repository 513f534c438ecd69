package dev.keystore.operator.bench;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (4) Process start to the first resource Ready, for the operator and for a bare Quarkus Operator
 * SDK operator (bench/bare-operator), the same way: the resource exists before the process starts,
 * and the harness polls it every 20 ms. The operator on JDK 17, JDK 25 and JDK 25 through the
 * launcher with a cache trained by one operator run ({@link BenchCluster#operatorAotCache}); the bare
 * operator on JDK 17 and 25. Each round rotates the order, so that every variant runs first once
 * in {@link #ROUNDS} rounds of five.
 */
final class Startup {
    static int ROUNDS = 3;
    static final String NS = "startup";
    static final ResourceDefinitionContext PING = new ResourceDefinitionContext.Builder().withGroup("bench.keystore.dev")
        .withVersion("v1").withKind("Ping").withPlural("pings").withNamespaced(true).build();
    static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    /** Idle figures of the operator (JDK 17, default flags) after its last startup round (a few sets, nothing to do). */
    record Idle(double rssMiB, double liveHeapMiB) {
    }

    record Variant(String label, Jvm jvm, boolean bare) {
    }

    record Sample(double readyMs, double startedS) {
    }

    static Idle run(BenchCluster cluster, Path project, Report report) throws Exception {
        cluster.createNamespace(NS);
        Path ours = project.resolve("target/quarkus-app/quarkus-run.jar");
        Path bare = project.resolve("bench/bare-operator/target/quarkus-app/quarkus-run.jar");
        Jvm jdk17 = Jvm.jdk17();
        Jvm jdk25 = Jvm.jdk25();
        Jvm aot = jdk25.withAotCache(cluster.operatorAotCache(jdk25, ours), "operator training");
        List<Variant> variants = List.of(new Variant("keystore-operator", jdk17, false),
            new Variant("keystore-operator", jdk25, false), new Variant("keystore-operator", aot, false),
            new Variant("bare QOSDK operator", jdk17, true), new Variant("bare QOSDK operator", jdk25, true));
        Map<Variant, List<Sample>> samples = new LinkedHashMap<>();
        variants.forEach(v -> samples.put(v, new ArrayList<>()));
        Idle idle = null;
        int n = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get((i + round) % variants.size());
                String name = "startup-" + n++;
                BenchCluster.OperatorProcess op;
                BooleanSupplier ready;
                if (v.bare()) {
                    GenericKubernetesResource ping = new GenericKubernetesResourceBuilder().withApiVersion("bench.keystore.dev/v1")
                        .withKind("Ping").withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                        .addToAdditionalProperties("spec", Map.of("note", "start")).build();
                    cluster.client.genericKubernetesResources(PING).inNamespace(NS).resource(ping).create();
                    op = cluster.start(name, v.jvm(), bare, List.of(), Map.of());
                    ready = () -> {
                        GenericKubernetesResource r = cluster.client.genericKubernetesResources(PING).inNamespace(NS)
                            .withName(name).get();
                        Object status = r == null ? null : r.getAdditionalProperties().get("status");
                        return status instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("ready"));
                    };
                } else {
                    cluster.client.resource(Shape.TLS_ONLY_EC.named(project, NS, name)).create();
                    op = cluster.start(name, v.jvm(), ours, List.of(), Map.of());
                    ready = () -> ReadyWatch.isReady(
                        cluster.client.resources(KeystoreSet.class).inNamespace(NS).withName(name).get());
                }
                double ms = untilTrue(op, ready);
                if (round == ROUNDS - 1 && v.jvm() == jdk17 && !v.bare()) {
                    Thread.sleep(10_000);
                    idle = new Idle(op.rssMiB(), op.liveHeapMiB());
                }
                op.stop();
                // read once the process has ended: the bare operator can be Ready before Quarkus logs "started in"
                samples.get(v).add(new Sample(ms, startedIn(op.log)));
            }
        }
        double bare17 = median(samples.get(variants.get(3)));
        List<Report.Cell> ratio = new ArrayList<>();
        for (Variant v : variants.subList(0, 3)) {
            double r = median(samples.get(v)) / bare17;
            ratio.add(new Report.Cell(Stats.num(r, 2) + "x (" + Stats.ms(median(samples.get(v))) + ")", r <= 1.0));
        }
        report.target("4", "start -> first Ready vs the bare QOSDK operator on plain JDK 17 (medians of " + ROUNDS + ")",
            "<= 1.0 x " + Stats.ms(bare17), ratio.get(0), ratio.get(1), ratio.get(2));
        double bare25 = median(samples.get(variants.get(4)));
        report.target("4", "bare QOSDK operator start -> first Ready (medians)", "(figure)",
            new Report.Cell(Stats.ms(bare17), null), new Report.Cell(Stats.ms(bare25) + " (" + Stats.num(bare25 / bare17, 2)
                + "x JDK 17)", null), null);
        StringBuilder md = new StringBuilder("## 4. Startup\n\n");
        md.append("From `ProcessBuilder.start()` to the first resource Ready, the resource created before the process starts, ")
            .append("polled every 20 ms; ").append(ROUNDS).append(" rounds of the five variants, the order rotated each round. ")
            .append("The operator's set is the tls-only EC shape; the bare operator (`bench/bare-operator`: Quarkus 3.30.2, ")
            .append("QOSDK 7.4.0, one reconciler that patches `status.ready`) reconciles a `Ping`. Default JVM flags. The AOT ")
            .append("cache was made in this run by JDK 25 from one operator run that reconciled a tls-only set against this ")
            .append("API server (`-XX:AOTCacheOutput`, written when the process ends), and is used through `bin/keystore-operator` ")
            .append("with `-XX:AOTMode=on`. \"started in\" is Quarkus' own figure from the log.\n\n")
            .append("| operator | JVM | samples (ms) | p50 | vs bare on JDK 17 | Quarkus \"started in\" (median) |\n")
            .append("|---|---|---|---|---|---|\n");
        samples.forEach((v, list) -> md.append("| ").append(v.label()).append(" | ").append(v.jvm().label()).append(" | ")
            .append(join(list.stream().map(Sample::readyMs).toList())).append(" | ").append(Stats.ms(median(list)))
            .append(" | ").append(Stats.num(median(list) / bare17, 2)).append("x | ")
            .append(Stats.num(Stats.of(list.stream().map(Sample::startedS).toList()).p50(), 2)).append(" s |\n"));
        report.section(md.toString());
        return idle;
    }

    static double median(List<Sample> samples) {
        return Stats.of(samples.stream().map(Sample::readyMs).toList()).p50();
    }

    static double startedIn(Path log) {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    static String join(List<Double> samples) {
        return String.join(", ", samples.stream().map(s -> Stats.num(s, 0)).toList());
    }

    /**
     * ms from the process start until the condition holds, polled every 20 ms (at most 3 minutes);
     * fails at once when the process has ended (e.g. a JVM that cannot map its AOT cache).
     */
    static double untilTrue(BenchCluster.OperatorProcess op, BooleanSupplier condition) throws InterruptedException {
        long end = op.startedNanos + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < end) {
            boolean done;
            try {
                done = condition.getAsBoolean();
            } catch (RuntimeException e) {
                done = false;
            }
            if (done) {
                return (System.nanoTime() - op.startedNanos) / 1e6;
            }
            if (!op.process.isAlive()) {
                throw new IllegalStateException("process " + op.pid() + " exited (" + op.process.exitValue() + ") before Ready, see "
                    + op.log);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("not ready within 3 minutes of the process start, see " + op.log);
    }
}

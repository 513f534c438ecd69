package dev.keystore.operator.bench;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * (4) Process start to the first resource Ready, for the operator and for a bare Quarkus Operator
 * SDK operator (bench/bare-operator), the same way: the resource exists before the process starts,
 * and the harness polls it every 20 ms. Rounds alternate which goes first.
 */
final class Startup {
    static int ROUNDS = 3;
    static final String NS = "startup";
    static final ResourceDefinitionContext PING = new ResourceDefinitionContext.Builder().withGroup("bench.keystore.dev")
        .withVersion("v1").withKind("Ping").withPlural("pings").withNamespaced(true).build();

    /** Idle figures of the operator after its last startup round (a few sets, nothing to do). */
    record Idle(double rssMiB, double liveHeapMiB) {
    }

    static Idle run(BenchCluster cluster, Path project, Report report) throws Exception {
        cluster.createNamespace(NS);
        Path ours = project.resolve("target/quarkus-app/quarkus-run.jar");
        Path bare = project.resolve("bench/bare-operator/target/quarkus-app/quarkus-run.jar");
        List<Double> oursMs = new ArrayList<>();
        List<Double> bareMs = new ArrayList<>();
        Idle idle = null;
        for (int round = 0; round < ROUNDS; round++) {
            for (int turn = 0; turn < 2; turn++) {
                boolean oursTurn = (round + turn) % 2 == 0;
                if (oursTurn) {
                    KeystoreSet set = Shape.TLS_ONLY_EC.named(project, NS, "startup-" + round);
                    cluster.client.resource(set).create();
                    var op = cluster.start("startup-operator", ours, List.of(), Map.of());
                    oursMs.add(untilTrue(op.startedNanos, () -> ReadyWatch.isReady(
                        cluster.client.resources(KeystoreSet.class).inNamespace(NS).withName(set.getMetadata().getName()).get())));
                    if (round == ROUNDS - 1) {
                        Thread.sleep(10_000);
                        double rss = op.rssMiB();
                        idle = new Idle(rss, op.liveHeapMiB());
                    }
                    op.stop();
                } else {
                    String name = "ping-" + round;
                    GenericKubernetesResource ping = new GenericKubernetesResourceBuilder().withApiVersion("bench.keystore.dev/v1")
                        .withKind("Ping").withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                        .addToAdditionalProperties("spec", Map.of("note", "start")).build();
                    cluster.client.genericKubernetesResources(PING).inNamespace(NS).resource(ping).create();
                    var op = cluster.start("startup-bare", bare, List.of(), Map.of());
                    bareMs.add(untilTrue(op.startedNanos, () -> {
                        GenericKubernetesResource r = cluster.client.genericKubernetesResources(PING).inNamespace(NS)
                            .withName(name).get();
                        Object status = r == null ? null : r.getAdditionalProperties().get("status");
                        return status instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("ready"));
                    }));
                    op.stop();
                }
            }
        }
        Stats o = Stats.of(oursMs);
        Stats b = Stats.of(bareMs);
        double ratio = o.p50() / b.p50();
        report.target("4", "process start -> first KeystoreSet Ready vs bare QOSDK operator (medians)", "<= 1.2x",
            Stats.num(ratio, 2) + "x (" + Stats.ms(o.p50()) + " vs " + Stats.ms(b.p50()) + ")", ratio <= 1.2);
        report.section("## 4. Startup\n\n"
            + "From `ProcessBuilder.start()` of `java -jar` to the first resource Ready, the resource created before the "
            + "process starts, polled every 20 ms; " + ROUNDS + " rounds, alternating which runs first. The operator's "
            + "set is the tls-only EC shape; the bare operator (`bench/bare-operator`: Quarkus 3.30.2, QOSDK 7.4.0, one "
            + "reconciler that patches `status.ready`) reconciles a `Ping`.\n\n"
            + "| operator | samples (ms) | p50 |\n|---|---|---|\n"
            + "| keystore-operator | " + join(oursMs) + " | " + Stats.ms(o.p50()) + " |\n"
            + "| bare QOSDK operator | " + join(bareMs) + " | " + Stats.ms(b.p50()) + " |\n\n"
            + "Ratio of medians: " + Stats.num(ratio, 2) + ".");
        return idle;
    }

    static String join(List<Double> samples) {
        return String.join(", ", samples.stream().map(s -> Stats.num(s, 0)).toList());
    }

    /** ms from {@code startedNanos} until the condition holds, polled every 20 ms (at most 3 minutes). */
    static double untilTrue(long startedNanos, BooleanSupplier condition) throws InterruptedException {
        long end = startedNanos + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < end) {
            boolean done;
            try {
                done = condition.getAsBoolean();
            } catch (RuntimeException e) {
                done = false;
            }
            if (done) {
                return (System.nanoTime() - startedNanos) / 1e6;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("not ready within 3 minutes of the process start");
    }
}

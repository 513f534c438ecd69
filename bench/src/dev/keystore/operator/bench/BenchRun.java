package dev.keystore.operator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs every benchmark (issues 11 and 23) in one go and writes docs/benchmarks.md. Run it with
 * hack/bench.sh from the project directory. BENCH_PARTS (e.g. "render,memory"; "cluster" stands for
 * startup, apply, scale and memory) runs only some parts (the JMH floor always runs: every other
 * part divides by it), and BENCH_QUICK=1 runs all with small counts, for working on the harness;
 * docs/benchmarks.md is written only by a full run (else target/bench/benchmarks.md).
 */
public final class BenchRun {
    static final Set<String> CLUSTER = Set.of("startup", "apply", "scale", "memory");
    static final Set<String> ALL = Set.of("floor", "render", "startup", "apply", "scale", "memory");

    private BenchRun() {
    }

    public static void main(String[] args) {
        int code = 0;
        try {
            run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code); // the clients' and the API server's non-daemon threads would keep the JVM alive
    }

    interface Part {
        void run() throws Exception;
    }

    /** Runs a part and prints how long it took (hack/bench.sh's header keeps the estimates). */
    static void timed(String name, Part part) throws Exception {
        long start = System.nanoTime();
        part.run();
        System.out.println("[bench] part " + name + " took " + Stats.num((System.nanoTime() - start) / 60e9, 1) + " min, load "
            + Machine.loadAverage());
    }

    static void run() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Path work = project.resolve("target/bench");
        Files.createDirectories(work);
        String env = System.getenv("BENCH_PARTS");
        Set<String> parts = env == null || env.isBlank() ? ALL
            : Arrays.stream(env.split(",")).map(String::trim).flatMap(p -> p.equals("cluster") ? CLUSTER.stream()
                : java.util.stream.Stream.of(p)).collect(Collectors.toSet());
        parts.stream().filter(p -> !ALL.contains(p)).findAny().ifPresent(p -> {
            throw new IllegalArgumentException("BENCH_PARTS: no part " + p + " (" + ALL + ", cluster)");
        });
        Instant started = Instant.now();
        Machine machine = Machine.describe(project);
        Report report = new Report();
        if (machine.noisy()) {
            report.remark("**Noisy run**: the 1-minute load was " + machine.loadAtStart() + " when `hack/bench.sh` started "
                + "(above " + Machine.NOISY_LOAD_PER_CORE * machine.cores() + " on " + machine.cores() + " cores): other work "
                + "shared the cores, so absolute times are inflated and are not the project's figures; only the ratios "
                + "measured side by side in this run compare.");
        }

        boolean quick = "1".equals(System.getenv("BENCH_QUICK"));
        if (quick) { // a smoke run of the harness itself: small counts, never written to docs/
            RenderVsKeytool.RUNS = 1;
            Startup.ROUNDS = 1;
            ApplyToReady.SAMPLES = 3;
            Scale.EC_SETS = 50;
            Scale.WSO2_SETS = 5;
            Scale.UNRELATED_SECRETS = 500;
            Scale.RESYNCS = 2;
            Memory.SETS = 20;
            Memory.MORE_SETS = 60;
        }
        Floor floor = Floor.run(report, quick); // every other part divides by it
        if (parts.contains("render")) {
            timed("render", () -> RenderVsKeytool.run(project, work, report));
        }
        if (parts.stream().anyMatch(CLUSTER::contains)) {
            try (BenchCluster cluster = BenchCluster.start(project, work); ReadyWatch watch = new ReadyWatch(cluster.client)) {
                Startup.Idle[] idle = {null};
                if (parts.contains("startup")) {
                    timed("startup", () -> idle[0] = Startup.run(cluster, project, report));
                }
                if (parts.contains("apply")) {
                    timed("apply", () -> ApplyToReady.run(cluster, watch, project, floor, report));
                }
                if (parts.contains("scale")) {
                    timed("scale", () -> Scale.run(cluster, watch, project, floor, report,
                        idle[0] != null ? idle[0] : new Startup.Idle(Double.NaN, Double.NaN)));
                }
                if (parts.contains("memory")) { // last: its operators watch only their own namespaces
                    timed("memory", () -> Memory.run(cluster, watch, project, report));
                }
            }
        }
        report.remark("Load average (1/5/15 min): " + machine.loadAtStart() + " when hack/bench.sh started, "
            + Machine.loadAverage() + " at the end, on " + machine.cores() + " cores; a run that starts above "
            + Machine.NOISY_LOAD_PER_CORE * machine.cores() + " is marked noisy.");
        Path out = parts.equals(ALL) && !quick ? project.resolve("docs/benchmarks.md") : work.resolve("benchmarks.md");
        report.write(project, out, machine, started, Instant.now());
        System.out.println("[bench] wrote " + out);
    }
}

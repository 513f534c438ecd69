package dev.keystore.operator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs every benchmark of issue 11 in one go and writes docs/benchmarks.md. Run it with
 * hack/bench.sh from the project directory. BENCH_PARTS (e.g. "floor,render") runs only some parts,
 * and BENCH_QUICK=1 runs all with small counts, for working on the harness; docs/benchmarks.md is
 * written only by a full run (else target/bench/benchmarks.md).
 */
public final class BenchRun {
    static final Set<String> ALL = Set.of("floor", "render", "cluster");

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

    static void run() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Path work = project.resolve("target/bench");
        Files.createDirectories(work);
        String env = System.getenv("BENCH_PARTS");
        Set<String> parts = env == null || env.isBlank() ? ALL
            : Arrays.stream(env.split(",")).map(String::trim).collect(Collectors.toSet());
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
        }
        Floor floor = Floor.run(report, quick); // every other part divides by it
        if (parts.contains("render")) {
            RenderVsKeytool.run(project, work, floor, report);
        }
        if (parts.contains("cluster")) {
            try (BenchCluster cluster = BenchCluster.start(project, work); ReadyWatch watch = new ReadyWatch(cluster.client)) {
                Startup.Idle idle = Startup.run(cluster, project, report);
                ApplyToReady.run(cluster, watch, project, floor, report);
                Scale.run(cluster, watch, project, floor, report, idle);
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

package dev.keystore.operator.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/** (1) The crypto floor: runs {@link CryptoFloor} with JMH and keeps each benchmark's statistics. */
final class Floor {
    private final Map<String, Stats> results;

    private Floor(Map<String, Stats> results) {
        this.results = results;
    }

    Stats get(String benchmark) {
        Stats s = results.get(benchmark);
        if (s == null) {
            throw new IllegalStateException("no JMH result for " + benchmark);
        }
        return s;
    }

    Stats build(Shape shape) {
        return get(switch (shape) {
            case TLS_ONLY_EC -> "buildTlsOnlyEc";
            case WSO2 -> "buildWso2";
            case WSO2_EXISTING_CA -> "buildWso2ExistingCa";
        });
    }

    static Floor run(Report report, boolean quick) throws RunnerException {
        var options = new OptionsBuilder().include(CryptoFloor.class.getName() + "\\.")
            .include(ColdBuild.class.getName() + "\\.").shouldFailOnError(true);
        if (quick) {
            options.warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.seconds(1)).forks(1);
        }
        Collection<RunResult> runs = new Runner(options.build()).run();
        Map<String, Stats> results = new LinkedHashMap<>();
        for (RunResult run : runs) {
            String method = run.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            Statistics s = run.getPrimaryResult().getStatistics();
            results.put(method, new Stats((int) s.getN(), s.getPercentile(50), s.getPercentile(95), s.getMean()));
        }
        Floor floor = new Floor(results);
        StringBuilder md = new StringBuilder("## 1. Crypto floor (JMH, one thread)\n\n");
        md.append("JMH 1.37, sample mode, 1 fork, short iterations (see `bench/src/.../CryptoFloor.java`); one core. ")
            .append("\"build\" is the whole in-process build of a new set: every key pair, certificate and store, ")
            .append("and the config snippets: what the operator and render do, without I/O. `buildWso2Cold` is the same ")
            .append("build once in a fresh JVM (single shot, one per fork): what a short-lived process pays before the ")
            .append("JIT has compiled the crypto code.\n\n");
        md.append("| benchmark | samples | p50 | p95 | mean |\n|---|---|---|---|---|\n");
        results.forEach((name, s) -> md.append("| ").append(name).append(" | ").append(s.n()).append(" | ")
            .append(Stats.ms(s.p50())).append(" | ").append(Stats.ms(s.p95())).append(" | ").append(Stats.ms(s.mean()))
            .append(" |\n"));
        report.section(md.toString());
        return floor;
    }
}

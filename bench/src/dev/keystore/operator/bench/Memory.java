package dev.keystore.operator.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * (8) Memory per set and at rest (issue 23), the way {@link MemoryPerSet} measures it, on the bench's
 * API server: under the chart's pod JVM flags ({@link MemoryPerSet#POD}), the bare QOSDK operator idle,
 * then the operator with 0 sets, 1 set, 1 + {@link #SETS} and 1 + {@link #MORE_SETS} tls-only EC sets
 * created while it runs; on JDK 17, and (unless BENCH_MEMORY_JDK25=0) on JDK 25: the bare operator
 * and the operator through the launcher with the operator-trained AOT cache, up to 1 + {@link #SETS}.
 * Each operator watches only its own namespace (QUARKUS_OPERATOR_SDK_NAMESPACES, as the chart's
 * {@code watchNamespaces} sets it), so that the sets of the parts before are not counted.
 */
final class Memory {
    static int SETS = 1000;
    /** BENCH_MEMORY_SETS: the last step (default 5,000; at most {@link #SETS} skips it). */
    static int MORE_SETS = Integer.parseInt(System.getenv().getOrDefault("BENCH_MEMORY_SETS", "5000"));
    static boolean JDK25 = !"0".equals(System.getenv("BENCH_MEMORY_JDK25"));
    static final double RSS_RATIO = 1.3;
    static final double KIB_PER_SET = 30;

    /** The figures of one JVM: the bare operator idle, then the operator at each count of sets. */
    record Column(Jvm bareJvm, Jvm jvm, MemoryPerSet.Figures bare, List<Integer> counts, List<MemoryPerSet.Figures> steps,
                  List<Double> seconds) {
        MemoryPerSet.Figures at(int sets) {
            return steps.get(counts.indexOf(sets));
        }

        /** KiB of live heap per set added between two counts. */
        double kibPerSet(int from, int to) {
            return (at(to).heap() - at(from).heap()) * 1024 / (to - from);
        }
    }

    static void run(BenchCluster cluster, ReadyWatch watch, Path project, Report report) throws Exception {
        Path jar = project.resolve("target/quarkus-app/quarkus-run.jar");
        Path bare = project.resolve("bench/bare-operator/target/quarkus-app/quarkus-run.jar");
        Column c17 = column(cluster, watch, project, "memory-17", Jvm.jdk17(), Jvm.jdk17(), jar, bare,
            MORE_SETS > SETS ? List.of(0, 1, 1 + SETS, 1 + MORE_SETS) : List.of(0, 1, 1 + SETS));
        Column c25 = null;
        if (JDK25) {
            Jvm jdk25 = Jvm.jdk25();
            Jvm aot = jdk25.withAotCache(cluster.operatorAotCache(jdk25, jar), "operator training");
            c25 = column(cluster, watch, project, "memory-25", jdk25, aot, jar, bare, List.of(0, 1, 1 + SETS));
        }

        int n = 1 + SETS;
        report.target("8", "RSS at " + SETS + " sets vs the bare operator's idle RSS (same JVM and pod flags)",
            "<= " + RSS_RATIO + "x", rssCell(c17, n), null, c25 == null ? null : rssCell(c25, n));
        report.target("8", "live heap per additional set, 1 -> " + n + " sets", "<= " + (int) KIB_PER_SET + " KiB",
            kibCell(c17, 1, n), null, c25 == null ? null : kibCell(c25, 1, n));
        if (MORE_SETS > SETS) {
            report.target("8", "live heap per additional set, " + n + " -> " + (1 + MORE_SETS) + " sets",
                "<= " + (int) KIB_PER_SET + " KiB", kibCell(c17, n, 1 + MORE_SETS), null, null);
        }
        StringBuilder md = new StringBuilder("## 8. Memory per set and at rest\n\n");
        md.append("The chart's pod JVM (`").append(String.join(" ", MemoryPerSet.POD)).append("`: a 512Mi limit, a CPU limit ")
            .append("of 1, `-XX:MaxRAMPercentage=50`; with one CPU the JVM picks Serial GC, which the chart pins), each ")
            .append("operator watching only its own namespace. Each figure is taken once the process is quiet (two 1 s ")
            .append("windows under 50 ms CPU): VmRSS, then `jcmd GC.run` + `GC.heap_info` (live heap) and `VM.metaspace` ")
            .append("(committed), then VmRSS again. Sets are the tls-only EC shape, created at once by ")
            .append(Scale.CLIENT_THREADS).append(" client threads with the operator running, after one warm-up set (so that ")
            .append("the classes a first reconcile loads are not counted per set). The JDK 25 rows run the operator through ")
            .append("`bin/keystore-operator` with the operator-trained AOT cache (as (4)) and the bare operator as plain ")
            .append("`java -jar` on JDK 25; their ratio is to the bare operator on JDK 25. With the AOT cache, the classes ")
            .append("it holds are mapped from the cache file instead of loaded into metaspace: they count in RSS, not in the ")
            .append("metaspace column.")
            .append(MORE_SETS > SETS ? "" : " The step to more sets was skipped (BENCH_MEMORY_SETS=" + MORE_SETS + ").")
            .append("\n\n| JVM | operator | load | RSS | RSS after full GC | live heap | metaspace | GC | created in |\n")
            .append("|---|---|---|---|---|---|---|---|---|\n");
        for (Column c : c25 == null ? List.of(c17) : List.of(c17, c25)) {
            md.append(row(c.bareJvm().label(), "bare QOSDK operator, idle", c.bare(), ""));
            for (int i = 0; i < c.counts().size(); i++) {
                md.append(row(c.jvm().label(), c.counts().get(i) + (c.counts().get(i) == 1 ? " set" : " sets"), c.steps().get(i),
                    Double.isNaN(c.seconds().get(i)) ? "" : Stats.num(c.seconds().get(i), 1) + " s"));
            }
        }
        report.section(md.toString());
    }

    private static Report.Cell rssCell(Column c, int sets) {
        double ratio = c.at(sets).rss() / c.bare().rss();
        return new Report.Cell(Stats.num(ratio, 2) + "x (" + Stats.num(c.at(sets).rss(), 0) + " vs "
            + Stats.num(c.bare().rss(), 0) + " MiB)", ratio <= RSS_RATIO);
    }

    private static Report.Cell kibCell(Column c, int from, int to) {
        double kib = c.kibPerSet(from, to);
        return new Report.Cell(Stats.num(kib, 1) + " KiB", kib <= KIB_PER_SET);
    }

    private static String row(String jvm, String what, MemoryPerSet.Figures f, String created) {
        return "| " + jvm + " | " + what + " | " + Stats.num(f.load(), 1) + " | " + Stats.num(f.rss(), 1) + " MiB | "
            + Stats.num(f.rssAfterGc(), 1) + " MiB | " + Stats.num(f.heap(), 1) + " MiB | " + Stats.num(f.metaspace(), 1)
            + " MiB | " + f.gc() + " | " + created + " |\n";
    }

    /** The bare operator idle on {@code bareJvm}, then the operator on {@code jvm} at each of {@code counts} sets in {@code ns}. */
    private static Column column(BenchCluster cluster, ReadyWatch watch, Path project, String ns, Jvm bareJvm, Jvm jvm,
                                 Path jar, Path bare, List<Integer> counts) throws Exception {
        cluster.createNamespace(ns);
        Map<String, String> env = Map.of("QUARKUS_OPERATOR_SDK_NAMESPACES", ns);
        var b = cluster.start(ns + "-bare", bareJvm, bare, MemoryPerSet.POD, env);
        MemoryPerSet.Figures bareIdle = MemoryPerSet.measure("bare QOSDK operator, idle, " + bareJvm.label(), b);
        b.stop();
        var op = cluster.start(ns + "-operator", jvm, jar, MemoryPerSet.POD, env);
        List<MemoryPerSet.Figures> steps = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        int have = 0;
        for (int count : counts) {
            // set 0 is the warm-up set; the rest come at once
            seconds.add(count == have ? Double.NaN : MemoryPerSet.createSets(cluster, watch, project, ns, have, count));
            have = count;
            steps.add(MemoryPerSet.measure(jvm.label() + ", " + count + " sets", op));
        }
        op.stop();
        return new Column(bareJvm, jvm, bareIdle, counts, steps, seconds);
    }
}

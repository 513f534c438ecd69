package dev.keystore.operator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 23 item 3: the operator's memory per set and at rest, and the JVM levers for the pod. The
 * targets are measured in every {@link BenchRun} by its part "memory" ({@link Memory}, with this
 * class's {@link #measure}); this main is for the levers and before/after comparisons (it prints
 * figures for bench/notes.md, asserts nothing):
 * <pre>
 * mvn -B -q -Pbench package -DskipTests &amp;&amp; mvn -B -q -f bench/bare-operator/pom.xml package -DskipTests
 * java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.keystore.operator.bench.MemoryPerSet
 * </pre>
 * One API server. The bare QOSDK operator idle, the operator idle with 0 sets, then N tls-only EC
 * sets created with the operator running; then, for each JVM lever, the operator restarted alone
 * against the same N sets (a restart reconciles every set), each measured once it is quiet: VmRSS,
 * then a full GC (jcmd GC.heap_info after GC.run) for the live heap and metaspace, then VmRSS again.
 * Env: MEMORY_SETS (default 1000), MEMORY_LEVERS (comma-separated lever names, default all),
 * MEMORY_COMPARE (a jar: before/after of a code change instead, see {@link #compare}; MEMORY_AFTER the other jar),
 * JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64).
 */
public final class MemoryPerSet {
    /** The chart's pod: a 512Mi memory limit, a CPU limit of 1, JAVA_TOOL_OPTIONS -XX:MaxRAMPercentage=50. */
    static final List<String> POD = List.of("-XX:MaxRAM=512m", "-XX:ActiveProcessorCount=1", "-XX:MaxRAMPercentage=50");
    static final String NS = "memory-ec";

    record Lever(String name, Jvm jvm, List<String> flags, Map<String, String> env) {
    }

    record Figures(String name, double rss, double rssAfterGc, double heap, double metaspace, String gc, double load) {
    }

    public static void main(String[] args) {
        int code = 0;
        try {
            run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    static void run() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Path work = project.resolve("target/bench-memory");
        Files.createDirectories(work);
        int sets = Integer.parseInt(System.getenv().getOrDefault("MEMORY_SETS", "1000"));
        Jvm jdk17 = Jvm.jdk17();
        Jvm jdk25 = new Jvm("JDK 25", Path.of(System.getenv().getOrDefault("JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64")), null);
        List<Lever> levers = new ArrayList<>(List.of(
            new Lever("baseline (restarted)", jdk17, List.of(), Map.of()),
            new Lever("-XX:+UseG1GC", jdk17, List.of("-XX:+UseG1GC"), Map.of()),
            new Lever("-XX:ReservedCodeCacheSize=48m", jdk17, List.of("-XX:ReservedCodeCacheSize=48m"), Map.of()),
            new Lever("-Xss512k", jdk17, List.of("-Xss512k"), Map.of()),
            new Lever("MALLOC_ARENA_MAX=2", jdk17, List.of(), Map.of("MALLOC_ARENA_MAX", "2")),
            new Lever("JDK 25", jdk25, List.of(), Map.of()),
            new Lever("JDK 25 -XX:+UseCompactObjectHeaders", jdk25, List.of("-XX:+UseCompactObjectHeaders"), Map.of()),
            new Lever("combined (48m code cache, -Xss512k, MALLOC_ARENA_MAX=2)", jdk17,
                List.of("-XX:ReservedCodeCacheSize=48m", "-Xss512k"), Map.of("MALLOC_ARENA_MAX", "2"))));
        String only = System.getenv("MEMORY_LEVERS");
        if (only != null && !only.isBlank()) {
            List<String> names = List.of(only.split(","));
            levers.removeIf(l -> names.stream().noneMatch(n -> l.name().startsWith(n.trim())));
        }
        Path jar = project.resolve("target/quarkus-app/quarkus-run.jar");
        Path bare = project.resolve("bench/bare-operator/target/quarkus-app/quarkus-run.jar");
        List<Figures> rows = new ArrayList<>();
        String compare = System.getenv("MEMORY_COMPARE");
        if (compare != null && !compare.isBlank()) {
            Path compareWork = project.resolve("target/bench-memory-compare");
            Files.createDirectories(compareWork);
            compare(project, compareWork, sets, Path.of(compare),
                Path.of(System.getenv().getOrDefault("MEMORY_AFTER", jar.toString())), rows);
            print(rows);
            return;
        }
        System.out.println("[memory] start " + Instant.now() + ", load " + load() + ", " + sets + " sets");
        try (BenchCluster cluster = BenchCluster.start(project, work); ReadyWatch watch = new ReadyWatch(cluster.client)) {
            var b = cluster.start("memory-bare", bare, POD, Map.of());
            rows.add(measure("bare QOSDK operator, idle", b));
            b.stop();

            var op = cluster.start("memory-baseline", jar, POD, Map.of());
            rows.add(measure("operator, 0 sets", op));
            // one set first, so that the classes its reconcile loads are not counted as per-set memory
            cluster.createNamespace("memory-warm");
            cluster.client.resource(Shape.TLS_ONLY_EC.named(project, "memory-warm", "warm")).create();
            watch.awaitReady("memory-warm", "warm", Duration.ofMinutes(2));
            rows.add(measure("operator, 1 set", op));
            Map<String, long[]> histogram0 = histogram(op);
            cluster.createNamespace(NS);
            double seconds = createSets(cluster, watch, project, NS, 0, sets);
            System.out.println("[memory] " + sets + " sets Ready in " + Stats.num(seconds, 1) + " s");
            rows.add(measure("operator, " + sets + " sets (created while running)", op));
            Map<String, long[]> histogramN = histogram(op);
            printHistogramDiff(histogram0, histogramN, sets);
            op.stop();

            for (Lever lever : levers) {
                List<String> flags = new ArrayList<>(POD);
                flags.addAll(lever.flags());
                var p = cluster.start("memory-" + rows.size(), lever.jvm(), jar, flags, lever.env());
                rows.add(measure(lever.name() + ", " + sets + " sets", p));
                p.stop();
            }
        }
        print(rows);
    }

    /**
     * Before/after of a code change, one API server: jar A with one set, jar B with one set, B with
     * N more created while it runs (and its histogram diff), then A and B each restarted against them.
     */
    static void compare(Path project, Path work, int sets, Path before, Path after, List<Figures> rows)
        throws Exception {
        System.out.println("[memory] compare " + before + " vs " + after + ", start " + Instant.now() + ", load " + load());
        try (BenchCluster cluster = BenchCluster.start(project, work); ReadyWatch watch = new ReadyWatch(cluster.client)) {
            cluster.createNamespace("memory-warm");
            var a = cluster.start("compare-a1", before, POD, Map.of());
            cluster.client.resource(Shape.TLS_ONLY_EC.named(project, "memory-warm", "warm")).create();
            watch.awaitReady("memory-warm", "warm", Duration.ofMinutes(2));
            rows.add(measure("before, 1 set", a));
            a.stop();
            var b = cluster.start("compare-b1", after, POD, Map.of());
            rows.add(measure("after, 1 set", b));
            Map<String, long[]> histogram1 = histogram(b);
            cluster.createNamespace(NS);
            createSets(cluster, watch, project, NS, 0, sets);
            rows.add(measure("after, " + sets + " + 1 sets (created while running)", b));
            printHistogramDiff(histogram1, histogram(b), sets);
            b.stop();
            var a2 = cluster.start("compare-a2", before, POD, Map.of());
            rows.add(measure("before, " + sets + " + 1 sets (restarted)", a2));
            a2.stop();
            var b2 = cluster.start("compare-b2", after, POD, Map.of());
            rows.add(measure("after, " + sets + " + 1 sets (restarted)", b2));
            b2.stop();
        }
    }

    /** Creates tls-only EC sets {@code ns-from} .. {@code ns-(to-1)} at once and waits for all Ready; seconds taken. */
    static double createSets(BenchCluster cluster, ReadyWatch watch, Path project, String ns, int from, int to)
        throws Exception {
        long start = System.nanoTime();
        Scale.parallel(to - from, i -> cluster.client.resource(Shape.TLS_ONLY_EC.named(project, ns, ns + "-" + (from + i)))
            .create());
        for (int i = from; i < to; i++) {
            watch.awaitReady(ns, ns + "-" + i, Duration.ofMinutes(15));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static void print(List<Figures> rows) {
        System.out.println("\n| JVM | load | RSS | RSS after full GC | live heap | metaspace | GC |\n|---|---|---|---|---|---|---|");
        for (Figures f : rows) {
            System.out.println("| " + f.name() + " | " + Stats.num(f.load(), 1) + " | " + Stats.num(f.rss(), 1) + " MiB | "
                + Stats.num(f.rssAfterGc(), 1) + " MiB | " + Stats.num(f.heap(), 1) + " MiB | " + Stats.num(f.metaspace(), 1)
                + " MiB | " + f.gc() + " |");
        }
        System.out.println("[memory] end " + Instant.now() + ", load " + load());
    }

    static Figures measure(String name, BenchCluster.OperatorProcess p) throws Exception {
        Thread.sleep(10_000);
        p.awaitQuiet(Duration.ofSeconds(1), 50, Duration.ofMinutes(8));
        Thread.sleep(3_000);
        double load = load();
        double rss = p.rssMiB();
        String jcmd = p.jvm.tool("jcmd");
        Machine.run(Path.of("."), jcmd, Long.toString(p.pid()), "GC.run");
        String info = Machine.run(Path.of("."), jcmd, Long.toString(p.pid()), "GC.heap_info");
        Thread.sleep(1_000);
        double rssAfter = p.rssMiB();
        Matcher m = Pattern.compile("(?:heap|generation|DefNew|Tenured)\\s+total \\d+K, used (\\d+)K").matcher(info);
        long usedK = 0;
        while (m.find()) {
            usedK += Long.parseLong(m.group(1));
        }
        // committed metaspace, class space included ("Both:" of VM.metaspace, JDK 17 and 25 alike)
        Matcher meta = Pattern.compile("Both:\\s+\\d+ chunks,\\s+[\\d.]+ \\w+ capacity,\\s+([\\d.]+) (KB|MB)")
            .matcher(Machine.run(Path.of("."), jcmd, Long.toString(p.pid()), "VM.metaspace"));
        double metaspace = meta.find() ? Double.parseDouble(meta.group(1)) / (meta.group(2).equals("KB") ? 1024 : 1)
            : Double.NaN;
        String gc = info.contains("garbage-first") ? "G1" : info.contains("def new generation") || info.contains("DefNew")
            ? "Serial" : info.lines().findFirst().orElse("?").trim();
        Figures f = new Figures(name, rss, rssAfter, usedK / 1024.0, metaspace, gc, load);
        System.out.println("[memory] " + f);
        return f;
    }

    /** class -> {instances, bytes} from GC.class_histogram (which runs a full GC first). */
    static Map<String, long[]> histogram(BenchCluster.OperatorProcess p) {
        String jcmd = p.jvm.tool("jcmd");
        String out = Machine.run(Path.of("."), jcmd, Long.toString(p.pid()), "GC.class_histogram");
        Map<String, long[]> classes = new HashMap<>();
        Matcher m = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE).matcher(out);
        while (m.find()) {
            classes.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        Matcher total = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)", Pattern.MULTILINE).matcher(out);
        if (total.find()) {
            classes.put("(total)", new long[] {Long.parseLong(total.group(1)), Long.parseLong(total.group(2))});
        }
        return classes;
    }

    static void printHistogramDiff(Map<String, long[]> before, Map<String, long[]> after, int sets) {
        Map<String, long[]> diff = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            long[] b = before.getOrDefault(k, new long[2]);
            diff.put(k, new long[] {v[0] - b[0], v[1] - b[1]});
        });
        System.out.println("\n| class | instances added per set | bytes added per set | KiB added |\n|---|---|---|---|");
        diff.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
            .filter(e -> e.getKey().startsWith("dev.keystore") || e.getValue()[1] >= 100L * sets)
            .forEach(e -> System.out.println("| " + e.getKey() + " | " + Stats.num((double) e.getValue()[0] / sets, 1) + " | "
                + Stats.num((double) e.getValue()[1] / sets, 0) + " | " + Stats.num(e.getValue()[1] / 1024.0, 0) + " |"));
    }

    static double load() {
        return Double.parseDouble(Machine.read("/proc/loadavg").split(" ")[0]);
    }
}

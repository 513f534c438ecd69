package dev.keystore.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * docs/benchmarks.md: the machine, a summary of every figure beside its target with one column per
 * JVM ({@link #COLUMNS}), one section per benchmark, and the hand-written notes on missed targets
 * (bench/notes.md). Sections are printed to the console as they are measured.
 */
final class Report {
    /** The JVM columns of the summary: plain JDK 17, plain JDK 25, JDK 25 through the launcher with an AOT cache. */
    static final List<String> COLUMNS = List.of("JDK 17", "JDK 25", "JDK 25 + AOT cache");

    /** One JVM's figure of a target; {@code met} null for a figure without a target. */
    record Cell(String measured, Boolean met) {
    }

    /** A row: {@code cells} in the order of {@link #COLUMNS}, null where that JVM was not measured. */
    record Target(String item, String figure, String target, List<Cell> cells) {
    }

    private final List<Target> targets = new ArrayList<>();
    private final List<String> sections = new ArrayList<>();
    private final List<String> remarks = new ArrayList<>();

    /** A row measured on JDK 17 only. */
    void target(String item, String figure, String target, String measured, Boolean met) {
        target(item, figure, target, new Cell(measured, met), null, null);
    }

    /** A row with a cell per JVM column (null: not measured on that JVM). */
    void target(String item, String figure, String target, Cell jdk17, Cell jdk25, Cell jdk25Aot) {
        List<Cell> cells = java.util.Arrays.asList(jdk17, jdk25, jdk25Aot);
        targets.add(new Target(item, figure, target, cells));
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            if (c != null) {
                System.out.printf("[bench] %s %s, %s: %s (target %s)%s%n", item, figure, COLUMNS.get(i), c.measured(), target,
                    c.met() == null ? "" : c.met() ? " met" : " MISSED");
            }
        }
    }

    /** "yes", "**no**", or which columns met it when they differ; "(figure)" for a row without a target. */
    static String met(List<Cell> cells) {
        List<String> yes = new ArrayList<>();
        List<String> no = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            if (c != null && c.met() != null) {
                (c.met() ? yes : no).add(COLUMNS.get(i));
            }
        }
        if (yes.isEmpty() && no.isEmpty()) {
            return "(figure)";
        }
        if (no.isEmpty()) {
            return "yes";
        }
        return yes.isEmpty() ? "**no**" : "yes on " + String.join(", ", yes) + "; **no** on " + String.join(", ", no);
    }

    void section(String markdown) {
        sections.add(markdown);
        System.out.println(markdown);
    }

    /** A line for the machine section: something that disturbed or qualifies the run. */
    void remark(String text) {
        remarks.add(text);
        System.out.println("[bench] " + text);
    }

    void write(Path project, Path file, Machine machine, Instant started, Instant ended) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `hack/bench.sh` (see the README's \"Benchmarks\" section); do not edit by hand: the notes at the end ")
            .append("come from `bench/notes.md`. Every target is a ratio to a floor measured in the same run, because this ")
            .append("machine is shared and its absolute speed varies.\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" to ")
            .append(ended.truncatedTo(ChronoUnit.SECONDS)).append(" (")
            .append(Stats.num((ended.toEpochMilli() - started.toEpochMilli()) / 60000.0, 1)).append(" min)|\n");
        md.append("| JDK 17 | ").append(machine.jdk()).append(" (the harness, the JMH floor, every JDK 17 column) |\n");
        md.append("| JDK 25 | ").append(machine.jdk25()).append(" |\n");
        md.append("| cores | ").append(machine.cores()).append(" (").append(machine.cpuModel()).append("), ")
            .append(machine.memory()).append(" |\n");
        md.append("| commit | `").append(machine.commit()).append("` |\n");
        md.append("| load average | ").append(machine.loadAtStart()).append(" at the start, ").append(Machine.loadAverage())
            .append(" at the end (1/5/15 min) |\n");
        md.append("| run | ").append(machine.noisy() ? "**noisy** (1-minute load above " + Machine.NOISY_LOAD_PER_CORE * machine.cores()
            + " at the start: absolute figures not comparable)" : "calm (1-minute load at most "
            + Machine.NOISY_LOAD_PER_CORE * machine.cores() + " at the start)").append(" |\n");
        md.append("| JVM columns | JDK 17 and JDK 25: `java -jar target/quarkus-app/quarkus-run.jar` (default flags: max heap ")
            .append(machine.defaultMaxHeap()).append(" on JDK 17, unless a section names the pod flags); JDK 25 + AOT cache: ")
            .append("`bin/keystore-operator` (the launcher users get) on JDK 25 with `KEYSTORE_OPERATOR_AOT_CACHE` set to a ")
            .append("cache made in this run by that JDK, `-XX:AOTMode=on` so that an unusable cache fails the run: for `render` ")
            .append("trained by a render of the examples (as the image's build does), for the operator by one operator run ")
            .append("against this run's API server |\n");
        md.append("| Kubernetes | kube-apiserver 1.20.2 + etcd on this machine (kube-api-test), audit log at Metadata level |\n\n");
        for (String remark : remarks) {
            md.append("- ").append(remark).append('\n');
        }
        if (!remarks.isEmpty()) {
            md.append('\n');
        }
        md.append("## Every figure beside its target\n\n");
        md.append("| # | figure | target | ").append(String.join(" | ", COLUMNS)).append(" | met |\n|---|---|---|")
            .append("---|".repeat(COLUMNS.size())).append("---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.item()).append(" | ").append(t.figure()).append(" | ").append(t.target()).append(" | ");
            for (Cell c : t.cells()) {
                md.append(c == null ? "-" : c.measured() + (c.met() == null ? "" : c.met() ? " (met)" : " (**missed**)"))
                    .append(" | ");
            }
            md.append(met(t.cells())).append(" |\n");
        }
        md.append('\n');
        for (String section : sections) {
            md.append(section).append("\n\n");
        }
        Path notes = project.resolve("bench/notes.md");
        if (Files.exists(notes)) {
            md.append(Files.readString(notes));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, md.toString());
    }
}

package dev.keystore.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * docs/benchmarks.md: the machine, a summary of every figure beside its target, one section per
 * benchmark, and the hand-written notes on missed targets (bench/notes.md). Sections are printed
 * to the console as they are measured.
 */
final class Report {
    record Target(String item, String figure, String target, String measured, Boolean met) {
    }

    private final List<Target> targets = new ArrayList<>();
    private final List<String> sections = new ArrayList<>();
    private final List<String> remarks = new ArrayList<>();

    void target(String item, String figure, String target, String measured, Boolean met) {
        targets.add(new Target(item, figure, target, measured, met));
        System.out.printf("[bench] %s %s: %s (target %s)%s%n", item, figure, measured, target,
            met == null ? "" : met ? " met" : " MISSED");
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
        md.append("| JDK | ").append(machine.jdk()).append(" |\n");
        md.append("| cores | ").append(machine.cores()).append(" (").append(machine.cpuModel()).append("), ")
            .append(machine.memory()).append(" |\n");
        md.append("| commit | `").append(machine.commit()).append("` |\n");
        md.append("| load average | ").append(machine.loadAtStart()).append(" at the start, ").append(Machine.loadAverage())
            .append(" at the end (1/5/15 min) |\n");
        md.append("| run | ").append(machine.noisy() ? "**noisy** (1-minute load above " + Machine.NOISY_LOAD_PER_CORE * machine.cores()
            + " at the start: absolute figures not comparable)" : "calm (1-minute load at most "
            + Machine.NOISY_LOAD_PER_CORE * machine.cores() + " at the start)").append(" |\n");
        md.append("| operator JVM | `java -jar target/quarkus-app/quarkus-run.jar`, default flags (max heap ")
            .append(machine.defaultMaxHeap()).append(") |\n");
        md.append("| Kubernetes | kube-apiserver 1.20.2 + etcd on this machine (kube-api-test), audit log at Metadata level |\n\n");
        for (String remark : remarks) {
            md.append("- ").append(remark).append('\n');
        }
        if (!remarks.isEmpty()) {
            md.append('\n');
        }
        md.append("## Every figure beside its target\n\n");
        md.append("| # | figure | target | measured | met |\n|---|---|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.item()).append(" | ").append(t.figure()).append(" | ").append(t.target()).append(" | ")
                .append(t.measured()).append(" | ").append(t.met() == null ? "(figure)" : t.met() ? "yes" : "**no**")
                .append(" |\n");
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

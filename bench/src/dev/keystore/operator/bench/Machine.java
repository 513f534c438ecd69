package dev.keystore.operator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Facts about this machine and its processes, from /proc and the JDK. */
record Machine(String jdk, String jdk25, int cores, String cpuModel, String memory, String commit, String loadAtStart,
               String defaultMaxHeap) {
    /** Linux reports process CPU time in clock ticks of 1/100 s. */
    static final double MS_PER_TICK = 10.0;

    static Machine describe(Path project) {
        String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        String mem = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal")).findFirst()
            .map(l -> Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB RAM").orElse("");
        String commit = run(project, "git", "rev-parse", "--short", "HEAD").trim();
        if (!run(project, "git", "status", "--porcelain", "--untracked-files=no").isBlank()) {
            commit += " (with uncommitted changes)";
        }
        String heap = run(project, javaBinary(), "-XX:+PrintFlagsFinal", "-version").lines()
            .filter(l -> l.contains(" MaxHeapSize ")).findFirst()
            .map(l -> Math.round(Long.parseLong(l.replaceAll(".*=\\s*(\\d+).*", "$1")) / 1024.0 / 1024.0) + " MiB")
            .orElse("unknown");
        return new Machine(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            Jvm.jdk25().version() + " (" + Jvm.jdk25().home() + ")", Runtime.getRuntime().availableProcessors(), cpu, mem, commit,
            System.getProperty("bench.load.start", loadAverage()), heap);
    }

    static String loadAverage() {
        String[] parts = read("/proc/loadavg").trim().split("\\s+");
        return parts.length >= 3 ? parts[0] + " / " + parts[1] + " / " + parts[2] : "unknown";
    }

    /**
     * A run that started above a 1-minute load of 0.75 per core (1.5 on 2 cores) is noisy: other
     * work shared the cores, and its absolute figures are not to be published as the project's.
     */
    static final double NOISY_LOAD_PER_CORE = 0.75;

    /** The 1-minute figure of a load average as {@link #loadAverage()} writes it ("1.2 / 0.9 / 0.7"). */
    static double load1(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage.split("[\\s/]+")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    boolean noisy() {
        double start = load1(loadAtStart);
        return !(start <= NOISY_LOAD_PER_CORE * cores); // unknown counts as noisy
    }

    static double load1() {
        return Double.parseDouble(read("/proc/loadavg").trim().split("\\s+")[0]);
    }

    /** Resident set size in MiB (VmRSS). */
    static double rssMiB(long pid) {
        return read("/proc/" + pid + "/status").lines().filter(l -> l.startsWith("VmRSS:")).findFirst()
            .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024.0).orElse(Double.NaN);
    }

    /** User + system CPU time of a process, in ms. */
    static double cpuMillis(long pid) {
        String stat = read("/proc/" + pid + "/stat");
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
        // after the command: state is field 3, utime field 14, stime field 15
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MS_PER_TICK;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs a command to its end and returns its standard output and error. */
    static String run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

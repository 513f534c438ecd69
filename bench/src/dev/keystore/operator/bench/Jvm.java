package dev.keystore.operator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A way to start a jar, one column of the tables: plain {@code java -jar} of a JDK, or the launcher
 * users get ({@code bin/keystore-operator}) with an AOT cache made in this run. The launcher is
 * given {@code -XX:AOTMode=on} (in JAVA_OPTS), so that a cache this JVM cannot map fails the start
 * instead of being measured as a start without it.
 */
record Jvm(String label, Path home, Path aotCache) {
    /** The JDK the harness runs on (hack/bench.sh: the default {@code java}, JDK 17). */
    static Jvm jdk17() {
        return new Jvm("JDK 17", Path.of(System.getProperty("java.home")), null);
    }

    /** Temurin 25 (env BENCH_JDK25, default /usr/lib/jvm/temurin-25-jdk-amd64). */
    static Jvm jdk25() {
        Path home = Path.of(System.getenv().getOrDefault("BENCH_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new IllegalStateException("no JDK 25 in " + home + " (set BENCH_JDK25)");
        }
        return new Jvm("JDK 25", home, null);
    }

    /** This JDK through bin/keystore-operator with {@code cache}. */
    Jvm withAotCache(Path cache, String training) {
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("no AOT cache at " + cache);
        }
        return new Jvm(label + " + AOT cache (" + training + ")", home, cache);
    }

    String java() {
        return home.resolve("bin/java").toString();
    }

    String tool(String name) {
        return home.resolve("bin/" + name).toString();
    }

    /** "OpenJDK 64-Bit Server VM 25.0.3+9-LTS (Temurin-25.0.3+9)": java.vm.name, java.runtime.version, java.vendor.version. */
    String version() {
        String settings = Machine.run(Path.of("."), java(), "-XshowSettings:properties", "-version");
        return property(settings, "java.vm.name") + " " + property(settings, "java.runtime.version") + " ("
            + property(settings, "java.vendor.version") + ")";
    }

    private static String property(String settings, String name) {
        return settings.lines().filter(l -> l.trim().startsWith(name + " =")).findFirst()
            .map(l -> l.substring(l.indexOf('=') + 1).trim()).orElse("?");
    }

    /**
     * The process that runs {@code jar args} with {@code jvmArgs} on this JVM; JAVA_TOOL_OPTIONS of
     * the harness's own environment is removed (it would apply to every column alike, unseen).
     */
    ProcessBuilder processBuilder(Path project, Path jar, List<String> jvmArgs, List<String> args) {
        List<String> command = new ArrayList<>();
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        if (aotCache == null) {
            command.add(java());
            command.addAll(jvmArgs);
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add(project.resolve("bin/keystore-operator").toString());
            env.put("JAVA_HOME", home.toString());
            env.put("KEYSTORE_OPERATOR_JAR", jar.toString());
            env.put("KEYSTORE_OPERATOR_AOT_CACHE", aotCache.toString());
            List<String> opts = new ArrayList<>(List.of("-XX:AOTMode=on"));
            opts.addAll(jvmArgs);
            env.put("JAVA_OPTS", String.join(" ", opts));
        }
        command.addAll(args);
        return pb;
    }

    /** A training run: {@code java -XX:AOTCacheOutput=cache jvmArgs -jar jar args}; the cache is written at exit. */
    ProcessBuilder training(Path project, Path jar, Path cache, List<String> args) {
        List<String> flags = List.of("-XX:AOTCacheOutput=" + cache);
        return new Jvm(label, home, null).processBuilder(project, jar, flags, args);
    }

    /** Runs a training render of {@code examples} into {@code out}; returns the cache it made. */
    Path trainByRender(Path project, Path jar, Path cache, Path out, List<String> examples) throws Exception {
        Files.deleteIfExists(cache);
        List<String> args = new ArrayList<>(List.of("render", "-o", out.toString()));
        for (String example : examples) {
            args.add("-f");
            args.add(project.resolve(example).toString());
        }
        Path log = cache.resolveSibling(cache.getFileName() + ".log");
        Process p = training(project, jar, cache, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(cache)) {
            p.destroyForcibly();
            throw new IllegalStateException("render training made no AOT cache, see " + log);
        }
        return cache;
    }
}

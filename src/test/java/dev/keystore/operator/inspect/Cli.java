package dev.keystore.operator.inspect;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code inspect} in process with a fixed clock, keeps every output, and checks that no
 * output ever held a private key, a password or golden-file drift.
 */
final class Cli {
    /** {@code mvn test -Dinspect.golden.update=true -Dtest='inspect.*'} rewrites the golden files. */
    static final boolean UPDATE_GOLDEN = Boolean.getBoolean("inspect.golden.update");
    static final Path GOLDEN = Path.of(System.getProperty("user.dir"), "src/test/resources/inspect");

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Every output of every run in this JVM, for the scan. */
    static final List<Run> RUNS = Collections.synchronizedList(new ArrayList<>());

    private Cli() {
    }

    static Run inspect(Instant now, Map<String, String> env, InspectCommand.SecretReader secrets, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new InspectCommand(Clock.fixed(now, ZoneOffset.UTC), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), env::get, secrets).run(args);
        Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        RUNS.add(run);
        return run;
    }

    static Run inspect(String... args) {
        return inspect(Specimens.NOW, Map.of(), (ns, name) -> Optional.empty(), args);
    }

    /** The output with the temporary directory written as {@code <dir>}, so that it can be compared. */
    static String normalised(String output, Path dir) {
        return output.replace(dir.toString(), "<dir>");
    }

    static void assertGolden(String name, String actual) throws java.io.IOException {
        Path file = GOLDEN.resolve(name);
        if (UPDATE_GOLDEN) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual);
            return;
        }
        if (!Files.exists(file)) {
            throw new AssertionError("no golden file " + file + ": run mvn test -Dinspect.golden.update=true once\n"
                + actual);
        }
        org.junit.jupiter.api.Assertions.assertEquals(Files.readString(file), actual,
            name + " differs (to accept the new output: mvn test -Dinspect.golden.update=true)");
    }

    /**
     * No output holds a PEM private key, a password or the Base64 of any private key (whole, or
     * any 64-character line of it as PEM would wrap it).
     */
    static void assertNoSecrets(Collection<Run> runs, Collection<String> passwords, Collection<PrivateKey> keys) {
        List<String> forbidden = new ArrayList<>(List.of("PRIVATE KEY"));
        passwords.stream().filter(p -> p.length() >= 6).forEach(forbidden::add);
        for (PrivateKey key : keys) {
            String b64 = Base64.getEncoder().encodeToString(key.getEncoded());
            for (int i = 0; i + 64 <= b64.length(); i += 64) {
                forbidden.add(b64.substring(i, i + 64));
            }
            forbidden.add(Base64.getMimeEncoder().encodeToString(key.getEncoded()).lines().findFirst().orElseThrow());
        }
        List<Run> all;
        synchronized (runs) {
            all = List.copyOf(runs);
        }
        assertFalse(all.isEmpty(), "no output to scan");
        for (Run run : all) {
            for (String f : forbidden) {
                assertFalse(run.all().contains(f), "an inspect output holds secret material ("
                    + (f.equals("PRIVATE KEY") ? f : f.length() > 40 ? "key bytes" : "a password") + ")");
            }
        }
    }
}

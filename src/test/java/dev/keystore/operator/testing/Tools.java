package dev.keystore.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real external tools (keytool, openssl) for interop checks. */
public final class Tools {
    private Tools() {
    }

    public record Run(int exitCode, String output) {
    }

    /** Runs a command with extra environment; output is stdout and stderr merged. */
    public static Run run(Path dir, Map<String, String> env, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command[0]);
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Run run(String... command) {
        return run(null, Map.of(), command);
    }

    /** keytool -list -v on a store; the password goes through the environment, never the command line. */
    public static Run keytoolList(Path store, String type, String password) {
        List<String> cmd = new ArrayList<>(List.of("keytool", "-list", "-v", "-keystore", store.toString(),
            "-storepass:env", "KS_PASS"));
        if (type != null) {
            cmd.add("-storetype");
            cmd.add(type);
        }
        return run(null, Map.of("KS_PASS", password), cmd.toArray(String[]::new));
    }

    /** openssl pkcs12 -info -noout, without -legacy: succeeds only on modern (PBES2/AES) files. */
    public static Run opensslPkcs12Info(Path store, String password) {
        return run(null, Map.of("KS_PASS", password), "openssl", "pkcs12", "-info", "-noout", "-in", store.toString(),
            "-passin", "env:KS_PASS");
    }
}

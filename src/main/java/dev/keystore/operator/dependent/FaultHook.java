package dev.keystore.operator.dependent;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only faults, off unless the environment (or a system property of the same name in lower
 * case with dots) asks for them. The crash-consistency tests use them on a real API server:
 * <ul>
 *   <li>{@code KEYSTORE_OPERATOR_FAULT_HALT_AT_SECRET_WRITE=N}: the process halts (as on SIGKILL:
 *       no shutdown hooks, nothing flushed) just before its N-th Secret write (create, update or delete);
 *       with {@code KEYSTORE_OPERATOR_FAULT_HALT_FOR=<set name>}, only that resource's Secret writes count.</li>
 *   <li>{@code KEYSTORE_OPERATOR_FAULT_THROW_FOR=<resource name>}: reconciling a KeystoreSet or
 *       TrustBundle of that name throws a {@link StackOverflowError}.</li>
 * </ul>
 */
public final class FaultHook {
    private static final int HALT_AT = number(setting("KEYSTORE_OPERATOR_FAULT_HALT_AT_SECRET_WRITE"));
    private static final String HALT_FOR = setting("KEYSTORE_OPERATOR_FAULT_HALT_FOR");
    private static final String THROW_FOR = setting("KEYSTORE_OPERATOR_FAULT_THROW_FOR");
    private static final AtomicInteger WRITES = new AtomicInteger();

    private FaultHook() {
    }

    /** Called before every Secret write, with the name of the resource the Secret is written for. */
    public static void beforeSecretWrite(String forResource) {
        if (HALT_AT > 0 && (HALT_FOR == null || HALT_FOR.equals(forResource)) && WRITES.incrementAndGet() == HALT_AT) {
            Runtime.getRuntime().halt(137);
        }
    }

    /** Called at the start of every reconcile. */
    public static void beforeReconcile(String name) {
        if (THROW_FOR != null && THROW_FOR.equals(name)) {
            throw new StackOverflowError("fault injected for " + name);
        }
    }

    private static String setting(String env) {
        String value = System.getenv(env);
        if (value == null) {
            value = System.getProperty(env.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

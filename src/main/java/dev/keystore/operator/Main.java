package dev.keystore.operator;

import dev.keystore.operator.inspect.ClusterSecrets;
import dev.keystore.operator.inspect.InspectCommand;
import dev.keystore.operator.render.RenderCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * With no arguments the jar is the operator. {@code render ...} and {@code inspect ...} run the
 * CLI before Quarkus starts: render never builds a Kubernetes client, inspect only for
 * {@code --secret}.
 */
@QuarkusMain
public final class Main {
    private Main() {
    }

    public static void main(String... args) {
        if (args.length > 0 && "render".equals(args[0])) {
            quietLogging();
            int code;
            try {
                code = new RenderCommand(Clock.systemUTC(), new SecureRandom(), System.out, System.err)
                    .run(Arrays.copyOfRange(args, 1, args.length));
            } catch (RuntimeException | Error e) {
                // never a stack trace on the terminal: it is no help to the user and may quote input
                System.err.println("error: internal error (" + e.getClass().getSimpleName() + ")");
                code = 1;
            }
            System.out.flush();
            System.exit(code);
        }
        if (args.length > 0 && "inspect".equals(args[0])) {
            int code = new InspectCommand(Clock.systemUTC(), System.out, System.err, System::getenv, new ClusterSecrets())
                .run(Arrays.copyOfRange(args, 1, args.length));
            System.exit(code);
        }
        Quarkus.run(args);
    }

    /**
     * Before Quarkus configures logging, JBoss LogManager keeps every record (DEBUG included) in a
     * delayed handler and prints them all to stderr when the JVM exits. render never starts
     * Quarkus, so it drops everything below WARNING and prints what is left as one line, without
     * the throwable.
     */
    static void quietLogging() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        Handler line = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record != null && record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    String message = record.getMessage() == null ? "" : record.getMessage().lines().findFirst().orElse("");
                    System.err.println(record.getLevel().getName().toLowerCase(Locale.ROOT) + ": " + message);
                }
            }

            @Override
            public void flush() {
                System.err.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        line.setLevel(Level.WARNING);
        for (Handler h : root.getHandlers()) {
            if (h instanceof org.jboss.logmanager.ExtHandler delayed) {
                delayed.setHandlers(new Handler[] {line});
            } else {
                root.removeHandler(h);
            }
        }
        if (root.getHandlers().length == 0) {
            root.addHandler(line);
        }
    }
}

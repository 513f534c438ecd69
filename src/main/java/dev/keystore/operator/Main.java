package dev.keystore.operator;

import dev.keystore.operator.inspect.ClusterSecrets;
import dev.keystore.operator.inspect.InspectCommand;
import dev.keystore.operator.render.RenderCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

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
            int code = new RenderCommand(Clock.systemUTC(), new SecureRandom(), System.out, System.err)
                .run(Arrays.copyOfRange(args, 1, args.length));
            System.exit(code);
        }
        if (args.length > 0 && "inspect".equals(args[0])) {
            int code = new InspectCommand(Clock.systemUTC(), System.out, System.err, System::getenv, new ClusterSecrets())
                .run(Arrays.copyOfRange(args, 1, args.length));
            System.exit(code);
        }
        Quarkus.run(args);
    }
}

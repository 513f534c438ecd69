package dev.keystore.operator;

import dev.keystore.operator.render.RenderCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

/**
 * With no arguments the jar is the operator. {@code render ...} runs the offline CLI before
 * Quarkus starts, so it never builds a Kubernetes client nor connects anywhere.
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
        Quarkus.run(args);
    }
}

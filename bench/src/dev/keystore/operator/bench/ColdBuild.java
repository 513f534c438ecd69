package dev.keystore.operator.bench;

import dev.keystore.operator.config.Snippets;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.plan.ExistingState;
import dev.keystore.operator.plan.Issuance;
import dev.keystore.operator.plan.Outcome;
import dev.keystore.operator.plan.SetDefinition;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The WSO2 build once in a fresh JVM: what a short-lived process such as render pays, with the
 * crypto code not yet compiled. One shot per fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(5)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class ColdBuild {
    private SetDefinition wso2;

    @Setup
    public void setUp() throws Exception {
        wso2 = SetDefinition.of(Shape.WSO2.load(Path.of("").toAbsolutePath()));
    }

    @Benchmark
    public Map<String, byte[]> buildWso2Cold() throws Exception {
        Outcome outcome = new Issuance(new Signer(Clock.systemUTC(), new SecureRandom())).run(wso2, ExistingState.empty());
        Map<String, byte[]> output = new LinkedHashMap<>(outcome.output());
        output.putAll(Snippets.files(wso2));
        return output;
    }
}

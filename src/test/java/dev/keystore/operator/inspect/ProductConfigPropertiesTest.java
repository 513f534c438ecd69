package dev.keystore.operator.inspect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A product configuration beside a store is untrusted input: random and mutated deployment.toml,
 * zowe-certificates.env and server.xml either give roles or are {@link ProductConfig.Unreadable},
 * never another exception, within a bounded CPU time and allocation per call (ThreadMXBean).
 */
class ProductConfigPropertiesTest {
    static final long CPU_BOUND_NANOS = 2_000_000_000L;
    static final long ALLOCATION_BOUND = 64L << 20;
    static final List<String> SEEDS = List.of(
        "[keystore.primary]\nfile_name = \"wso2carbon.jks\"\ntype = \"JKS\"\n[truststore]\nfile_name = \"t.jks\"\n",
        "KEYSTORE=/k/a.p12\nexport TRUSTSTORE='/k/b.p12'\n# c\nJWT_KEYSTORE=\"/k/j.p12\"\n",
        "<?xml version=\"1.0\"?><server><keyStore id=\"d\" location=\"${x}/key.p12\"/>"
            + "<ssl id=\"s\" keyStoreRef=\"d\" trustStoreRef=\"t\"/></server>");

    @Provide
    Arbitrary<String> configs() {
        Arbitrary<String> noise = Arbitraries.strings().withChars("[]=\"'<>!&;#.\n\\ abc{}$/").ofMaxLength(64);
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.integers().between(0, 200),
            noise, Arbitraries.integers().between(0, 30)).as((seed, at, insert, cut) -> {
                int pos = Math.min(at, seed.length());
                return seed.substring(0, pos) + insert + seed.substring(Math.min(seed.length(), pos + cut));
            });
        return Arbitraries.oneOf(mutated, Arbitraries.strings().ofMaxLength(2048));
    }

    @org.junit.jupiter.api.Test
    void anEscapeTomljThrowsOnIsUnreadableToo() {
        // found by the property below (seed 8512829681103922375): for an invalid escape in a quoted table key
        // tomlj throws instead of reporting an error in its result
        byte[] bytes = "[\"\\[keystore.primary\"]\nfile_name = \"a.jks\"\n".getBytes(StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertThrows(ProductConfig.Unreadable.class,
            () -> ProductConfig.read(ProductConfig.WSO2, ProductConfig.WSO2, bytes));
    }

    @Property(tries = 600)
    void everyConfigGivesRolesOrIsUnreadableAndStaysBounded(@ForAll("configs") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String name : List.of(ProductConfig.WSO2, ProductConfig.ZOWE, ProductConfig.LIBERTY)) {
            long cpu = threads.getCurrentThreadCpuTime();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            try {
                ProductConfig.read(name, name, bytes);
            } catch (ProductConfig.Unreadable expected) {
                // said on stderr by the command; the file names decide
            }
            long usedCpu = threads.getCurrentThreadCpuTime() - cpu;
            long usedBytes = threads.getCurrentThreadAllocatedBytes() - allocated;
            assertTrue(usedCpu < CPU_BOUND_NANOS, name + " took " + usedCpu + " ns of CPU for " + bytes.length + " bytes");
            assertTrue(usedBytes < ALLOCATION_BOUND, name + " allocated " + usedBytes + " bytes for " + bytes.length);
        }
    }
}

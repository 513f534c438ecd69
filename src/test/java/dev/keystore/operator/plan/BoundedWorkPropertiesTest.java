package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.testing.HostileDer;
import dev.keystore.operator.keystore.CraftedPkcs12;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The bound of issue 18: any input up to 1 MiB given to a reader of untrusted certificates, keys or
 * keystores (PEM, DER, PKCS12, JKS; random, mutated, and crafted worst cases: the most iterations
 * allowed and more, many bags, deep nesting) is answered with our own error or a value, within
 * {@link #CPU_BOUND} of the reading thread's CPU time and {@link #ALLOCATION_BOUND} of its
 * allocation, measured per call with the thread's own counters. The largest figures seen are
 * printed at the end. (The worst case accepted costs 400,000 PBKDF2 iterations, about 0.2 s of
 * CPU here; before the caps one 7 KB file could cost 28 s and a 1 MiB one 40 minutes.)
 */
class BoundedWorkPropertiesTest {
    static final long CPU_BOUND = Duration.ofSeconds(2).toNanos();
    static final long ALLOCATION_BOUND = 96L << 20;
    static final int MAX_INPUT = 1 << 20;
    /** Only a guard against a hang taking the build down; the bound asserted is CPU time. */
    static final Duration HANG_GUARD = Duration.ofSeconds(120);
    static final char[] PASSWORD = "bounded-work-password".toCharArray();
    static final ExecutorService READER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bounded-reader");
        t.setDaemon(true);
        return t;
    });
    static final Map<String, long[]> WORST = new ConcurrentHashMap<>();
    static final Map<String, Integer> INPUTS = new ConcurrentHashMap<>();

    static final KeyPair KEYS = TestKeys.rsa2048();
    static final CertificateAuthority CA = TestKeys.ecCa("Bounded CA");
    static final List<X509Certificate> CHAIN = TestKeys.signerAt(TestKeys.T0).issue(CA,
        TestKeys.leafProfile("bounded.example", Set.of("bounded.example"), Set.of()), KEYS.getPublic(),
        Duration.ofDays(30));
    static final byte[] CERT_PEM = Pem.encode(CHAIN).getBytes(StandardCharsets.UTF_8);
    static final byte[] KEY_PEM = Pem.encode(KEYS.getPrivate()).getBytes(StandardCharsets.UTF_8);
    static final byte[] CERT_DER = encoded(CHAIN.get(0));
    static final StoreContent CONTENT = StoreContent.of(new StoreEntry.KeyEntry("k", KEYS.getPrivate(), CHAIN));
    static final byte[] JKS = KeystoreCodec.write(StoreType.JKS, CONTENT, PASSWORD);
    static final byte[] PKCS12 = KeystoreCodec.write(StoreType.PKCS12, CONTENT, PASSWORD);

    static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    interface Reader {
        void read(byte[] input) throws Exception;
    }

    /** Every reader of untrusted bytes, by name, with the errors that are its own. */
    static final Map<String, Reader> READERS = new LinkedHashMap<>();

    static {
        READERS.put("Pem.certificates", Pem::certificates);
        READERS.put("Pem.privateKey", Pem::privateKey);
        READERS.put("Pem.certificate (DER)", Pem::certificate);
        READERS.put("KeystoreCodec.read", b -> KeystoreCodec.read(KeystoreCodec.detect(b), b, PASSWORD));
        READERS.put("KeystoreCodec.readKey", b -> KeystoreCodec.readKey(KeystoreCodec.detect(b), b, PASSWORD, "k"));
        READERS.put("Inputs.gather (imports)", BoundedWorkPropertiesTest::gather);
        for (int kind = 0; kind < 3; kind++) {
            int k = kind;
            READERS.put("Inputs.trustedCertificates (" + List.of("Secret", "ConfigMap", "inline").get(kind) + ")",
                b -> trust(b, k));
        }
        READERS.put("Inputs.gather (issuer CA Secret)", BoundedWorkPropertiesTest::issuer);
    }

    static final SetDefinition DEFINITION = definition();
    static final SetDefinition ISSUED_SET = issued();

    static {
        // class loading and provider set-up happen once per JVM (Bouncy Castle's provider alone allocates
        // ~90 MiB): done here, so that the figures measured are what each further input costs
        for (Reader reader : READERS.values()) {
            for (byte[] input : List.of(CERT_PEM, KEY_PEM, CERT_DER, JKS, PKCS12, new byte[] {0x30, 0})) {
                try {
                    reader.read(input);
                } catch (Exception e) {
                    // warming up only
                }
            }
        }
    }

    static SetDefinition definition() {
        try {
            return ForeignKeysTest.def("""
                issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
                primary: {import: {keystore: {secretRef: {name: ks, key: store}, passwordSecretRef: {name: ks}, alias: k}}}
                tls: {import: {secretRef: {name: tls}}}
                """);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole import path: the bytes as a keystore, as tls.crt and as tls.key at once. */
    static void gather(byte[] input) throws Exception {
        MapInputs source = new MapInputs();
        source.secrets.put("tls", Map.of("tls.crt", input, "tls.key", input, "ca.crt", input));
        source.secrets.put("ks", Map.of("store", input, "password", new String(PASSWORD).getBytes(StandardCharsets.UTF_8)));
        ExistingState state = Inputs.gather(DEFINITION, source, Map.of());
        for (Imported imported : state.imports().values()) {
            if (imported.problem() != null && !(imported.problem().message().contains("Secret tls")
                || imported.problem().message().contains("Secret ks"))) {
                throw new AssertionError("a problem that names neither Secret: " + imported.problem().message());
            }
        }
    }

    /** The bytes as one kind of TrustBundle source. */
    static void trust(byte[] input, int kind) throws Exception {
        MapInputs source = new MapInputs();
        source.secrets.put("s", Map.of("ca.crt", input));
        source.configMaps.put("cm", Map.of("ca.crt", input));
        var bundle = new dev.keystore.operator.api.v1alpha1.TrustBundle();
        bundle.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("tb").withNamespace("ns").build());
        bundle.setSpec(new dev.keystore.operator.api.v1alpha1.TrustBundleSpec());
        var s = new dev.keystore.operator.api.v1alpha1.TrustSource();
        switch (kind) {
            case 0 -> s.secret = new dev.keystore.operator.api.v1alpha1.SecretKeyRef("s", "ca.crt");
            case 1 -> s.configMap = new dev.keystore.operator.api.v1alpha1.SecretKeyRef("cm", "ca.crt");
            default -> s.inline = new String(input, StandardCharsets.UTF_8);
        }
        bundle.getSpec().sources = List.of(s);
        try {
            Inputs.trustedCertificates(bundle, source);
        } catch (Problem.Raised e) {
            assertTrue(e.problem().message().contains("TrustBundle tb spec.sources[0]"), e.problem().message());
            throw e;
        }
    }

    /** The bytes as an issuer CA Secret's certificate and key. */
    static void issuer(byte[] input) throws Exception {
        MapInputs source = new MapInputs();
        source.secrets.put("corp", Map.of("tls.crt", input, "tls.key", input));
        try {
            Inputs.gather(ISSUED_SET, source, Map.of());
        } catch (Problem.Raised e) {
            assertTrue(e.problem().message().contains("Secret corp"), e.problem().message());
            throw e;
        }
    }

    static SetDefinition issued() {
        try {
            return ForeignKeysTest.def(ForeignKeysTest.CA_SET);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterContainer
    static void report() {
        READER.shutdownNow();
        System.out.println("bounded work: inputs per reader " + INPUTS);
        WORST.forEach((reader, w) -> System.out.printf("bounded work: %-40s worst %.1f ms CPU, %.1f MiB allocated%n",
            reader, w[0] / 1e6, w[1] / (double) (1 << 20)));
    }

    /** Every reader on the input: our own error or a value, within the CPU and allocation bounds. */
    static void bounded(byte[] input) {
        assertTrue(input.length <= MAX_INPUT, input.length + " bytes");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Map.Entry<String, Reader> reader : READERS.entrySet()) {
            Future<long[]> run = READER.submit(() -> {
                long id = Thread.currentThread().getId();
                long allocated = threads.getThreadAllocatedBytes(id);
                long cpu = threads.getCurrentThreadCpuTime();
                try {
                    reader.getValue().read(input);
                } catch (Pem.PemException | KeystoreCodec.UnreadableKeystore | Problem.Raised e) {
                    // our own validation error: an answer
                } catch (Exception | StackOverflowError e) {
                    throw new AssertionError(reader.getKey() + ": unexpected " + e.getClass().getName() + " for "
                        + input.length + " bytes", e);
                }
                return new long[] {threads.getCurrentThreadCpuTime() - cpu, threads.getThreadAllocatedBytes(id) - allocated};
            });
            try {
                long[] cost = run.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
                assertTrue(cost[0] < CPU_BOUND, reader.getKey() + ": " + cost[0] / 1_000_000 + " ms CPU for "
                    + input.length + " bytes");
                assertTrue(cost[1] < ALLOCATION_BOUND, reader.getKey() + ": " + cost[1] + " bytes allocated for "
                    + input.length + " bytes");
                WORST.merge(reader.getKey(), cost, (a, b) -> new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
                INPUTS.merge(reader.getKey(), 1, Integer::sum);
            } catch (TimeoutException e) {
                run.cancel(true);
                fail(reader.getKey() + ": no answer for " + input.length + " bytes");
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    // ---- inputs ----

    /** Random bytes of any length up to 1 MiB (the length biased to both ends). */
    @Provide
    Arbitrary<byte[]> random() {
        return Arbitraries.integers().between(0, MAX_INPUT).withDistribution(net.jqwik.api.RandomDistribution.biased())
            .edgeCases(c -> c.add(MAX_INPUT)).flatMap(length -> Arbitraries.longs().map(seed -> {
                byte[] b = new byte[length];
                new Random(seed).nextBytes(b);
                return b;
            }));
    }

    /** Valid PEM, DER, PKCS12 and JKS, mutated, and grown towards 1 MiB by repeating a slice. */
    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> seeds = Arbitraries.of(CERT_PEM, KEY_PEM, CERT_DER, JKS, PKCS12);
        return seeds.flatMap(seed -> net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 5),
            Arbitraries.integers().between(0, seed.length), Arbitraries.integers().between(0, 512),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(64), Arbitraries.integers().between(0, 3))
            .as((kind, at, length, bytes, grow) -> grown(UntrustedInputPropertiesTest.mutate(seed, kind, at, length, bytes),
                grow)));
    }

    /** The input with its middle repeated until it is up to (grow / 3) MiB. */
    static byte[] grown(byte[] input, int grow) {
        if (grow == 0 || input.length < 4) {
            return input;
        }
        int target = Math.min(MAX_INPUT, MAX_INPUT * grow / 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream(target);
        int half = input.length / 2;
        out.write(input, 0, half);
        byte[] slice = Arrays.copyOfRange(input, half / 2, half);
        while (out.size() + slice.length + (input.length - half) <= target && slice.length > 0) {
            out.writeBytes(slice);
        }
        out.write(input, half, input.length - half);
        return out.toByteArray();
    }

    @Property(tries = 40)
    void randomInputsUpTo1MiBAreAnsweredWithinTheBound(@ForAll("random") byte[] input) {
        bounded(input);
    }

    @Property(tries = 150)
    void mutatedInputsUpTo1MiBAreAnsweredWithinTheBound(@ForAll("mutated") byte[] input) {
        bounded(input);
    }

    // ---- crafted worst cases ----

    @net.jqwik.api.Example
    void craftedWorstCasesAreAnsweredWithinTheBound() throws Exception {
        for (byte[] input : crafted()) {
            bounded(input);
        }
    }

    static List<byte[]> crafted() throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        // the most iterations accepted, everywhere at once, keys hidden in the encrypted part (the costliest accepted)
        CraftedPkcs12 max = new CraftedPkcs12();
        max.macIterations = 100_000;
        max.certIterations = 100_000;
        max.keyIterations = 100_000;
        max.keysEncrypted = true;
        inputs.add(max.build(KEYS, CHAIN, PASSWORD));
        max.keysEncrypted = false;
        inputs.add(max.build(KEYS, CHAIN, PASSWORD));
        // above the caps
        CraftedPkcs12 over = new CraftedPkcs12();
        over.macIterations = 5_000_000;
        inputs.add(over.build(KEYS, CHAIN, PASSWORD));
        over = new CraftedPkcs12();
        over.keyIterations = 5_000_000;
        over.extraKeys = 9;
        inputs.add(over.build(KEYS, CHAIN, PASSWORD));
        over = new CraftedPkcs12();
        over.keyIterations = 100_000;
        over.extraKeys = 9; // each allowed, together ten times what one read may derive
        inputs.add(over.build(KEYS, CHAIN, PASSWORD));
        // many bags, nested bags
        CraftedPkcs12 many = new CraftedPkcs12();
        many.extraCertificateBags = 1_500;
        many.keysEncrypted = true;
        inputs.add(many.build(KEYS, CHAIN, PASSWORD));
        CraftedPkcs12 nested = new CraftedPkcs12();
        nested.nesting = 40;
        inputs.add(nested.build(KEYS, CHAIN, PASSWORD));
        // deep nesting, raw and as PEM of every type, to 1 MiB
        byte[] deep = new byte[MAX_INPUT];
        for (int i = 0; i + 1 < deep.length / 2; i += 2) {
            deep[i] = 0x30;
            deep[i + 1] = (byte) 0x80;
        }
        inputs.add(deep);
        byte[] deepForPem = Arrays.copyOf(deep, 700_000);
        for (String type : List.of("CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY")) {
            inputs.add(("-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder().encodeToString(deepForPem)
                + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII));
        }
        // certificates that are PEM text where DER belongs (the JDK would decode and parse them), deeply nested
        byte[] deepPem = ("-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
            Arrays.copyOf(deep, 300_000)) + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        CraftedPkcs12 pemInside = new CraftedPkcs12();
        pemInside.rawCertificate = deepPem;
        inputs.add(pemInside.build(KEYS, CHAIN, PASSWORD));
        inputs.add(HostileDer.jksWithRawCertificate(deepPem));
        // 1 MiB of certificates in one PEM, a JKS with the most entries allowed
        StringBuilder pems = new StringBuilder();
        String one = new String(CERT_PEM, StandardCharsets.UTF_8);
        while (pems.length() + one.length() <= MAX_INPUT) {
            pems.append(one);
        }
        inputs.add(pems.toString().getBytes(StandardCharsets.UTF_8));
        List<StoreEntry> entries = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            entries.add(new StoreEntry.TrustedEntry("c" + i, CHAIN.get(0)));
        }
        byte[] bigJks = KeystoreCodec.write(StoreType.JKS, new StoreContent(entries), PASSWORD);
        if (bigJks.length <= MAX_INPUT) {
            inputs.add(bigJks);
        }
        return inputs;
    }
}

package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.keystore.StoreType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Whatever bytes a user's Secret holds, the readers of untrusted input (the PEM parser, the
 * keystore reader, and the import path that uses both) answer with our own validation error or a
 * value: no other exception, no hang, no unbounded allocation. Inputs are random bytes and valid
 * inputs mutated (bytes flipped, overwritten, cut, repeated, spliced).
 */
class UntrustedInputPropertiesTest {
    /** Far above what reading a valid store of this size allocates, far below a runaway length field. */
    static final long ALLOCATION_BOUND = 64L << 20;
    static final Duration HANG_BOUND = Duration.ofSeconds(20);
    static final ExecutorService READER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "untrusted-reader");
        t.setDaemon(true);
        return t;
    });
    static final char[] PASSWORD = "fuzz-store-password".toCharArray();
    static final KeyPair LEAF_KEYS = TestKeys.rsa2048();
    static final CertificateAuthority CA = TestKeys.ecCa("Fuzz CA");
    static final List<X509Certificate> CHAIN = TestKeys.signerAt(TestKeys.T0).issue(CA,
        TestKeys.leafProfile("fuzz.example", java.util.Set.of(), java.util.Set.of()), LEAF_KEYS.getPublic(),
        Duration.ofDays(30));
    static final byte[] CERT_PEM = Pem.encode(CHAIN).getBytes(StandardCharsets.UTF_8);
    static final byte[] KEY_PEM = Pem.encode(LEAF_KEYS.getPrivate()).getBytes(StandardCharsets.UTF_8);
    static final StoreContent CONTENT = StoreContent.of(new StoreEntry.KeyEntry("k", LEAF_KEYS.getPrivate(), CHAIN));
    static final byte[] JKS = KeystoreCodec.write(StoreType.JKS, CONTENT, PASSWORD);
    static final byte[] PKCS12 = KeystoreCodec.write(StoreType.PKCS12, CONTENT, PASSWORD);

    @AfterContainer
    static void stopReader() {
        READER.shutdownNow();
    }

    /** What a reader may do with untrusted bytes: return, or throw one of our validation errors. */
    interface Reader {
        void read(byte[] input) throws Exception;
    }

    static void boundedRead(byte[] input, Reader reader, Class<?>... allowed) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Future<Long> run = READER.submit(() -> {
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            try {
                reader.read(input);
            } catch (Exception e) {
                if (Arrays.stream(allowed).noneMatch(c -> c.isInstance(e))) {
                    throw new AssertionError("unexpected " + e.getClass().getName() + " for " + input.length + " bytes", e);
                }
            }
            return threads.getThreadAllocatedBytes(id) - before;
        });
        try {
            long allocated = run.get(HANG_BOUND.toSeconds(), TimeUnit.SECONDS);
            assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes for " + input.length + " input bytes");
        } catch (TimeoutException e) {
            run.cancel(true);
            fail("no answer within " + HANG_BOUND + " for " + input.length + " bytes");
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    // ---- inputs ----

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
    }

    static Arbitrary<byte[]> mutated(byte[] seed) {
        Arbitrary<byte[]> once = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, seed.length), Arbitraries.integers().between(0, 512),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
            .as((kind, at, length, bytes) -> mutate(seed, kind, at, length, bytes));
        return once.list().ofMinSize(1).ofMaxSize(4).map(list -> list.get(list.size() - 1))
            .injectDuplicates(0.0).edgeCases(c -> c.add(seed));
    }

    static byte[] mutate(byte[] seed, int kind, int at, int length, byte[] bytes) {
        int pos = Math.min(at, Math.max(0, seed.length - 1));
        byte[] out;
        switch (kind) {
            case 0 -> { // flip one bit
                out = seed.clone();
                if (out.length > 0) {
                    out[pos] ^= (byte) (1 << (length % 8));
                }
            }
            case 1 -> { // overwrite a run
                out = seed.clone();
                for (int i = 0; i < bytes.length && pos + i < out.length; i++) {
                    out[pos + i] = bytes[i];
                }
            }
            case 2 -> out = Arrays.copyOf(seed, pos); // cut
            case 3 -> { // repeat a slice
                int end = Math.min(seed.length, pos + length);
                byte[] slice = Arrays.copyOfRange(seed, pos, end);
                out = new byte[seed.length + slice.length];
                System.arraycopy(seed, 0, out, 0, end);
                System.arraycopy(slice, 0, out, end, slice.length);
                System.arraycopy(seed, end, out, end + slice.length, seed.length - end);
            }
            case 4 -> { // insert bytes
                out = new byte[seed.length + bytes.length];
                System.arraycopy(seed, 0, out, 0, pos);
                System.arraycopy(bytes, 0, out, pos, bytes.length);
                System.arraycopy(seed, pos, out, pos + bytes.length, seed.length - pos);
            }
            default -> { // a length field made huge: 0xFF run
                out = seed.clone();
                for (int i = pos; i < Math.min(out.length, pos + 1 + length % 6); i++) {
                    out[i] = (byte) 0xFF;
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<byte[]> pems() {
        return Arbitraries.oneOf(mutated(CERT_PEM), mutated(KEY_PEM),
            mutated((new String(KEY_PEM, StandardCharsets.UTF_8) + new String(CERT_PEM, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<byte[]> keystores() {
        return Arbitraries.oneOf(mutated(JKS), mutated(PKCS12));
    }

    // ---- properties ----

    @Property(tries = 1000)
    void thePemParserAnswersRandomBytesWithItsOwnError(@ForAll("randomBytes") byte[] input) {
        boundedRead(input, Pem::certificates, Pem.PemException.class);
        boundedRead(input, Pem::privateKey, Pem.PemException.class);
    }

    @Property(tries = 1000)
    void thePemParserAnswersMutatedPemWithItsOwnError(@ForAll("pems") byte[] input) {
        boundedRead(input, Pem::certificates, Pem.PemException.class);
        boundedRead(input, Pem::privateKey, Pem.PemException.class);
    }

    @Property(tries = 500)
    void theKeystoreReaderAnswersRandomBytesWithItsOwnError(@ForAll("randomBytes") byte[] input) {
        boundedRead(input, b -> KeystoreCodec.read(KeystoreCodec.detect(b), b, PASSWORD),
            KeystoreCodec.UnreadableKeystore.class);
    }

    @Property(tries = 300)
    void theKeystoreReaderAnswersMutatedStoresWithItsOwnError(@ForAll("keystores") byte[] input) {
        boundedRead(input, b -> KeystoreCodec.read(KeystoreCodec.detect(b), b, PASSWORD),
            KeystoreCodec.UnreadableKeystore.class);
        boundedRead(input, b -> KeystoreCodec.read(StoreType.JKS, b, PASSWORD), KeystoreCodec.UnreadableKeystore.class);
        boundedRead(input, b -> KeystoreCodec.read(StoreType.PKCS12, b, PASSWORD), KeystoreCodec.UnreadableKeystore.class);
    }

    @Property(tries = 300)
    void anImportOfBrokenBytesIsAProblemNamingTheSecret(@ForAll("pems") byte[] crt, @ForAll("pems") byte[] key,
                                                         @ForAll("keystores") byte[] store) {
        MapInputs source = new MapInputs();
        source.secrets.put("tls", Map.of("tls.crt", crt, "tls.key", key));
        Map<String, byte[]> ks = new HashMap<>();
        ks.put("store", store);
        ks.put("password", new String(PASSWORD).getBytes(StandardCharsets.UTF_8));
        source.secrets.put("ks", ks);
        SetDefinition def = definition();
        boundedRead(new byte[0], ignored -> {
            ExistingState state = Inputs.gather(def, source, Map.of());
            for (Imported imported : state.imports().values()) {
                if (imported.problem() != null) {
                    String message = imported.problem().message();
                    assertTrue(message.contains("Secret tls") || message.contains("Secret ks"), message);
                    assertTrue(!message.contains("BEGIN") && !message.contains(new String(PASSWORD)), message);
                }
            }
        }, Problem.Raised.class);
    }

    static SetDefinition definition() {
        try {
            return ImportTest.def("""
                primary: {import: {keystore: {secretRef: {name: ks, key: store}, passwordSecretRef: {name: ks}, alias: k}}}
                tls: {import: {secretRef: {name: tls}}}
                """);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

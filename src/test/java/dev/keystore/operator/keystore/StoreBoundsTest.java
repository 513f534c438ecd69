package dev.keystore.operator.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.testing.HostileDer;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a keystore costs what its structure says, within caps checked before any key is derived
 * from the password; only the entry asked for is decrypted; unchanged bytes are not decoded again.
 * CPU is measured per call with the thread's CPU clock, never with the wall clock.
 */
class StoreBoundsTest {
    static final char[] PASSWORD = "bounds-test-password".toCharArray();
    static KeyPair keys;
    static List<X509Certificate> chain;

    @BeforeAll
    static void material() {
        CertificateAuthority ca = TestKeys.ecCa("Bounds CA");
        keys = TestKeys.ec256();
        chain = TestKeys.signerAt(TestKeys.T0).issue(ca, TestKeys.leafProfile("bounds.example", Set.of(), Set.of()),
            keys.getPublic(), Duration.ofDays(30));
    }

    static long cpuNanos(ThrowingRunnable r) throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        r.run();
        return threads.getCurrentThreadCpuTime() - before;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static String refusal(byte[] bytes, boolean oneKey) {
        return assertThrows(KeystoreCodec.UnreadableKeystore.class, () -> {
            if (oneKey) {
                KeystoreCodec.readKey(StoreType.PKCS12, bytes, PASSWORD, "k");
            } else {
                KeystoreCodec.read(StoreType.PKCS12, bytes, PASSWORD);
            }
        }).getMessage();
    }

    @Test
    void whatRealToolsWriteIsRead() throws Exception {
        CraftedPkcs12 jdkLike = new CraftedPkcs12();
        assertEquals("k", KeystoreCodec.readKey(StoreType.PKCS12, jdkLike.build(keys, chain, PASSWORD), PASSWORD, "k")
            .entry().orElseThrow().alias());
        CraftedPkcs12 openssl11 = new CraftedPkcs12();
        openssl11.macIterations = 2048;
        openssl11.certIterations = 2048;
        openssl11.keyIterations = 2048;
        openssl11.legacyCertificates = true;
        StoreContent read = KeystoreCodec.read(StoreType.PKCS12, openssl11.build(keys, chain, PASSWORD), PASSWORD);
        assertTrue(read.keyEntry("k").isPresent());
        // JDK 11 wrote 100,000 MAC iterations and 50,000 per key and certificate part
        CraftedPkcs12 jdk11 = new CraftedPkcs12();
        jdk11.macIterations = 100_000;
        jdk11.certIterations = 50_000;
        jdk11.keyIterations = 50_000;
        assertTrue(KeystoreCodec.read(StoreType.PKCS12, jdk11.build(keys, chain, PASSWORD), PASSWORD).keyEntry("k")
            .isPresent());
        // our own stores
        byte[] ours = KeystoreCodec.write(StoreType.PKCS12, StoreContent.of(new StoreEntry.KeyEntry("k", keys.getPrivate(),
            chain)), PASSWORD);
        assertTrue(KeystoreCodec.read(StoreType.PKCS12, ours, PASSWORD).keyEntry("k").isPresent());
    }

    @Test
    void opensslsDefaultExportIsRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("key.pem"), Pem.encode(keys.getPrivate()));
        Files.writeString(dir.resolve("crt.pem"), Pem.encode(chain));
        Process p = new ProcessBuilder("openssl", "pkcs12", "-export", "-in", dir.resolve("crt.pem").toString(),
            "-inkey", dir.resolve("key.pem").toString(), "-name", "k", "-out", dir.resolve("o.p12").toString(),
            "-passout", "pass:" + new String(PASSWORD)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        byte[] bytes = Files.readAllBytes(dir.resolve("o.p12"));
        assertTrue(KeystoreCodec.readKey(StoreType.PKCS12, bytes, PASSWORD, "k").entry().isPresent());
    }

    @Test
    void iterationCountsAboveTheCapAreRefusedBeforeAnyKeyIsDerived() throws Exception {
        for (String part : List.of("mac", "certificates", "key")) {
            CraftedPkcs12 crafted = new CraftedPkcs12();
            switch (part) {
                case "mac" -> crafted.macIterations = 5_000_000;
                case "certificates" -> crafted.certIterations = 5_000_000;
                default -> crafted.keyIterations = 5_000_000;
            }
            // building it costs 5,000,000 iterations once; reading it must cost none of them
            byte[] bytes = crafted.build(keys, chain, PASSWORD);
            String[] message = new String[1];
            long cpu = cpuNanos(() -> message[0] = refusal(bytes, true));
            assertTrue(message[0].contains("5000000 iterations, more than the 200000 allowed"), message[0]);
            assertFalse(message[0].contains(new String(PASSWORD)));
            // 5,000,000 iterations take seconds; the refusal is a parse: far under one 100,000-iteration derivation
            assertTrue(cpu < Duration.ofMillis(500).toNanos(), part + ": " + cpu / 1_000_000 + " ms CPU");
            System.out.printf("refused a %d-byte PKCS12 with 5,000,000 %s iterations in %.1f ms CPU%n", bytes.length, part,
                cpu / 1e6);
        }
    }

    @Test
    void aKeyHiddenInTheEncryptedPartIsHeldToTheSameCap() throws Exception {
        CraftedPkcs12 crafted = new CraftedPkcs12();
        crafted.keysEncrypted = true;
        crafted.keyIterations = 5_000_000;
        byte[] bytes = crafted.build(keys, chain, PASSWORD);
        String message = refusal(bytes, true);
        assertTrue(message.contains("5000000 iterations"), message);
        crafted.keyIterations = 10_000;
        assertTrue(KeystoreCodec.readKey(StoreType.PKCS12, crafted.build(keys, chain, PASSWORD), PASSWORD, "k")
            .entry().isPresent());
    }

    @Test
    void tooManyBagsTooDeepBagsAndTooManyDerivationsAreRefused() throws Exception {
        CraftedPkcs12 many = new CraftedPkcs12();
        many.extraCertificateBags = StoreBounds.MAX_BAGS;
        // in the encrypted part: decrypted (one derivation) and counted before the JDK parses them
        assertTrue(refusal(many.build(keys, chain, PASSWORD), true).contains("more than 1000 entries"));
        many.keysEncrypted = true;
        assertTrue(refusal(many.build(keys, chain, PASSWORD), true).contains("more than 1000 entries"));

        // the bags in clear (as some tools write them): one part each, so refused for the parts first
        many.keysEncrypted = false;
        many.certificatesInClear = true;
        many.extraCertificateBags = 20;
        assertTrue(refusal(many.build(keys, chain, PASSWORD), true).contains("more than 16"), "parts");

        CraftedPkcs12 nested = new CraftedPkcs12();
        nested.nesting = StoreBounds.MAX_BAG_NESTING + 1;
        assertTrue(refusal(nested.build(keys, chain, PASSWORD), true).contains("nests its bags deeper"));

        // four keys of 100,000 iterations: one may be decrypted, not all four
        CraftedPkcs12 costly = new CraftedPkcs12();
        costly.keyIterations = 100_000;
        costly.extraKeys = 3;
        byte[] bytes = costly.build(keys, chain, PASSWORD);
        assertTrue(KeystoreCodec.readKey(StoreType.PKCS12, bytes, PASSWORD, "k").entry().isPresent());
        assertTrue(refusal(bytes, false).contains("more than the 300000 allowed"), refusal(bytes, false));
    }

    @Test
    void onlyTheAliasAskedForIsDecrypted() throws Exception {
        CraftedPkcs12 crafted = new CraftedPkcs12();
        crafted.extraKeys = 3;
        crafted.extraKeysDamaged = true; // decrypting any of them fails
        byte[] bytes = crafted.build(keys, chain, PASSWORD);
        KeyLookup lookup = KeystoreCodec.readKey(StoreType.PKCS12, bytes, PASSWORD, "K");
        assertEquals(keys.getPrivate(), lookup.entry().orElseThrow().key());
        assertEquals(4, lookup.keyAliases().size());
        assertEquals(2, lookup.entry().orElseThrow().chain().size());
        // reading every entry decrypts the damaged ones too, and fails
        assertThrows(KeystoreCodec.UnreadableKeystore.class, () -> KeystoreCodec.read(StoreType.PKCS12, bytes, PASSWORD));
        // no alias and several keys: nothing decrypted, the aliases listed
        KeyLookup none = KeystoreCodec.readKey(StoreType.PKCS12, bytes, PASSWORD, null);
        assertTrue(none.entry().isEmpty());
        assertEquals(4, none.keyAliases().size());
    }

    @Test
    void deepNestingIsRefusedWithoutAStackOverflow() {
        for (byte[] deep : List.of(nested(250_000, true), nested(150_000, false))) {
            assertTrue(deep.length <= 1 << 20, deep.length + " bytes");
            KeystoreCodec.UnreadableKeystore e = assertThrows(KeystoreCodec.UnreadableKeystore.class,
                () -> KeystoreCodec.read(StoreType.PKCS12, deep, PASSWORD));
            assertTrue(e.getMessage().contains("nests deeper than 64 levels"), e.getMessage());
        }
    }

    /** SEQUENCE inside SEQUENCE, {@code depth} times: indefinite lengths, or definite ones (3-byte lengths). */
    static byte[] nested(int depth, boolean indefinite) {
        return indefinite ? HostileDer.nestedIndefinite(depth) : HostileDer.nestedDefinite(depth, new byte[0]);
    }

    /** The JDK's CertificateFactory decodes PEM text where DER is expected: 1 MiB of it, deeply nested, costs seconds. */
    static byte[] deepPemCertificate() {
        return ("-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(nested(150_000, true))
            + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aCertificateThatIsNotDerIsRefusedBeforeTheJdkParsesIt() throws Exception {
        byte[] pem = deepPemCertificate();
        for (boolean keysEncrypted : new boolean[] {false, true}) {
            CraftedPkcs12 crafted = new CraftedPkcs12();
            crafted.rawCertificate = pem;
            crafted.keysEncrypted = keysEncrypted;
            byte[] bytes = crafted.build(keys, chain, PASSWORD);
            long[] cpu = new long[1];
            String[] message = new String[1];
            cpu[0] = cpuNanos(() -> message[0] = refusal(bytes, true));
            assertEquals("holds a certificate that is not DER", message[0]);
            assertTrue(cpu[0] < Duration.ofMillis(500).toNanos(), cpu[0] / 1_000_000 + " ms CPU");
        }
        // a JKS whose trusted certificate is that PEM text
        String message = assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.read(StoreType.JKS, HostileDer.jksWithRawCertificate(pem), PASSWORD)).getMessage();
        assertTrue(message.contains("not DER"), message);
    }

    @Test
    void aJksWithMoreEntriesThanTheCapIsRefused() throws Exception {
        List<StoreEntry> entries = new ArrayList<>();
        for (int i = 0; i <= StoreBounds.MAX_JKS_ENTRIES; i++) {
            entries.add(new StoreEntry.TrustedEntry("c" + i, chain.get(1)));
        }
        byte[] jks = KeystoreCodec.write(StoreType.JKS, new StoreContent(entries), PASSWORD);
        String message = assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.read(StoreType.JKS, jks, PASSWORD)).getMessage();
        assertTrue(message.contains("1001 entries, more than the 1000 allowed"), message);
        byte[] forged = jks.clone();
        forged[8] = 0x7f; // an entry count of two billion
        assertThrows(KeystoreCodec.UnreadableKeystore.class, () -> KeystoreCodec.read(StoreType.JKS, forged, PASSWORD));
    }

    @Test
    void unchangedBytesAreNotDecodedAgainAndFailuresAreRemembered() throws Exception {
        byte[] bytes = new CraftedPkcs12().build(keys, chain, PASSWORD);
        long decodes = DecodedStores.SHARED.decodes();
        long first = cpuNanos(() -> KeystoreCodec.readKey(StoreType.PKCS12, bytes, PASSWORD, "k"));
        long second = cpuNanos(() -> KeystoreCodec.readKey(StoreType.PKCS12, bytes, PASSWORD, "k"));
        assertEquals(decodes + 1, DecodedStores.SHARED.decodes(), "the second read is answered from memory");
        // another password or another question is another decode
        assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.readKey(StoreType.PKCS12, bytes, "wrong".toCharArray(), "k"));
        assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.readKey(StoreType.PKCS12, bytes, "wrong".toCharArray(), "k"));
        assertEquals(decodes + 2, DecodedStores.SHARED.decodes(), "a wrong password costs its derivation once");
        KeystoreCodec.read(StoreType.PKCS12, bytes, PASSWORD);
        assertEquals(decodes + 3, DecodedStores.SHARED.decodes());
        System.out.printf("PKCS12 import read: %.1f ms CPU decoded, %.2f ms CPU unchanged%n", first / 1e6, second / 1e6);
        assertTrue(second < first, "first " + first + " ns, second " + second + " ns");
    }

    @Test
    void theCacheIsBounded() throws Exception {
        DecodedStores cache = new DecodedStores();
        byte[] bytes = KeystoreCodec.write(StoreType.JKS, StoreContent.of(new StoreEntry.TrustedEntry("a", chain.get(1))),
            PASSWORD);
        for (int i = 0; i <= DecodedStores.CAPACITY; i++) {
            int n = i;
            cache.get("q" + i, StoreType.JKS, bytes, PASSWORD, () -> n);
        }
        long decodes = cache.decodes();
        cache.get("q" + DecodedStores.CAPACITY, StoreType.JKS, bytes, PASSWORD, () -> -1); // the newest: kept
        assertEquals(decodes, cache.decodes());
        Object first = cache.get("q0", StoreType.JKS, bytes, PASSWORD, () -> -1); // the eldest: gone
        assertEquals(-1, first);
        assertEquals(decodes + 1, cache.decodes());
    }
}

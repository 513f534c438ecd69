package dev.keystore.operator.keystore;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.KeyMatch;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeystoreCodecTest {
    static final String PASSWORD = "Codec-Test-Password-42";
    static final char[] PW = PASSWORD.toCharArray();

    static CertificateAuthority ca;
    static KeyPair leafKeys;
    static List<X509Certificate> chain;
    static X509Certificate otherRoot;
    static StoreContent content;

    @BeforeAll
    static void material() {
        ca = TestKeys.ecCa("Codec Root CA");
        leafKeys = TestKeys.rsa2048();
        chain = TestKeys.signerAt(T0).issue(ca, TestKeys.leafProfile("app", Set.of("app.example.com"), Set.of()),
            leafKeys.getPublic(), Duration.ofDays(90));
        otherRoot = TestKeys.selfSigned("CN=Partner Root,O=Partner");
        content = StoreContent.of(
            new StoreEntry.KeyEntry("wso2carbon", leafKeys.getPrivate(), chain),
            new StoreEntry.TrustedEntry("codec-root-ca", ca.certificate()),
            new StoreEntry.TrustedEntry("partner-root", otherRoot));
    }

    @ParameterizedTest
    @EnumSource(StoreType.class)
    void roundTripKeepsTheKeyTheFullChainAndTrustedEntries(StoreType type) throws Exception {
        byte[] bytes = KeystoreCodec.write(type, content, PW);
        StoreContent read = KeystoreCodec.read(type, bytes, PW);

        assertTrue(read.sameAs(content));
        assertEquals(3, read.entries().size());
        StoreEntry.KeyEntry key = read.keyEntry("wso2carbon").orElseThrow();
        assertArrayEquals(leafKeys.getPrivate().getEncoded(), key.key().getEncoded());
        assertEquals(chain, key.chain());
        assertEquals(2, key.chain().size(), "leaf and CA");
        assertTrue(KeyMatch.matches(key.key(), key.chain().get(0).getPublicKey()));
        long trusted = read.entries().stream().filter(e -> e instanceof StoreEntry.TrustedEntry).count();
        assertEquals(2, trusted);
        assertTrue(read.keyEntry("WSO2CARBON").isPresent(), "aliases compare case-insensitively");
        assertTrue(read.keyEntry("codec-root-ca").isEmpty(), "a trusted entry is not a key entry");
    }

    @ParameterizedTest
    @EnumSource(StoreType.class)
    void theJdkSeesAPrivateKeyEntryAndTrustedCertificateEntries(StoreType type) throws Exception {
        byte[] bytes = KeystoreCodec.write(type, content, PW);
        KeyStore store = KeyStore.getInstance(type.name());
        store.load(new java.io.ByteArrayInputStream(bytes), PW);
        assertTrue(store.entryInstanceOf("wso2carbon", KeyStore.PrivateKeyEntry.class));
        assertTrue(store.entryInstanceOf("codec-root-ca", KeyStore.TrustedCertificateEntry.class));
        assertTrue(store.entryInstanceOf("partner-root", KeyStore.TrustedCertificateEntry.class));
        // the key password is the store password (WSO2 requires it)
        assertArrayEquals(leafKeys.getPrivate().getEncoded(), store.getKey("wso2carbon", PW).getEncoded());
    }

    @ParameterizedTest
    @EnumSource(StoreType.class)
    void aWrongPasswordIsUnreadableWithoutNamingThePassword(StoreType type) {
        byte[] bytes = KeystoreCodec.write(type, content, PW);
        String wrong = "Wrong-Password-99";
        KeystoreCodec.UnreadableKeystore e = assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.read(type, bytes, wrong.toCharArray()));
        assertTrue(e.getMessage().contains("password"), "message should say the password is wrong");
        assertFalse(e.getMessage().contains(wrong), "message contains the attempted password");
        assertFalse(e.getMessage().contains(PASSWORD), "message contains the store password");
    }

    @ParameterizedTest
    @EnumSource(StoreType.class)
    void garbageIsUnreadable(StoreType type) {
        byte[] garbage = "this is not a keystore".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        KeystoreCodec.UnreadableKeystore e = assertThrows(KeystoreCodec.UnreadableKeystore.class,
            () -> KeystoreCodec.read(type, garbage, PW));
        assertFalse(e.getMessage().contains(PASSWORD));

        byte[] truncated = Arrays.copyOf(KeystoreCodec.write(type, content, PW), 100);
        assertThrows(KeystoreCodec.UnreadableKeystore.class, () -> KeystoreCodec.read(type, truncated, PW));
    }

    @Test
    void detectTellsJksFromPkcs12ByMagicNumber() {
        assertEquals(StoreType.JKS, KeystoreCodec.detect(KeystoreCodec.write(StoreType.JKS, content, PW)));
        assertEquals(StoreType.PKCS12, KeystoreCodec.detect(KeystoreCodec.write(StoreType.PKCS12, content, PW)));
        assertEquals(StoreType.JKS, KeystoreCodec.detect(new byte[] {(byte) 0xfe, (byte) 0xed, (byte) 0xfe, (byte) 0xed}));
        assertEquals(StoreType.PKCS12, KeystoreCodec.detect(new byte[] {(byte) 0xfe, (byte) 0xed}));
        assertEquals(StoreType.PKCS12, KeystoreCodec.detect(new byte[0]));
    }

    @Test
    void sameContentInDifferentEncodingsIsTheSame() throws Exception {
        byte[] p12a = KeystoreCodec.write(StoreType.PKCS12, content, PW);
        byte[] p12b = KeystoreCodec.write(StoreType.PKCS12, content, PW);
        assertFalse(Arrays.equals(p12a, p12b), "PKCS12 salts differ per encoding (else this test proves nothing)");
        StoreContent a = KeystoreCodec.read(StoreType.PKCS12, p12a, PW);
        StoreContent b = KeystoreCodec.read(StoreType.PKCS12, p12b, PW);
        StoreContent jks = KeystoreCodec.read(StoreType.JKS, KeystoreCodec.write(StoreType.JKS, content, PW), PW);
        assertTrue(a.sameAs(b));
        assertTrue(a.sameAs(jks));
        assertTrue(jks.sameAs(content));
    }

    @Test
    void aDifferentKeyIsDifferentContent() throws Exception {
        KeyPair other = TestKeys.rsa2048();
        StoreContent otherKey = StoreContent.of(
            new StoreEntry.KeyEntry("wso2carbon", other.getPrivate(), chain),
            new StoreEntry.TrustedEntry("codec-root-ca", ca.certificate()),
            new StoreEntry.TrustedEntry("partner-root", otherRoot));
        assertFalse(content.sameAs(otherKey));
        StoreContent read = KeystoreCodec.read(StoreType.PKCS12, KeystoreCodec.write(StoreType.PKCS12, otherKey, PW), PW);
        assertFalse(read.sameAs(content));
    }

    @Test
    void sameAsComparesAliasesChainsAndEntryCounts() {
        StoreContent renamed = StoreContent.of(
            new StoreEntry.KeyEntry("other-alias", leafKeys.getPrivate(), chain),
            new StoreEntry.TrustedEntry("codec-root-ca", ca.certificate()),
            new StoreEntry.TrustedEntry("partner-root", otherRoot));
        StoreContent leafOnly = StoreContent.of(
            new StoreEntry.KeyEntry("wso2carbon", leafKeys.getPrivate(), chain.subList(0, 1)),
            new StoreEntry.TrustedEntry("codec-root-ca", ca.certificate()),
            new StoreEntry.TrustedEntry("partner-root", otherRoot));
        StoreContent fewer = StoreContent.of(
            new StoreEntry.KeyEntry("wso2carbon", leafKeys.getPrivate(), chain),
            new StoreEntry.TrustedEntry("codec-root-ca", ca.certificate()));
        StoreContent swappedTrust = StoreContent.of(
            new StoreEntry.KeyEntry("wso2carbon", leafKeys.getPrivate(), chain),
            new StoreEntry.TrustedEntry("codec-root-ca", otherRoot),
            new StoreEntry.TrustedEntry("partner-root", ca.certificate()));
        StoreContent reordered = StoreContent.of(
            new StoreEntry.TrustedEntry("PARTNER-ROOT", otherRoot),
            new StoreEntry.TrustedEntry("codec-root-ca", ca.certificate()),
            new StoreEntry.KeyEntry("wso2carbon", leafKeys.getPrivate(), chain));

        assertFalse(content.sameAs(renamed));
        assertFalse(content.sameAs(leafOnly));
        assertFalse(content.sameAs(fewer));
        assertFalse(fewer.sameAs(content));
        assertFalse(content.sameAs(swappedTrust));
        assertFalse(content.sameAs(null));
        assertTrue(content.sameAs(reordered), "order and alias case do not matter");
        assertTrue(content.sameAs(content));
    }

    @Test
    void aKeyEntryIsNeverTheSameAsATrustedEntry() {
        StoreEntry key = new StoreEntry.KeyEntry("x", leafKeys.getPrivate(), List.of(ca.certificate()));
        StoreEntry trusted = new StoreEntry.TrustedEntry("x", ca.certificate());
        assertFalse(key.sameAs(trusted));
        assertFalse(trusted.sameAs(key));
    }

    @Test
    void emptyTruststoreRoundTrips() throws Exception {
        for (StoreType type : StoreType.values()) {
            StoreContent empty = new StoreContent(List.of());
            assertTrue(KeystoreCodec.read(type, KeystoreCodec.write(type, empty, PW), PW).sameAs(empty));
        }
    }

    // ---- interop with the tools users run ----

    @Test
    void opensslReadsOurPkcs12WithoutLegacy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("store.p12");
        Files.write(file, KeystoreCodec.write(StoreType.PKCS12, content, PW));

        Tools.Run run = Tools.opensslPkcs12Info(file, PASSWORD);
        assertEquals(0, run.exitCode(), "openssl pkcs12 -info -noout failed: " + run.output());
        String out = run.output().toLowerCase(Locale.ROOT);
        assertTrue(out.contains("mac: sha256"), "MAC should be HMAC-SHA256: " + run.output());
        assertTrue(out.contains("pbes2") && out.contains("aes-256-cbc"), "PBES2/AES-256 expected: " + run.output());
        assertFalse(out.contains("rc2") || out.contains("3des") || out.contains("pbewithsha1"),
            "legacy algorithm used: " + run.output());

        Tools.Run wrong = Tools.opensslPkcs12Info(file, "not-the-password");
        assertTrue(wrong.exitCode() != 0, "openssl accepted a wrong password: the check above would be meaningless");
    }

    @Test
    void opensslExtractsTheKeyAndFullChain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("store.p12");
        Files.write(file, KeystoreCodec.write(StoreType.PKCS12, content, PW));
        Tools.Run run = Tools.run(null, java.util.Map.of("KS_PASS", PASSWORD), "openssl", "pkcs12", "-in", file.toString(),
            "-passin", "env:KS_PASS", "-nodes", "-nokeys");
        assertEquals(0, run.exitCode(), "openssl pkcs12 -nokeys failed");
        // leaf + CA from the key entry's chain, plus the partner root; the CA appears as chain and as trusted entry
        assertTrue(run.output().contains("subject=CN = app"), run.output());
        assertTrue(run.output().contains("subject=CN = Codec Root CA"), run.output());
        assertTrue(run.output().contains("subject=CN = Partner Root, O = Partner"), run.output());
    }

    @Test
    void keytoolListsOurPkcs12(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("store.p12");
        Files.write(file, KeystoreCodec.write(StoreType.PKCS12, content, PW));
        Tools.Run run = Tools.keytoolList(file, "PKCS12", PASSWORD);
        assertEquals(0, run.exitCode(), "keytool -list failed: " + run.output());
        assertTrue(run.output().contains("Your keystore contains 3 entries"), run.output());
        assertTrue(run.output().contains("PrivateKeyEntry"), run.output());
        assertTrue(run.output().contains("trustedCertEntry"), run.output());
        assertTrue(run.output().contains("Certificate chain length: 2"), run.output());

        Tools.Run wrong = Tools.keytoolList(file, "PKCS12", "not-the-password");
        assertTrue(wrong.exitCode() != 0, "keytool accepted a wrong password");
    }

    @Test
    void keytoolListsOurJks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("store.jks");
        Files.write(file, KeystoreCodec.write(StoreType.JKS, content, PW));
        Tools.Run run = Tools.keytoolList(file, "JKS", PASSWORD);
        assertEquals(0, run.exitCode(), "keytool -list failed: " + run.output());
        assertTrue(run.output().contains("Keystore type: JKS"), run.output());
        assertTrue(run.output().contains("Your keystore contains 3 entries"), run.output());
        assertTrue(run.output().contains("PrivateKeyEntry"), run.output());
        assertTrue(run.output().contains("Certificate chain length: 2"), run.output());
    }

    @Test
    void aKeystoreMadeByKeytoolIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("legacy.jks");
        Tools.Run gen = Tools.run(dir, java.util.Map.of("KS_PASS", PASSWORD), "keytool", "-genkeypair", "-alias",
            "wso2carbon", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=legacy", "-validity", "30",
            "-storetype", "JKS", "-keystore", file.toString(), "-storepass:env", "KS_PASS", "-keypass:env", "KS_PASS");
        assertEquals(0, gen.exitCode(), "keytool -genkeypair failed");
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(StoreType.JKS, KeystoreCodec.detect(bytes));
        StoreEntry.KeyEntry entry = KeystoreCodec.read(StoreType.JKS, bytes, PW).keyEntry("wso2carbon").orElseThrow();
        assertTrue(KeyMatch.matches(entry.key(), entry.chain().get(0).getPublicKey()));
        assertEquals("CN=legacy", entry.chain().get(0).getSubjectX500Principal().getName());
    }

    @Test
    void aTruststoreHoldsTrustedEntriesOnly() throws Exception {
        StoreContent truststore = StoreContent.of(new StoreEntry.TrustedEntry("codec-root-ca", ca.certificate()),
            new StoreEntry.TrustedEntry("partner-root", otherRoot));
        for (StoreType type : StoreType.values()) {
            StoreContent read = KeystoreCodec.read(type, KeystoreCodec.write(type, truststore, PW), PW);
            assertEquals(2, read.entries().size());
            for (StoreEntry e : read.entries()) {
                assertInstanceOf(StoreEntry.TrustedEntry.class, e);
            }
        }
    }
}

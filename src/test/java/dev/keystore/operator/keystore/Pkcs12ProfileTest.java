package dev.keystore.operator.keystore;

import static dev.keystore.operator.crypto.TestKeys.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two PKCS12 profiles, as the readers users run see them. OpenSSL 3.0 here reads PBE-SHA1-3DES and a
 * SHA-1 MAC without -legacy (only RC2/RC4/DES need it), so {@code Legacy} is proven by the algorithms
 * OpenSSL itself reports per bag and by the OIDs in the ASN.1, not by a refusal.
 */
class Pkcs12ProfileTest {
    static final String PASSWORD = "Profile-Test-Password-17";
    static final char[] PW = PASSWORD.toCharArray();
    static final String TRIPLE_DES = "pbeWithSHA1And3-KeyTripleDES-CBC";

    static KeyPair leafKeys;
    static List<X509Certificate> chain;
    static StoreContent content;

    @BeforeAll
    static void material() {
        CertificateAuthority ca = TestKeys.ecCa("Profile Root CA");
        leafKeys = TestKeys.rsa2048();
        chain = TestKeys.signerAt(T0).issue(ca, TestKeys.leafProfile("app", Set.of("app.example.com"), Set.of()),
            leafKeys.getPublic(), Duration.ofDays(90));
        content = StoreContent.of(
            new StoreEntry.KeyEntry("wso2carbon", leafKeys.getPrivate(), chain),
            new StoreEntry.TrustedEntry("profile-root-ca", ca.certificate()),
            new StoreEntry.TrustedEntry("partner-root", TestKeys.selfSigned("CN=Partner Root,O=Partner")));
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void bothProfilesRoundTripAndTheJdkSeesKeyAndTrustedEntries(Pkcs12Profile profile) throws Exception {
        byte[] bytes = KeystoreCodec.write(StoreType.PKCS12, content, PW, profile);
        assertEquals(Optional.of(profile), Pkcs12Profile.of(bytes));
        assertTrue(KeystoreCodec.read(StoreType.PKCS12, bytes, PW).sameAs(content));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new java.io.ByteArrayInputStream(bytes), PW);
        assertTrue(store.entryInstanceOf("wso2carbon", KeyStore.PrivateKeyEntry.class));
        assertTrue(store.entryInstanceOf("profile-root-ca", KeyStore.TrustedCertificateEntry.class));
        assertTrue(store.entryInstanceOf("partner-root", KeyStore.TrustedCertificateEntry.class));
        assertArrayEquals(leafKeys.getPrivate().getEncoded(), store.getKey("wso2carbon", PW).getEncoded(),
            "the key password is the store password");
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void keytoolListsBothProfiles(Pkcs12Profile profile, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("store.p12");
        Files.write(file, KeystoreCodec.write(StoreType.PKCS12, content, PW, profile));
        Tools.Run run = Tools.keytoolList(file, "PKCS12", PASSWORD);
        assertEquals(0, run.exitCode(), "keytool -list failed: " + run.output());
        assertTrue(run.output().contains("Your keystore contains 3 entries"), run.output());
        assertTrue(run.output().contains("PrivateKeyEntry"), run.output());
        assertEquals(2, count(run.output(), "trustedCertEntry"), run.output());
        assertTrue(run.output().contains("Certificate chain length: 2"), run.output());
        assertTrue(Tools.keytoolList(file, "PKCS12", "not-the-password").exitCode() != 0, "keytool accepted a wrong password");
    }

    @Test
    void opensslReportsModernAsPbes2AesWithASha256Mac(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("modern.p12");
        Files.write(file, KeystoreCodec.write(StoreType.PKCS12, content, PW, Pkcs12Profile.MODERN));
        Tools.Run run = Tools.opensslPkcs12Info(file, PASSWORD);
        assertEquals(0, run.exitCode(), "openssl without -legacy failed: " + run.output());
        String out = run.output();
        assertTrue(out.contains("MAC: sha256"), out);
        assertEquals(1, count(out, "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"), out);
        assertEquals(1, count(out, "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC"), out);
        assertFalse(out.contains(TRIPLE_DES) || out.toLowerCase(Locale.ROOT).contains("sha1"), out);
    }

    @Test
    void opensslReportsLegacyAsTripleDesForKeysAndCertificatesWithASha1Mac(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("legacy.p12");
        Files.write(file, KeystoreCodec.write(StoreType.PKCS12, content, PW, Pkcs12Profile.LEGACY));
        Tools.Run run = Tools.opensslPkcs12Info(file, PASSWORD);
        assertEquals(0, run.exitCode(), "openssl failed: " + run.output());
        String out = run.output();
        assertTrue(out.contains("MAC: sha1"), out);
        assertEquals(1, count(out, "Shrouded Keybag: " + TRIPLE_DES), out);
        assertEquals(1, count(out, "PKCS7 Encrypted data: " + TRIPLE_DES), out);
        assertFalse(out.contains("PBES2") || out.contains("AES") || out.contains("RC2"), out);
        assertTrue(Tools.opensslPkcs12Info(file, "not-the-password").exitCode() != 0,
            "openssl accepted a wrong password: the MAC was not checked");

        // the same from the ASN.1: PBE-SHA1-3DES twice (the certificate safe and the key bag), SHA-1 for the MAC,
        // and no PBES2 anywhere
        String asn1 = asn1Drilled(file, List.of());
        assertEquals(2, count(asn1, ":" + TRIPLE_DES), asn1);
        assertEquals(1, count(asn1, ":sha1"), asn1);
        assertTrue(asn1.contains(":pkcs8ShroudedKeyBag") && asn1.contains(":pkcs7-encryptedData"), asn1);
        assertFalse(asn1.contains("PBES2") || asn1.contains("aes-256-cbc"), asn1);
    }

    /** {@code openssl asn1parse} of the file and, with -strparse, of every OCTET STRING that is itself DER. */
    private static String asn1Drilled(Path file, List<String> offsets) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "asn1parse", "-inform", "DER", "-in",
            file.toString()));
        offsets.forEach(o -> command.addAll(List.of("-strparse", o)));
        Tools.Run run = Tools.run(command.toArray(String[]::new));
        if (run.exitCode() != 0) {
            assertFalse(offsets.isEmpty(), "the file itself is not DER: " + run.output());
            return ""; // an encrypted OCTET STRING, not a nested structure
        }
        StringBuilder all = new StringBuilder(run.output());
        Matcher octets = Pattern.compile("(?m)^\\s*(\\d+):d=\\d+\\s+hl=\\d+ l=\\s*\\d+ prim: OCTET STRING").matcher(run.output());
        while (octets.find()) {
            List<String> deeper = new java.util.ArrayList<>(offsets);
            deeper.add(octets.group(1));
            all.append(asn1Drilled(file, deeper));
        }
        return all.toString();
    }

    @Test
    void unchangedContentKeepsItsBytesAndAProfileChangeReencodes() throws Exception {
        byte[] modern = KeystoreCodec.write(StoreType.PKCS12, content, PW, Pkcs12Profile.MODERN);
        assertSame(modern, KeystoreCodec.encodeKeeping(modern, StoreType.PKCS12, content, PW, Pkcs12Profile.MODERN));
        assertSame(modern, KeystoreCodec.encodeKeeping(modern, StoreType.PKCS12, content, PW), "Modern is the default");

        byte[] legacy = KeystoreCodec.encodeKeeping(modern, StoreType.PKCS12, content, PW, Pkcs12Profile.LEGACY);
        assertNotSame(modern, legacy);
        assertEquals(Optional.of(Pkcs12Profile.LEGACY), Pkcs12Profile.of(legacy));
        assertSame(legacy, KeystoreCodec.encodeKeeping(legacy, StoreType.PKCS12, content, PW, Pkcs12Profile.LEGACY));

        byte[] back = KeystoreCodec.encodeKeeping(legacy, StoreType.PKCS12, content, PW, Pkcs12Profile.MODERN);
        assertEquals(Optional.of(Pkcs12Profile.MODERN), Pkcs12Profile.of(back));
        assertTrue(KeystoreCodec.read(StoreType.PKCS12, back, PW).sameAs(content));

        byte[] jks = KeystoreCodec.write(StoreType.JKS, content, PW);
        assertSame(jks, KeystoreCodec.encodeKeeping(jks, StoreType.JKS, content, PW, Pkcs12Profile.LEGACY),
            "a profile means nothing to JKS");
    }

    @Test
    void aTrustOnlyLegacyStoreIsReadByKeytool(@TempDir Path dir) throws Exception {
        StoreContent trust = StoreContent.of(new StoreEntry.TrustedEntry("partner-root",
            TestKeys.selfSigned("CN=Trust Only")));
        Path file = dir.resolve("truststore.p12");
        Files.write(file, KeystoreCodec.write(StoreType.PKCS12, trust, PW, Pkcs12Profile.LEGACY));
        Tools.Run run = Tools.keytoolList(file, "PKCS12", PASSWORD);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(1, count(run.output(), "trustedCertEntry"), run.output());
    }

    @Test
    void whatIsNotAPkcs12HasNoProfile() {
        assertEquals(Optional.empty(), Pkcs12Profile.of(KeystoreCodec.write(StoreType.JKS, content, PW)));
        assertEquals(Optional.empty(), Pkcs12Profile.of("garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), Pkcs12Profile.of(new byte[0]));
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

package dev.keystore.operator.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The render CLI in process, with the real keytool and openssl reading what it writes. */
class RenderCommandTest {
    static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    record Run(int code, String out, String err) {
    }

    static Run render(Instant now, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new RenderCommand(Clock.fixed(now, ZoneOffset.UTC), new SecureRandom(),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    static String password(Path dir) throws Exception {
        return Files.readString(dir.resolve("password"));
    }

    @Test
    void wso2ExampleIsReadByKeytool(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("keystores");
        Run run = render(NOW, "-f", PROJECT.resolve("examples/wso2-apim.yaml").toString(), "-o", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("KeystoreSet apim"), run.out());

        String password = password(out);
        assertFalse(run.out().contains(password), "render must not print the password");
        for (String store : List.of("wso2carbon.jks", "tls_keystore.jks", "internal_keystore.jks")) {
            Tools.Run list = Tools.keytoolList(out.resolve(store), "JKS", password);
            assertEquals(0, list.exitCode(), store);
            assertTrue(list.output().contains("Alias name: wso2carbon"), store);
            assertTrue(list.output().contains("Entry type: PrivateKeyEntry"), store);
            assertTrue(list.output().contains("Certificate chain length: 2"), store);
        }
        Tools.Run trust = Tools.keytoolList(out.resolve("client-truststore.jks"), "JKS", password);
        assertEquals(0, trust.exitCode());
        assertTrue(trust.output().contains("Entry type: trustedCertEntry"));
        assertFalse(trust.output().contains("PrivateKeyEntry"));
        try (Stream<Path> listing = Files.list(out)) {
            for (Path f : listing.filter(Files::isRegularFile).toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        assertEquals(List.of("ca.crt", "client-truststore.jks", "deployment.toml", "internal_keystore.jks", "password",
            "tls.crt", "tls.key",
            "tls_keystore.jks", "wso2carbon.jks"), Files.list(out).filter(Files::isRegularFile)
            .map(p -> p.getFileName().toString()).sorted().toList());
    }

    @Test
    void everyPkcs12IsModernEnoughForOpenssl3WithoutLegacy(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("tls");
        Run run = render(NOW, "-f", PROJECT.resolve("examples/tls-only.yaml").toString(), "-o", out.toString());
        assertEquals(0, run.code(), run.err());
        String password = password(out);
        for (String store : List.of("tls.p12", "truststore.p12")) {
            Tools.Run info = Tools.opensslPkcs12Info(out.resolve(store), password);
            assertEquals(0, info.exitCode(), store + ": " + info.output());
            assertTrue(info.output().contains("PBES2") || store.equals("truststore.p12"), info.output());
            assertTrue(info.output().contains("MAC: sha256"), info.output());
        }
        Tools.Run keytool = Tools.keytoolList(out.resolve("tls.p12"), "PKCS12", password);
        assertTrue(keytool.output().contains("Alias name: tls"));
        assertTrue(keytool.output().contains("Certificate chain length: 2"));
    }

    @Test
    void aSecondRunRewritesNothingAndKeepsTheInternalKey(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("k");
        String file = PROJECT.resolve("examples/wso2-apim.yaml").toString();
        assertEquals(0, render(NOW, "-f", file, "-o", out.toString()).code());
        Map<String, byte[]> first = files(out);
        Map<String, FileTime> times = new TreeMap<>();
        for (String f : first.keySet()) {
            times.put(f, Files.getLastModifiedTime(out.resolve(f)));
        }

        Run second = render(NOW.plus(Duration.ofDays(1)), "-f", file, "-o", out.toString());

        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("unchanged"), second.out());
        Map<String, byte[]> after = files(out);
        assertEquals(first.keySet(), after.keySet());
        for (String f : first.keySet()) {
            assertArrayEquals(first.get(f), after.get(f), f);
            assertEquals(times.get(f), Files.getLastModifiedTime(out.resolve(f)), f);
        }
    }

    @Test
    void theInternalKeySurvivesLosingEveryOutputFile(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("k");
        String file = PROJECT.resolve("examples/wso2-apim.yaml").toString();
        assertEquals(0, render(NOW, "-f", file, "-o", out.toString()).code());
        byte[] internalKey = key(out.resolve("internal_keystore.jks"), password(out));
        byte[] primaryKey = key(out.resolve("wso2carbon.jks"), password(out));
        try (Stream<Path> listing = Files.list(out)) {
            for (Path f : listing.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }

        assertEquals(0, render(NOW, "-f", file, "-o", out.toString()).code());

        assertArrayEquals(internalKey, key(out.resolve("internal_keystore.jks"), password(out)));
        assertNotEquals(0, primaryKey.length);
    }

    @Test
    void renewalIsDoneWhenDueAndOnlyThen(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("k");
        String file = PROJECT.resolve("examples/wso2-apim.yaml").toString();
        assertEquals(0, render(NOW, "-f", file, "-o", out.toString()).code());
        Map<String, byte[]> first = files(out);
        // tls: 2160h with renewBefore 360h -> due after 1800h; primary and internal: 8760h, due after 5840h
        Run run = render(NOW.plus(Duration.ofHours(1801)), "-f", file, "-o", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("tls rotated"), run.out());
        assertTrue(run.out().contains("primary kept"), run.out());
        Map<String, byte[]> after = files(out);
        assertFalse(java.util.Arrays.equals(first.get("tls_keystore.jks"), after.get("tls_keystore.jks")));
        assertArrayEquals(first.get("wso2carbon.jks"), after.get("wso2carbon.jks"));
        assertArrayEquals(first.get("internal_keystore.jks"), after.get("internal_keystore.jks"));
    }

    @Test
    void renderHoldsADueRenewalForItsWindow(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("win.yaml");
        Files.writeString(yaml, """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: win, namespace: default}
            spec:
              tls: {dnsNames: [win.example.com], privateKey: {algorithm: EC}, duration: 2160h, renewBefore: 360h}
              renewal: {windows: [{days: [Wed], start: "02:00", end: "04:00"}]}
            """);
        Path out = tmp.resolve("k");
        assertEquals(0, render(NOW, "-f", yaml.toString(), "-o", out.toString()).code());
        Map<String, byte[]> first = files(out);
        // due 1800h on, Saturday 2027-02-06 12:00Z; the next window Wednesday 2027-02-10 02:00Z, before the safety point
        Run saturday = render(NOW.plus(Duration.ofHours(1801)), "-f", yaml.toString(), "-o", out.toString());
        assertEquals(0, saturday.code(), saturday.err());
        assertTrue(saturday.out().contains("tls kept"), saturday.out());
        assertArrayEquals(first.get("tls.p12"), files(out).get("tls.p12"));
        Run wednesday = render(Instant.parse("2027-02-10T02:00:00Z"), "-f", yaml.toString(), "-o", out.toString());
        assertEquals(0, wednesday.code(), wednesday.err());
        assertTrue(wednesday.out().contains("tls rotated"), wednesday.out());
    }

    static byte[] key(Path store, String password) throws Exception {
        byte[] bytes = Files.readAllBytes(store);
        return KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, password.toCharArray()).entries().stream()
            .filter(e -> e instanceof StoreEntry.KeyEntry).map(e -> ((StoreEntry.KeyEntry) e).key().getEncoded())
            .findFirst().orElseThrow();
    }

    @Test
    void badYamlIsOneLineNamingTheFileAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("bad.yaml");
        Files.writeString(yaml, "apiVersion: keystore.dev/v1alpha1\nkind: KeystoreSet\nmetadata: {name: x\nspec: [\n");
        Path out = tmp.resolve("out");
        Run run = render(NOW, "-f", yaml.toString(), "-o", out.toString());
        assertEquals(1, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("error: " + yaml), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnknownFieldIsNamed(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("typo.yaml");
        Files.writeString(yaml, """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: typo}
            spec:
              tls: {dnsName: [a.example]}
            """);
        Run run = render(NOW, "-f", yaml.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("spec.tls.dnsName: unknown field"), run.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aBadEnumValueIsNamed(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("enum.yaml");
        Files.writeString(yaml, """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: e}
            spec:
              format: PEM
              tls: {}
            """);
        Run run = render(NOW, "-f", yaml.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("spec.format: 'PEM' is not one of [JKS, PKCS12]"), run.err());
    }

    @Test
    void anInvalidSpecNamesTheFieldAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("invalid.yaml");
        Files.writeString(yaml, """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: inv}
            spec:
              primary: {privateKey: {algorithm: EC, size: 256}}
            """);
        Path out = tmp.resolve("out");
        Run run = render(NOW, "-f", yaml.toString(), "-o", out.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("spec.primary.privateKey.algorithm"), run.err());
        assertEquals(1, run.err().strip().lines().count());
        assertFalse(Files.exists(out));
    }

    @Test
    void usageErrorsExitWithTwo(@TempDir Path tmp) {
        assertEquals(2, render(NOW).code());
        assertEquals(2, render(NOW, "-f", "x.yaml").code());
        assertEquals(2, render(NOW, "--bogus").code());
        assertEquals(0, render(NOW, "--help").code());
    }

    @Test
    void aPasswordSecretInTheInputIsUsedAndNotWritten(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("pw.yaml");
        Files.writeString(yaml, """
            apiVersion: v1
            kind: Secret
            metadata: {name: app-password}
            stringData: {password: "s3cret-Example-pass"}
            ---
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: app}
            spec:
              passwordSecretRef: {name: app-password}
              tls: {dnsNames: [app.example]}
            """);
        Path out = tmp.resolve("out");
        Run run = render(NOW, "-f", yaml.toString(), "-o", out.toString());
        assertEquals(0, run.code(), run.err());
        assertFalse(Files.exists(out.resolve("password")));
        assertEquals(0, Tools.keytoolList(out.resolve("tls.p12"), "PKCS12", "s3cret-Example-pass").exitCode());
    }

    @Test
    void aMissingPasswordSecretNamesIt(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("nopw.yaml");
        Files.writeString(yaml, """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: app}
            spec:
              passwordSecretRef: {name: app-password, key: pw}
              tls: {}
            """);
        Run run = render(NOW, "-f", yaml.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("Secret app-password"), run.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    /** One passwordSecretRef reader for sets, bundles and render: a blank password is refused, never used. */
    @Test
    void aBlankBundlePasswordIsRefusedNamingTheSecretAndKey(@TempDir Path tmp) throws Exception {
        String example = Files.readString(PROJECT.resolve("examples/trustbundle.yaml"));
        String caSecret = example.substring(example.indexOf("apiVersion: v1"), example.indexOf("---"));
        Path yaml = tmp.resolve("blank.yaml");
        Files.writeString(yaml, caSecret + """
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: bundle-password, namespace: default}
            stringData: {pw: "   "}
            ---
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: roots, namespace: default}
            spec:
              sources: [{secret: {name: zosmf-ca, key: ca.crt}}]
              target: {passwordSecretRef: {name: bundle-password, key: pw}}
            """);
        Run run = render(NOW, "-f", yaml.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("Secret bundle-password key pw (spec.target.passwordSecretRef) is empty"), run.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}

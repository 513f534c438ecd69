package dev.keystore.operator.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * render with hostile and careless input: every write stays inside -o, only render's own files are
 * removed, a failure at any point leaves the directory as it was, and the keys that must not change
 * are found by the set's identity whatever happens to secretName, the outputs or the file.
 */
class RenderSafetyTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    record Run(int code, String out, String err) {
    }

    static Run render(Instant now, OutputTree.Step step, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new RenderCommand(Clock.fixed(now, ZoneOffset.UTC), new SecureRandom(),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), step)
            .run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run render(Path yaml, Path out) {
        return render(NOW, OutputTree.Step.NONE, "-f", yaml.toString(), "-o", out.toString());
    }

    static Path yaml(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** Every path below {@code dir} (not following links) with what it is: file bytes, a link's target, a directory. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return all;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String rel = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    all.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    all.put(rel, "dir");
                } else {
                    all.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))) + " " + Files.getPosixFilePermissions(p));
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return all;
    }

    static String set(String name, String extra) {
        return """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: %s}
            spec:
              issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
              tls: {dnsNames: [%s.example.com], privateKey: {algorithm: EC, size: 256}, duration: 2160h%s}
            """.formatted(name, name, extra);
    }

    static final String WITH_INTERNAL = """
        apiVersion: keystore.dev/v1alpha1
        kind: KeystoreSet
        metadata: {name: apim, namespace: wso2}
        spec:
          secretName: %s
          issuer: {selfSigned: {privateKey: {algorithm: EC, size: 256}}}
          internal: {alias: wso2carbon, privateKey: {algorithm: RSA, size: 2048}}
          tls: {dnsNames: [apim.example.com], privateKey: {algorithm: EC, size: 256}}
        """;

    static final String OTHER = """
        ---
        apiVersion: keystore.dev/v1alpha1
        kind: KeystoreSet
        metadata: {name: other, namespace: wso2}
        spec:
          tls: {privateKey: {algorithm: EC, size: 256}}
          issuer: {keystoreSetRef: {name: apim}}
        """;

    static byte[] key(Path store, String password) throws Exception {
        byte[] bytes = Files.readAllBytes(store);
        return KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, password.toCharArray()).entries().stream()
            .filter(e -> e instanceof StoreEntry.KeyEntry).map(e -> ((StoreEntry.KeyEntry) e).key().getEncoded())
            .findFirst().orElseThrow();
    }

    /** The internal key and the CA certificate of the set rendered into {@code dir}. */
    record Keys(byte[] internal, String ca) {
        static Keys of(Path dir) throws Exception {
            String password = Files.readString(dir.resolve("password"));
            return new Keys(key(dir.resolve("internal.p12"), password), Files.readString(dir.resolve("ca.crt")));
        }

        void assertSame(Keys other) {
            assertArrayEquals(internal, other.internal, "the internal key changed");
            assertEquals(ca, other.ca, "the CA changed");
        }
    }

    static void deleteOutputs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
    }

    // ---- all at once or not at all ----

    @Test
    void aFailureAtAnyWriteLeavesTheDirectoryByteForByteAsItWas(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("box/out");
        Path first = yaml(tmp, "a.yaml", set("web", "") + "---\n" + set("api", ""));
        int points = failEverywhereThenSucceed(tmp, first, out, NOW);
        assertTrue(points >= 20, "a first render into a new directory writes at " + points + " points");
        // (each failed run left tmp as it was, so without tmp/box: no directory is left behind)
        assertTrue(Files.exists(out.resolve("web/tls.p12")) && Files.exists(out.resolve("api/tls.p12")));

        // a second render that replaces, adds and removes files (a new file name; tls renewed)
        Path second = yaml(tmp, "b.yaml", set("web", ", fileName: web.p12") + "---\n" + set("api", ""));
        Map<String, String> before = snapshot(out);
        int replaced = failEverywhereThenSucceed(tmp, second, out, NOW.plus(Duration.ofHours(1500)));
        assertTrue(replaced >= 10, "the second render writes at " + replaced + " points");
        System.out.printf("[measure] render fault points: %d (first render), %d (second render), each failed run"
            + " left the directory as it was%n", points, replaced);
        assertFalse(Files.exists(out.resolve("web/tls.p12")), "the file render wrote and no longer writes is removed");
        assertTrue(Files.exists(out.resolve("web/web.p12")));
        assertFalse(before.equals(snapshot(out)));
    }

    /** Fails the run at its 1st, 2nd, ... file system change, checking each time that nothing changed; then lets it run. */
    private static int failEverywhereThenSucceed(Path tmp, Path yaml, Path out, Instant now) throws Exception {
        Map<String, String> before = snapshot(tmp);
        for (int n = 1; ; n++) {
            int failAt = n;
            int[] count = {0};
            Run run = render(now, what -> {
                if (++count[0] == failAt) {
                    throw new IOException("injected fault before " + what);
                }
            }, "-f", yaml.toString(), "-o", out.toString());
            if (run.code() == 0) {
                return n - 1;
            }
            assertEquals(1, run.code(), run.err());
            assertTrue(run.err().startsWith("error: IOException: injected fault"), run.err());
            assertTrue(run.err().strip().endsWith("nothing was written"), run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertEquals(before, snapshot(tmp), "after a fault at write " + n);
        }
    }

    @Test
    void aSetThatFailsWritesNothingForTheOthers(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path file = yaml(tmp, "x.yaml", set("web", "") + "---\n" + set("api", "") + """
            ---
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: corp}
            spec: {sources: [{secret: {name: missing-ca}}]}
            """);
        Run run = render(file, out);
        assertEquals(1, run.code());
        assertEquals("error: TrustBundle corp: Secret missing-ca (TrustBundle corp spec.sources[0]) does not exist",
            run.err().strip());
        assertFalse(Files.exists(out), "the sets computed before the bundle are not written either");
    }

    // ---- confined to -o ----

    @Test
    void hostileNamesAreRefusedAndNothingIsWrittenAnywhere(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("box/out");
        Map<String, String> cases = new TreeMap<>(Map.of(
            "metadata: {name: ../../evil}", "metadata.name: Invalid value: \"../../evil\"",
            "metadata: {name: /tmp/evil}", "metadata.name: Invalid value: \"/tmp/evil\"",
            "metadata: {name: a/b}", "metadata.name: Invalid value: \"a/b\"",
            "metadata: {name: ok, namespace: ../x}", "metadata.namespace: Invalid value: \"../x\"",
            "metadata: {name: ok}\nspec: {secretName: ../../evil, tls: {}}", "spec.secretName: Invalid value: \"../../evil\"",
            "metadata: {name: ok}\nspec: {secretName: /etc/cron.d, tls: {}}", "spec.secretName: Invalid value: \"/etc/cron.d\"",
            "metadata: {name: ok}\nspec: {tls: {fileName: ../../../tmp/x.p12}}", "spec.tls.fileName: Invalid value",
            "metadata: {name: ok}\nspec: {tls: {}, mountPath: \"/x\\n[admin]\"}", "spec.mountPath: Invalid value: \"/x\\n[admin]\"",
            "metadata: {name: " + "a".repeat(64) + "}\nspec: {tls: {}}", "metadata.name: Invalid value: \"" + "a".repeat(64)
                + "\": must be no more than 63 characters"));
        for (var c : cases.entrySet()) {
            String doc = "apiVersion: keystore.dev/v1alpha1\nkind: KeystoreSet\n" + c.getKey() + "\n";
            if (!doc.contains("spec:")) {
                doc += "spec: {tls: {}}\n";
            }
            Path file = yaml(tmp, "hostile.yaml", doc);
            Map<String, String> before = snapshot(tmp);
            Run run = render(file, out);
            assertEquals(1, run.code(), c.getKey());
            assertTrue(run.err().contains(c.getValue()), c.getKey() + " -> " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertEquals(before, snapshot(tmp), c.getKey());
        }
        Path bundle = yaml(tmp, "tb.yaml", """
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: corp}
            spec: {sources: [{systemCAs: true}], target: {secretName: ../../evil}}
            """);
        Run run = render(bundle, out);
        assertEquals(1, run.code());
        assertTrue(run.err().contains("spec.target.secretName: Invalid value: \"../../evil\""), run.err());
        Path secret = yaml(tmp, "s.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: ../pw}
            stringData: {password: x}
            """);
        run = render(NOW, OutputTree.Step.NONE, "-f", secret.toString(), "-f", bundle.toString(), "-o", out.toString());
        assertTrue(run.err().contains("Secret ../pw is invalid: metadata.name: Invalid value"), run.err());
        assertFalse(Files.exists(tmp.resolve("box")));
    }

    @Test
    void pathsAreResolvedFromPlainNamesOnly(@TempDir Path tmp) throws Exception {
        OutputTree tree = new OutputTree(tmp.resolve("out"), OutputTree.Step.NONE);
        for (String bad : List.of("..", ".", "", "a/b", "/etc", "a\\b", "a\0b", "../../x")) {
            try {
                tree.resolve("ok", bad);
                throw new AssertionError("resolved " + bad);
            } catch (OutputTree.Refused expected) {
                assertTrue(expected.getMessage().startsWith("refusing"), expected.getMessage());
            }
        }
        assertEquals(tmp.resolve("out/a/b.p12").toAbsolutePath(), tree.resolve("a", "b.p12"));
        try {
            tree.resolve(tmp.resolve("elsewhere"), "x");
            throw new AssertionError("resolved outside");
        } catch (OutputTree.Refused expected) {
            assertTrue(expected.getMessage().contains("outside the output directory"), expected.getMessage());
        }
    }

    @Test
    void symbolicLinksInTheWayAreRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path victim = Files.writeString(outside.resolve("victim"), "not yours");
        Path file = yaml(tmp, "web.yaml", set("web", ""));
        assertEquals(0, render(file, out).code());

        // an output file replaced by a link to a file elsewhere
        Files.delete(out.resolve("tls.p12"));
        Files.createSymbolicLink(out.resolve("tls.p12"), victim);
        Map<String, String> before = snapshot(tmp);
        Run run = render(NOW.plus(Duration.ofHours(1500)), OutputTree.Step.NONE, "-f", file.toString(), "-o", out.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("is a symbolic link"), run.err());
        assertEquals(before, snapshot(tmp));
        assertEquals("not yours", Files.readString(victim));
        Files.delete(out.resolve("tls.p12"));

        // a record directory replaced by a link to a directory elsewhere
        Path records = out.resolve(".keystore-operator/default/web/ca");
        Path moved = tmp.resolve("outside/ca");
        Files.move(records, moved);
        Files.createSymbolicLink(records, moved);
        before = snapshot(tmp);
        run = render(file, out);
        assertEquals(1, run.code());
        assertTrue(run.err().contains(records + " is a symbolic link"), run.err());
        assertEquals(before, snapshot(tmp));

        // the directory of one of several resources is a link
        Files.delete(records);
        Files.move(moved, records);
        Path two = yaml(tmp, "two.yaml", set("web", "") + "---\n" + set("api", ""));
        Files.createSymbolicLink(out.resolve("api"), outside);
        before = snapshot(tmp);
        run = render(two, out);
        assertEquals(1, run.code());
        assertTrue(run.err().contains("is a symbolic link"), run.err());
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void onlyFilesRenderWroteAreRemovedOrReadAsRecords(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(0, render(yaml(tmp, "a.yaml", set("web", "")), out).code());
        Files.writeString(out.resolve("notes.txt"), "mine");
        Path caDir = out.resolve(".keystore-operator/default/web/ca");
        Files.writeString(caDir.resolve("README"), "mine too");

        Run run = render(yaml(tmp, "b.yaml", set("web", ", fileName: web.p12")), out);

        assertEquals(0, run.code(), run.err());
        assertFalse(Files.exists(out.resolve("tls.p12")));
        assertTrue(Files.exists(out.resolve("web.p12")));
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertEquals("mine too", Files.readString(caDir.resolve("README")));
        assertFalse(Files.readString(out.resolve(".keystore-operator/default/web/ca.files")).contains("README"));
    }

    @Test
    void resourcesThatWouldShareADirectoryOrASecretAreRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Map<String, String> cases = Map.of(
            set("web", "") + "---\n" + set("web", "").replace("{name: web}", "{name: web, namespace: other}"),
            "KeystoreSet web: metadata.name: Duplicate value: \"web\"",
            set("web", "") + """
                ---
                apiVersion: keystore.dev/v1alpha1
                kind: TrustBundle
                metadata: {name: web}
                spec: {sources: [{systemCAs: true}]}
                """, "TrustBundle web: metadata.name: Duplicate value: \"web\": a KeystoreSet of that name",
            set("web", "").replace("spec:\n", "spec:\n  secretName: shared\n") + "---\n"
                + set("api", "").replace("spec:\n", "spec:\n  secretName: shared\n"),
            "KeystoreSet api: spec.secretName: Duplicate value: \"shared\": KeystoreSet web in namespace default",
            set("web", "") + "---\n" + set("api", "").replace("spec:\n", "spec:\n  secretName: web-keystores-internal\n"),
            "KeystoreSet api: spec.secretName: Duplicate value: \"web-keystores-internal\"",
            set("web", "") + """
                ---
                apiVersion: keystore.dev/v1alpha1
                kind: TrustBundle
                metadata: {name: corp}
                spec: {sources: [{systemCAs: true}], target: {secretName: web-keystores}}
                """, "TrustBundle corp: spec.target.secretName: Duplicate value: \"web-keystores\"");
        for (var c : cases.entrySet()) {
            Run run = render(yaml(tmp, "dup.yaml", c.getKey()), out);
            assertEquals(1, run.code(), c.getKey());
            assertTrue(run.err().contains(c.getValue()), run.err());
            assertFalse(Files.exists(out));
        }
        // one secretName in two namespaces: two Secrets in the cluster, two directories here
        Run run = render(yaml(tmp, "ns.yaml", set("web", "").replace("spec:\n", "spec:\n  secretName: shared\n") + "---\n"
            + set("api", "").replace("{name: api}", "{name: api, namespace: other}").replace("spec:\n",
            "spec:\n  secretName: shared\n")), out);
        assertEquals(0, run.code(), run.err());
    }

    // ---- records by identity ----

    @Test
    void renamingSecretNameAndLosingTheOutputsKeepsTheInternalKeyAndTheCa(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(0, render(yaml(tmp, "a.yaml", WITH_INTERNAL.formatted("apim-keystores")), out).code());
        Keys first = Keys.of(out);

        Run renamed = render(yaml(tmp, "a.yaml", WITH_INTERNAL.formatted("renamed")), out);
        assertEquals(0, renamed.code(), renamed.err());
        assertTrue(renamed.out().contains("internal kept") || renamed.out().contains("internal renewed"), renamed.out());
        first.assertSame(Keys.of(out));

        deleteOutputs(out);
        assertEquals(0, render(yaml(tmp, "a.yaml", WITH_INTERNAL.formatted("renamed")), out).code());
        first.assertSame(Keys.of(out));
    }

    @Test
    void aSecondResourceInTheFileKeepsTheFirstSetsKeys(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(0, render(yaml(tmp, "a.yaml", WITH_INTERNAL.formatted("apim-keystores")), out).code());
        Keys first = Keys.of(out);
        String tlsKey = Files.readString(out.resolve("tls.key"));

        Run two = render(yaml(tmp, "a.yaml", WITH_INTERNAL.formatted("apim-keystores") + OTHER), out);

        assertEquals(0, two.code(), two.err());
        first.assertSame(Keys.of(out.resolve("apim")));
        // the output of the one-resource layout is read too: the tls key is not due and stays
        assertEquals(tlsKey, Files.readString(out.resolve("apim/tls.key")));
        assertTrue(two.out().contains("tls kept"), two.out());
        // the second set signs with the first set's (unchanged) CA
        assertTrue(Files.readString(out.resolve("other/ca.crt")).contains(first.ca().strip()));
        // and back to one resource: still the same keys
        deleteOutputs(out);
        assertEquals(0, render(yaml(tmp, "a.yaml", WITH_INTERNAL.formatted("apim-keystores")), out).code());
        first.assertSame(Keys.of(out));
    }

    @Test
    void recordsOfTheOldLayoutsArePickedUpAndNeverRemoved(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path one = yaml(tmp, "one.yaml", WITH_INTERNAL.formatted("apim-keystores"));
        assertEquals(0, render(one, out).code());
        Keys first = Keys.of(out);
        // the layout of one resource before records were kept by identity
        Path records = out.resolve(".keystore-operator/wso2/apim");
        Path legacy = out.resolve(".keystore-operator");
        moveFiles(records.resolve("internal"), legacy.resolve("apim-keystores-internal"));
        moveFiles(records.resolve("ca"), legacy.resolve("apim-keystores-ca"));
        deleteTree(out.resolve(".keystore-operator/wso2"));
        deleteOutputs(out);
        Map<String, String> legacyFiles = snapshot(legacy.resolve("apim-keystores-internal"));

        assertEquals(0, render(one, out).code());
        first.assertSame(Keys.of(out));
        assertEquals(legacyFiles, snapshot(legacy.resolve("apim-keystores-internal")), "old records are left alone");
        assertTrue(Files.exists(records.resolve("internal/tls.key")), "and copied to the new place");

        // the layout of several resources: -o/<name>/.keystore-operator/<secretName>-internal
        Path several = yaml(tmp, "two.yaml", WITH_INTERNAL.formatted("apim-keystores") + OTHER);
        Path legacyOfSeveral = out.resolve("apim/.keystore-operator");
        moveFiles(records.resolve("internal"), legacyOfSeveral.resolve("apim-keystores-internal"));
        moveFiles(records.resolve("ca"), legacyOfSeveral.resolve("apim-keystores-ca"));
        deleteTree(out.resolve(".keystore-operator"));
        Run run = render(several, out);
        assertEquals(0, run.code(), run.err());
        first.assertSame(Keys.of(out.resolve("apim")));
        assertTrue(Files.exists(legacyOfSeveral.resolve("apim-keystores-internal/tls.key")));
    }

    private static void moveFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.move(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void secretDocumentsAreMatchedByNamespaceAndName(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        String setDoc = """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: app, namespace: team-a}
            spec:
              passwordSecretRef: {name: app-password}
              tls: {privateKey: {algorithm: EC, size: 256}}
            """;
        String secret = """
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: app-password, namespace: %s}
            stringData: {password: "%s"}
            """;
        Run wrong = render(yaml(tmp, "a.yaml", setDoc + secret.formatted("team-b", "b-Example-pass")), out);
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("Secret app-password"), wrong.err());

        Run right = render(yaml(tmp, "a.yaml", setDoc + secret.formatted("team-b", "b-Example-pass")
            + secret.formatted("team-a", "a-Example-pass")), out);
        assertEquals(0, right.code(), right.err());
        assertEquals(0, Tools.keytoolList(out.resolve("tls.p12"), "PKCS12", "a-Example-pass").exitCode());
    }

    // ---- one line, never a stack trace ----

    @Test
    void aRequiredFieldLeftOutIsOneLineNamingIt(@TempDir Path tmp) throws Exception {
        Path file = yaml(tmp, "x.yaml", """
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: legacy}
            spec:
              internal:
                import:
                  keystore:
                    passwordSecretRef: {name: pw}
            """);
        Run run = render(file, tmp.resolve("out"));
        assertEquals(1, run.code());
        assertEquals("error: " + file + ": KeystoreSet legacy is invalid: spec.internal.import.keystore.secretRef:"
            + " Required value", run.err().strip());
    }

    @Test
    void invalidBase64NamesTheDocumentAndKey(@TempDir Path tmp) throws Exception {
        Path file = yaml(tmp, "x.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: pw, namespace: wso2}
            data: {password: "!!!not-base64", other: "b2s="}
            """ + "---\n" + set("web", ""));
        Run run = render(file, tmp.resolve("out"));
        assertEquals(1, run.code());
        assertEquals("error: " + file + ": Secret wso2/pw: data[password]: not valid base64", run.err().strip());
        assertFalse(run.err().contains("!!!"), "the value is never quoted back");

        Path badKey = yaml(tmp, "k.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: pw}
            stringData: {"../password": x}
            """ + "---\n" + set("web", ""));
        run = render(badKey, tmp.resolve("out"));
        assertEquals(1, run.code());
        assertTrue(run.err().contains("Secret default/pw: stringData[../password]: Invalid value: a valid config key"),
            run.err());
    }
}

package dev.keystore.operator.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreEntry;
import dev.keystore.operator.render.RenderCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the operator itself writes (its render output of the examples) is clean under its product's profile. */
class RenderedExamplesTest {
    static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    static final Set<String> PASSWORDS = ConcurrentHashMap.newKeySet();
    static final Set<PrivateKey> KEYS = ConcurrentHashMap.newKeySet();

    @TempDir
    Path tmp;

    @AfterAll
    static void noOutputHeldTheRenderedKeysOrPasswords() {
        assertFalse(KEYS.isEmpty());
        Cli.assertNoSecrets(Cli.RUNS, PASSWORDS, KEYS);
    }

    /** Renders an example; returns the directories holding a set's or bundle's files. */
    List<Path> render(String example) throws Exception {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new RenderCommand(Clock.fixed(Specimens.NOW, ZoneOffset.UTC), new SecureRandom(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
            .run("-f", PROJECT.resolve("examples").resolve(example).toString(), "-o", out.toString());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<Path> dirs = new ArrayList<>();
        if (Files.exists(out.resolve("password"))) {
            dirs.add(out);
        } else {
            try (Stream<Path> sub = Files.list(out)) {
                sub.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted()
                    .forEach(dirs::add);
            }
        }
        for (Path d : dirs) {
            remember(d);
        }
        return dirs;
    }

    /** The rendered passwords and every private key, for the output scan. */
    static void remember(Path dir) throws Exception {
        String password = Files.readString(dir.resolve("password")).strip();
        PASSWORDS.add(password);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                byte[] bytes = Files.readAllBytes(f);
                if (name.endsWith(".jks") || name.endsWith(".p12")) {
                    KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, password.toCharArray()).entries().stream()
                        .filter(StoreEntry.KeyEntry.class::isInstance).forEach(e -> KEYS.add(((StoreEntry.KeyEntry) e).key()));
                } else if (new String(bytes, StandardCharsets.UTF_8).contains("PRIVATE KEY")) {
                    KEYS.add(Pem.privateKey(bytes));
                }
            }
        }
    }

    static JsonNode json(Cli.Run run) throws Exception {
        return new ObjectMapper().readTree(run.out());
    }

    @ParameterizedTest
    @CsvSource({"wso2-apim.yaml, wso2", "zowe.yaml, zowe", "liberty-mtls.yaml, liberty"})
    void everyStoreTheOperatorWritesIsCleanUnderItsProduct(String example, String profile) throws Exception {
        List<Path> dirs = render(example);
        List<String> args = new ArrayList<>(dirs.stream().map(Path::toString).toList());
        args.addAll(List.of("--profile", profile, "-o", "json"));
        Cli.Run run = Cli.inspect(args.toArray(String[]::new));
        JsonNode report = json(run);
        assertEquals(0, report.get("summary").get("errors").asInt(), run.out());
        assertEquals(0, run.code(), run.all());

        // not vacuous: every keystore, truststore and PEM file was read, each key's chain complete and trusted
        long files = 0;
        for (Path d : dirs) {
            try (Stream<Path> listing = Files.list(d)) {
                files += listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(".*\\.(jks|p12|crt|key)")).count();
            }
        }
        assertEquals(files, report.get("stores").size(), run.out());
        int keys = 0;
        for (JsonNode store : report.get("stores")) {
            assertTrue(store.get("entries").size() > 0, store.toString());
            for (JsonNode entry : store.get("entries")) {
                if (entry.get("entryType").asText().equals("PrivateKeyEntry")) {
                    keys++;
                    assertEquals("complete", entry.get("chainStatus").asText(), entry.toString());
                    assertNotNull(entry.get("chainTrustedBy").textValue(), entry.toString());
                    assertTrue(entry.get("keyPasswordIsStorePassword").asBoolean());
                }
            }
        }
        assertTrue(keys > 0);

        // and clean without a profile too
        args.subList(args.size() - 4, args.size() - 2).clear();
        assertEquals(0, Cli.inspect(args.toArray(String[]::new)).code());
    }

    @Test
    void theWso2JksOutputBreaksZoweRules() throws Exception {
        List<Path> dirs = render("wso2-apim.yaml");
        Cli.Run run = Cli.inspect(dirs.get(0).toString(), "--profile", "zowe");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains("wso2carbon.jks: Zowe expects PKCS12 keystores"), run.out());
    }

    @Test
    void theWso2PrimaryAloneIsPrimaryTlsAndInternal() throws Exception {
        Path dir = render("wso2-apim.yaml").get(0);
        // alone: no other keystore and no deployment.toml beside it
        Path alone = Files.createDirectories(dir.resolveSibling("alone")).resolve("wso2carbon.jks");
        Files.copy(dir.resolve("wso2carbon.jks"), alone);
        Files.copy(dir.resolve("password"), alone.resolveSibling("password"));
        Cli.Run run = Cli.inspect(alone.toString(), "--profile", "wso2", "-o", "json");
        JsonNode store = json(run).get("stores").get(0);
        assertEquals("[\"primary\",\"tls\",\"internal\"]", store.get("roles").toString());
        // as WSO2's only keystore it also serves TLS, and its certificate has no subjectAltName
        assertTrue(run.out().contains("no-subject-alt-name"), run.out());
        assertEquals(0, run.code());

        // beside the deployment.toml the operator wrote, which names tls_keystore.jks and internal_keystore.jks,
        // it is the primary keystore only
        Cli.Run besides = Cli.inspect(dir.resolve("wso2carbon.jks").toString(), "--profile", "wso2", "-o", "json");
        JsonNode configured = json(besides).get("stores").get(0);
        assertEquals("[\"primary\"]", configured.get("roles").toString());
        assertEquals(dir.resolve("deployment.toml").toAbsolutePath().toString(), configured.get("rolesFrom").asText());
        assertFalse(besides.out().contains("no-subject-alt-name"), besides.out());
        assertEquals(0, besides.code(), besides.all());
    }
}

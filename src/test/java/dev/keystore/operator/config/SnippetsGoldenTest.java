package dev.keystore.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.plan.SetDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact text of every snippet the examples produce, against golden files in
 * src/test/resources/snippets/&lt;example&gt;/&lt;set&gt;/. To accept new output:
 * {@code mvn test -Dsnippets.golden.update=true -Dtest=SnippetsGoldenTest}.
 */
class SnippetsGoldenTest {
    static final boolean UPDATE_GOLDEN = Boolean.getBoolean("snippets.golden.update");
    static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    static final Path GOLDEN = PROJECT.resolve("src/test/resources/snippets");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @ParameterizedTest
    @ValueSource(strings = {"wso2-apim", "zowe", "liberty-mtls"})
    void examplesMatchTheirGoldenFiles(String example) throws Exception {
        Map<String, String> actual = new TreeMap<>();
        for (KeystoreSet set : keystoreSets(PROJECT.resolve("examples/" + example + ".yaml"))) {
            Snippets.files(SetDefinition.of(set)).forEach((key, bytes) ->
                actual.put(set.getMetadata().getName() + "/" + key, new String(bytes, StandardCharsets.UTF_8)));
        }
        Path dir = GOLDEN.resolve(example);
        for (var e : actual.entrySet()) {
            wellFormed(e.getKey(), e.getValue());
        }
        if (UPDATE_GOLDEN) {
            if (Files.isDirectory(dir)) {
                try (var old = Files.walk(dir)) {
                    for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            for (var e : actual.entrySet()) {
                Path file = dir.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
            }
            return;
        }
        assertTrue(Files.isDirectory(dir), "no golden files in " + dir + ": run mvn test -Dsnippets.golden.update=true once");
        Map<String, String> expected = new TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                expected.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p));
            }
        }
        assertEquals(expected.keySet(), actual.keySet(), example + ": the snippets the example produces");
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), actual.get(e.getKey()),
                example + "/" + e.getKey() + " differs (to accept the new output: mvn test -Dsnippets.golden.update=true)");
        }
    }

    /** What the product's own parser would say: a golden file is never accepted broken. */
    static void wellFormed(String name, String text) throws Exception {
        if (name.endsWith(".toml")) {
            var toml = org.tomlj.Toml.parse(text);
            assertTrue(!toml.hasErrors(), () -> name + ": " + toml.errors());
        } else if (name.endsWith(".xml")) {
            HostileSnippetValuesTest.parseXml(text);
        } else {
            Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
            bash.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            bash.getOutputStream().close();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, bash.waitFor(), name + ": bash -n: " + out);
        }
    }

    static List<KeystoreSet> keystoreSets(Path file) throws Exception {
        List<KeystoreSet> sets = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && "KeystoreSet".equals(doc.path("kind").asText())) {
                    sets.add(YAML.convertValue(doc, KeystoreSet.class));
                }
            }
        }
        assertTrue(!sets.isEmpty(), file + " holds no KeystoreSet");
        return sets;
    }
}

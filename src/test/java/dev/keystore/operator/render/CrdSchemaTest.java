package dev.keystore.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.keystore.operator.api.v1alpha1.Patterns;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** render's check of its input against the committed CRD schema, with the API server's words. */
class CrdSchemaTest {
    static final CrdSchema SCHEMA = CrdSchema.load();
    static final Path PROJECT = Path.of(System.getProperty("user.dir"));

    @Test
    void everyHostileValueIsRefusedNamingItsFieldAndEveryOrdinaryOneAccepted() {
        List<String> wrong = new ArrayList<>();
        int refused = 0;
        for (HostileSpecs.Case c : HostileSpecs.cases()) {
            List<String> problems = SCHEMA.problems(c.kind(), c.resource("x", "default"));
            if (c.refused()) {
                refused++;
                if (problems.stream().noneMatch(p -> p.startsWith(c.refusedAt() + ": "))) {
                    wrong.add(c + ": " + problems);
                }
            } else if (!problems.isEmpty()) {
                wrong.add(c + ": " + problems);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(refused > 80, "the corpus holds " + refused + " hostile values");
    }

    @Test
    void everyExampleIsValid() throws Exception {
        int resources = 0;
        try (Stream<Path> files = Files.list(PROJECT.resolve("examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> docs = Manifests.STRICT.readerFor(JsonNode.class)
                    .readValues(Files.readString(file))) {
                    while (docs.hasNextValue()) {
                        JsonNode doc = docs.nextValue();
                        String kind = doc.path("kind").asText();
                        if (kind.equals("KeystoreSet") || kind.equals("TrustBundle")) {
                            assertEquals(List.of(), SCHEMA.problems(kind, doc), file.toString());
                            resources++;
                        }
                    }
                }
                Manifests.read(List.of(file)); // names and documents too
            }
        }
        assertTrue(resources >= 8, "examples hold " + resources + " resources");
    }

    @Test
    void messagesReadLikeKubectl() {
        assertEquals(List.of("spec.mountPath: Invalid value: \"/a/../b\": spec.mountPath in body should match '"
            + Patterns.MOUNT_PATH + "'"), problems("spec.mountPath", "\"/a/../b\""));
        assertEquals(List.of("spec.mountPath: Invalid value: \"/a\\n[admin]\": spec.mountPath in body should match '"
            + Patterns.MOUNT_PATH + "'"), problems("spec.mountPath", "\"/a\\n[admin]\""));
        assertEquals(List.of("spec.internal.import.keystore.secretRef: Required value"),
            problems("spec.internal.import.keystore", "{\"passwordSecretRef\": {\"name\": \"pw\"}}"));
        assertTrue(problems("spec.secretName", "\"" + "a".repeat(245) + "\"")
            .contains("spec.secretName: Too long: may not be longer than 244"));
        assertEquals(List.of("spec.tls.privateKey.size: Invalid value: 100000: spec.tls.privateKey.size in body should"
            + " be less than or equal to 16384"), problems("spec.tls.privateKey.size", "100000"));
        assertEquals(List.of("spec.format: Unsupported value: \"PEM\": supported values: \"JKS\", \"PKCS12\""),
            problems("spec.format", "\"PEM\""));
    }

    @Test
    void aMegabyteInAPatternedFieldIsTooLongNotAStackOverflow() {
        // java.util.regex recurses per repetition of a group: a few thousand characters overflow the stack
        for (String field : List.of("spec.mountPath", "spec.secretName", "spec.tls.dnsNames[0]", "spec.tls.alias")) {
            String value = (field.equals("spec.mountPath") ? "/" : "") + "a.".repeat(1 << 19);
            List<String> found = problems(field, HostileSpecs.JSON.valueToTree(value).toString());
            assertTrue(found.stream().anyMatch(p -> p.startsWith(field + ": Too long: may not be longer than ")), found.toString());
        }
    }

    private static List<String> problems(String field, String json) {
        try {
            return SCHEMA.problems("KeystoreSet", new HostileSpecs.Case("KeystoreSet", field,
                HostileSpecs.JSON.readTree(json), field).resource("x", "default"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void patternsReadAlikeInRe2AndJava() throws Exception {
        // RE2 has no look-around, back-references, possessive quantifiers or atomic groups
        for (Field f : Patterns.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && ((String) f.get(null)).startsWith("^")) {
                String pattern = (String) f.get(null);
                assertFalse(pattern.contains("(?"), f.getName());
                assertFalse(pattern.matches(".*\\\\[1-9].*"), f.getName());
                assertFalse(pattern.matches(".*[*+?}]\\+.*"), f.getName());
                assertTrue(pattern.endsWith("$"), f.getName());
            }
        }
        assertEquals(Patterns.MAX_NAME - Patterns.LONGEST_SUFFIX.length(), Patterns.MAX_SECRET_NAME);
    }
}

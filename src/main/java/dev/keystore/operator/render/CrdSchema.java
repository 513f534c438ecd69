package dev.keystore.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The openAPIV3Schema of the committed CRDs (deploy/crds, packaged under {@code crds/}): what the
 * API server would refuse, said as kubectl says it ({@code spec.mountPath: Invalid value: ...}).
 */
public final class CrdSchema {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> FILES = Map.of(
        "KeystoreSet", "crds/keystoresets.keystore.dev-v1.yml",
        "TrustBundle", "crds/trustbundles.keystore.dev-v1.yml");
    private static final int MAX_SHOWN_VALUE = 80;

    private record Compiled(Schema schema, JsonNode raw) {
    }

    private final SchemaRegistry registry;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    private CrdSchema(SchemaRegistry registry) {
        this.registry = registry;
    }

    /**
     * Both CRDs; each is read and compiled when a document of its kind is first checked (a
     * TrustBundle schema costs a render of KeystoreSets only nothing).
     */
    public static CrdSchema load() {
        return new CrdSchema(SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30()));
    }

    /** Compiles the schema of {@code kind} now, if it is not yet (what {@link #problems} would do first). */
    void prepare(String kind) {
        compiled(kind);
    }

    private Compiled compiled(String kind) {
        String file = FILES.get(kind);
        return file == null ? null : compiled.computeIfAbsent(kind, k -> compile(file));
    }

    private Compiled compile(String file) {
        try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + file);
            }
            JsonNode crd = YAML.readTree(in);
            JsonNode schema = crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
            return new Compiled(registry.getSchema(schema), schema);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** What the API server would say about {@code doc} (a KeystoreSet or TrustBundle), first by path; empty when valid. */
    public List<String> problems(String kind, JsonNode doc) {
        Compiled schema = compiled(kind);
        if (schema == null) {
            return List.of();
        }
        List<Error> errors = new ArrayList<>(schema.schema().validate(clipped(doc, schema.raw())));
        errors.sort(Comparator.comparing(CrdSchema::field));
        List<String> out = new ArrayList<>();
        for (Error error : errors) {
            out.add(describe(error));
        }
        return out;
    }

    /**
     * {@code doc} with every string longer than its schema's maxLength cut to maxLength + 1: still
     * "Too long", and no pattern is ever run on a long string (java.util.regex recurses once per
     * repetition of a group and overflows the stack on a few thousand; RE2 would not care).
     */
    private static JsonNode clipped(JsonNode doc, JsonNode schema) {
        if (doc == null || schema == null) {
            return doc;
        }
        if (doc.isTextual() && schema.has("maxLength") && doc.asText().length() > schema.get("maxLength").asInt()) {
            return TextNode.valueOf(
                doc.asText().substring(0, schema.get("maxLength").asInt() + 1));
        }
        if (doc.isObject() && schema.has("properties")) {
            ObjectNode copy = ((ObjectNode) doc)
                .deepCopy();
            schema.get("properties").fields().forEachRemaining(p -> {
                if (copy.has(p.getKey())) {
                    copy.set(p.getKey(), clipped(copy.get(p.getKey()), p.getValue()));
                }
            });
            return copy;
        }
        if (doc.isArray() && schema.has("items")) {
            ArrayNode copy = ((ArrayNode) doc).deepCopy();
            for (int i = 0; i < copy.size(); i++) {
                copy.set(i, clipped(copy.get(i), schema.get("items")));
            }
            return copy;
        }
        return doc;
    }

    private static String field(Error error) {
        String path = path(error.getInstanceLocation());
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            return path.isEmpty() ? error.getProperty() : path + "." + error.getProperty();
        }
        return path;
    }

    private static String path(NodePath location) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Number n) {
                out.append('[').append(n).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(element);
            }
        }
        return out.toString();
    }

    private static String describe(Error error) {
        String field = field(error);
        JsonNode value = error.getInstanceNode();
        JsonNode rule = error.getSchemaNode();
        return field + ": " + switch (error.getKeyword() == null ? "" : error.getKeyword()) {
            case "required" -> "Required value";
            case "pattern" -> "Invalid value: " + shown(value) + ": " + field + " in body should match '"
                + rule.asText() + "'";
            case "maxLength" -> "Too long: may not be longer than " + rule.asLong();
            case "minLength" -> "Invalid value: " + shown(value) + ": " + field + " in body should be at least "
                + rule.asLong() + " chars long";
            case "maxItems" -> "Too many: " + value.size() + ": must have at most " + rule.asLong() + " items";
            case "minItems" -> "Invalid value: " + value.size() + ": " + field + " in body should have at least "
                + rule.asLong() + " items";
            case "maximum" -> "Invalid value: " + shown(value) + ": " + field + " in body should be less than or equal to "
                + rule.asLong();
            case "minimum" -> "Invalid value: " + shown(value) + ": " + field
                + " in body should be greater than or equal to " + rule.asLong();
            case "enum" -> "Unsupported value: " + shown(value) + ": supported values: " + supported(rule);
            case "type" -> "Invalid value: " + shown(value) + ": " + field + " in body must be of type " + rule.asText();
            default -> "Invalid value: " + shown(value) + ": " + firstLine(error.getMessage());
        };
    }

    /** The value as JSON (quoted and escaped, so a newline stays on the line), cut short. */
    private static String shown(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "null";
        }
        if (value.isContainerNode()) {
            return value.isArray() ? "array" : "object";
        }
        String json = value.toString();
        return json.length() <= MAX_SHOWN_VALUE ? json : json.substring(0, MAX_SHOWN_VALUE) + "...\"";
    }

    private static String supported(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.toString()));
        return String.join(", ", out);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

package dev.keystore.operator.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.Patterns;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.dependent.StoredData;
import dev.keystore.operator.plan.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The resources of one or more YAML files, read strictly: an unknown field or a bad enum value is
 * an error naming the file and the field, every KeystoreSet and TrustBundle is checked against the
 * CRD schema and every name as the API server checks it, and two resources that would share a
 * directory or a Secret are refused. Documents of other kinds are ignored. Secrets and ConfigMaps
 * are keyed by {@link #key namespace and name}.
 */
public record Manifests(List<KeystoreSet> keystoreSets, List<TrustBundle> trustBundles,
                        Map<String, Map<String, byte[]>> secrets, Map<String, Map<String, byte[]>> configMaps) {

    public static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    /** The namespace of a resource that names none, as kubectl applies it. */
    public static final String DEFAULT_NAMESPACE = "default";

    /** A file that cannot be used; the message is one line naming the file and field. */
    public static final class BadManifest extends Exception {
        public BadManifest(String message) {
            super(message, null, false, false);
        }
    }

    /** How Secrets and ConfigMaps are looked up: by namespace and name. */
    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** The namespace of an object, {@value #DEFAULT_NAMESPACE} when it names none. */
    public static String namespace(HasMetadata object) {
        String ns = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
        return ns == null || ns.isBlank() ? DEFAULT_NAMESPACE : ns;
    }

    public static Manifests read(List<Path> files) throws BadManifest {
        CrdSchema schema = CrdSchema.load();
        prepare(schema);
        return read(files, schema);
    }

    /**
     * In a fresh JVM the KeystoreSet schema's compilation and Jackson's deserializer for
     * KeystoreSet (Fabric8's model: reflection over some hundred classes) each take a few hundred
     * milliseconds of class loading; one helper thread makes both while the caller reads the files.
     * Both are caches the reading then finds filled; a failure here is left for the reading to
     * meet and report.
     */
    private static void prepare(CrdSchema schema) {
        Thread helper = new Thread(() -> {
            try {
                schema.prepare("KeystoreSet");
                STRICT.readerFor(KeystoreSet.class);
            } catch (RuntimeException | LinkageError e) {
                // the reading builds them again and says what is wrong
            }
        }, "render-prepare");
        helper.setDaemon(true);
        helper.start();
    }

    static Manifests read(List<Path> files, CrdSchema schema) throws BadManifest {
        List<KeystoreSet> sets = new ArrayList<>();
        List<TrustBundle> bundles = new ArrayList<>();
        Map<String, Map<String, byte[]>> secrets = new LinkedHashMap<>();
        Map<String, Map<String, byte[]>> configMaps = new LinkedHashMap<>();
        Map<String, String> resourceNames = new HashMap<>();
        for (Path file : files) {
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = STRICT.readerFor(JsonNode.class).readValues(Files.readString(file))) {
                while (it.hasNextValue()) {
                    JsonNode doc = it.nextValue();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                        docs.add(doc);
                    }
                }
            } catch (JsonProcessingException e) {
                throw new BadManifest(file + ": not valid YAML: " + firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
            } catch (IOException e) {
                throw new BadManifest(file + ": cannot read: " + firstLine(e.getMessage()));
            } catch (RuntimeException e) {
                throw new BadManifest(file + ": not valid YAML: " + firstLine(e.getMessage()));
            }
            for (JsonNode doc : docs) {
                if (!doc.isObject()) {
                    throw new BadManifest(file + ": a document is not a mapping");
                }
                String kind = doc.path("kind").asText("");
                String apiVersion = doc.path("apiVersion").asText("");
                switch (kind) {
                    case "KeystoreSet" -> {
                        KeystoreSet set = resource(file, doc, KeystoreSet.class, apiVersion, schema);
                        unique(file, kind, set.getMetadata().getName(), resourceNames);
                        sets.add(set);
                    }
                    case "TrustBundle" -> {
                        TrustBundle bundle = resource(file, doc, TrustBundle.class, apiVersion, schema);
                        unique(file, kind, bundle.getMetadata().getName(), resourceNames);
                        bundles.add(bundle);
                    }
                    case "Secret" -> {
                        Secret secret = convert(file, doc, Secret.class, "v1");
                        String where = "Secret " + namespace(secret) + "/" + secret.getMetadata().getName();
                        checkKeys(file, where, "data", secret.getData());
                        checkKeys(file, where, "stringData", secret.getStringData());
                        put(file, where, secrets, key(namespace(secret), secret.getMetadata().getName()),
                            decoded(file, where, () -> StoredData.of(secret)));
                    }
                    case "ConfigMap" -> {
                        ConfigMap cm = convert(file, doc, ConfigMap.class, "v1");
                        String where = "ConfigMap " + namespace(cm) + "/" + cm.getMetadata().getName();
                        checkKeys(file, where, "data", cm.getData());
                        checkKeys(file, where, "binaryData", cm.getBinaryData());
                        put(file, where, configMaps, key(namespace(cm), cm.getMetadata().getName()),
                            decoded(file, where, () -> StoredData.of(cm)));
                    }
                    default -> { }
                }
            }
        }
        return new Manifests(sets, bundles, secrets, configMaps);
    }

    /** A KeystoreSet or TrustBundle: read strictly, then held to the CRD schema. */
    private static <T extends HasMetadata> T resource(Path file, JsonNode doc, Class<T> type, String apiVersion,
                                                      CrdSchema schema) throws BadManifest {
        T resource = convert(file, doc, type, apiVersion);
        String kind = type.getSimpleName();
        String name = resource.getMetadata().getName();
        List<String> problems = schema.problems(kind, doc);
        if (!problems.isEmpty()) {
            throw new BadManifest(file + ": " + kind + " " + name + " is invalid: " + problems.get(0)
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
        Optional<String> nameProblem = resource instanceof KeystoreSet ? Names.setNameProblem(name)
            : Names.objectNameProblem(name);
        if (nameProblem.isPresent()) {
            throw new BadManifest(file + ": " + kind + " " + name + " is invalid: metadata.name: " + nameProblem.get());
        }
        return resource;
    }

    /** Every KeystoreSet and TrustBundle renders into -o/<name>: two of one name would share it. */
    private static void unique(Path file, String kind, String name, Map<String, String> seen) throws BadManifest {
        String before = seen.putIfAbsent(name, kind);
        if (before != null) {
            throw new BadManifest(file + ": " + kind + " " + name + ": metadata.name: Duplicate value: \"" + name
                + "\": a " + before + " of that name is already in the input (each renders into its own directory)");
        }
    }

    private static void put(Path file, String where, Map<String, Map<String, byte[]>> into, String key,
                            Map<String, byte[]> data) throws BadManifest {
        if (into.putIfAbsent(key, data) != null) {
            throw new BadManifest(file + ": " + where + ": Duplicate value: the input holds it twice");
        }
    }

    private static <T> T convert(Path file, JsonNode doc, Class<T> type, String apiVersion) throws BadManifest {
        String expected = type == Secret.class || type == ConfigMap.class ? "v1" : KeystoreSet.GROUP + "/" + KeystoreSet.VERSION;
        if (!expected.equals(apiVersion)) {
            throw new BadManifest(file + ": apiVersion: " + type.getSimpleName() + " must be " + expected
                + ", not '" + apiVersion + "'");
        }
        JsonNode metadata = doc.path("metadata");
        String name = metadata.path("name").asText("");
        if (name.isBlank()) {
            throw new BadManifest(file + ": metadata.name: a " + type.getSimpleName() + " needs a name");
        }
        Optional<String> nameProblem = Names.objectNameProblem(name);
        if (nameProblem.isPresent()) {
            throw new BadManifest(file + ": " + type.getSimpleName() + " " + shortName(name) + " is invalid: metadata.name: "
                + nameProblem.get());
        }
        if (metadata.hasNonNull("namespace") && !Names.isLabel(metadata.path("namespace").asText())) {
            throw new BadManifest(file + ": " + type.getSimpleName() + " " + name + " is invalid: metadata.namespace: "
                + "Invalid value: " + metadata.path("namespace") + ": a lowercase RFC 1123 label must consist of lower"
                + " case alphanumeric characters or '-', and must start and end with an alphanumeric character");
        }
        try {
            return STRICT.treeToValue(doc, type);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
            // a Secret's values are never quoted back: Jackson's own message may hold them
            String why = type == Secret.class ? (e instanceof UnrecognizedPropertyException
                ? "unknown field" : "not a valid value") : describe(e);
            throw new BadManifest(file + ": " + type.getSimpleName() + " " + name + ": " + path + ": " + why);
        } catch (IOException e) {
            throw new BadManifest(file + ": " + type.getSimpleName() + " " + name + ": cannot be read");
        }
    }

    private static String shortName(String name) {
        return name.length() <= 63 ? name : name.substring(0, 60) + "...";
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null
            && f.getTargetType().isEnum()) {
            return "'" + f.getValue() + "' is not one of " + Arrays.toString(f.getTargetType().getEnumConstants());
        }
        return firstLine(e.getOriginalMessage());
    }

    private static final Pattern DATA_KEY = Pattern.compile(
        Patterns.DATA_KEY);

    /** Keys of a Secret or ConfigMap as the API server accepts them. */
    private static void checkKeys(Path file, String where, String field, Map<String, String> values) throws BadManifest {
        if (values == null) {
            return;
        }
        for (String key : values.keySet()) {
            if (key.length() > Patterns.MAX_DATA_KEY || !DATA_KEY.matcher(key).matches()
                || key.equals(".") || key.equals("..")) {
                throw new BadManifest(file + ": " + where + ": " + field + "[" + key.replace("\n", "\\n")
                    + "]: Invalid value: a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
            }
        }
    }

    /** A bad base64 value names the document and key. */
    private static Map<String, byte[]> decoded(Path file, String where, java.util.function.Supplier<Map<String, byte[]>> decode)
        throws BadManifest {
        try {
            return decode.get();
        } catch (StoredData.NotBase64 e) {
            throw new BadManifest(file + ": " + where + ": " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

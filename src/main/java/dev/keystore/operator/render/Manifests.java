package dev.keystore.operator.render;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The resources of one or more YAML files, read strictly: an unknown field or a bad enum value is
 * an error naming the file and the field. Documents of other kinds are ignored.
 */
public record Manifests(List<KeystoreSet> keystoreSets, List<TrustBundle> trustBundles,
                        Map<String, Map<String, byte[]>> secrets, Map<String, Map<String, byte[]>> configMaps) {

    public static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** A file that cannot be used; the message is one line naming the file and field. */
    public static final class BadManifest extends Exception {
        public BadManifest(String message) {
            super(message, null, false, false);
        }
    }

    public static Manifests read(List<Path> files) throws BadManifest {
        List<KeystoreSet> sets = new ArrayList<>();
        List<TrustBundle> bundles = new ArrayList<>();
        Map<String, Map<String, byte[]>> secrets = new LinkedHashMap<>();
        Map<String, Map<String, byte[]>> configMaps = new LinkedHashMap<>();
        for (Path file : files) {
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = STRICT.readerFor(JsonNode.class).readValues(Files.readString(file))) {
                while (it.hasNextValue()) {
                    JsonNode doc = it.nextValue();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                        docs.add(doc);
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
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
                    case "KeystoreSet" -> sets.add(convert(file, doc, KeystoreSet.class, apiVersion));
                    case "TrustBundle" -> bundles.add(convert(file, doc, TrustBundle.class, apiVersion));
                    case "Secret" -> {
                        Secret secret = convert(file, doc, Secret.class, "v1");
                        secrets.put(secret.getMetadata().getName(), decode(secret));
                    }
                    case "ConfigMap" -> {
                        ConfigMap cm = convert(file, doc, ConfigMap.class, "v1");
                        Map<String, byte[]> data = new LinkedHashMap<>();
                        if (cm.getData() != null) {
                            cm.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
                        }
                        if (cm.getBinaryData() != null) {
                            cm.getBinaryData().forEach((k, v) -> data.put(k, Base64.getMimeDecoder().decode(v)));
                        }
                        configMaps.put(cm.getMetadata().getName(), data);
                    }
                    default -> { }
                }
            }
        }
        return new Manifests(sets, bundles, secrets, configMaps);
    }

    private static <T> T convert(Path file, JsonNode doc, Class<T> type, String apiVersion) throws BadManifest {
        String expected = type == Secret.class || type == ConfigMap.class ? "v1" : KeystoreSet.GROUP + "/" + KeystoreSet.VERSION;
        if (!expected.equals(apiVersion)) {
            throw new BadManifest(file + ": apiVersion: " + type.getSimpleName() + " must be " + expected
                + ", not '" + apiVersion + "'");
        }
        if (doc.path("metadata").path("name").asText("").isBlank()) {
            throw new BadManifest(file + ": metadata.name: a " + type.getSimpleName() + " needs a name");
        }
        try {
            return STRICT.treeToValue(doc, type);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
            String name = doc.path("metadata").path("name").asText();
            throw new BadManifest(file + ": " + type.getSimpleName() + " " + name + ": " + path + ": "
                + describe(e));
        } catch (IOException e) {
            throw new BadManifest(file + ": " + firstLine(e.getMessage()));
        }
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f && f.getTargetType() != null
            && f.getTargetType().isEnum()) {
            return "'" + f.getValue() + "' is not one of " + java.util.Arrays.toString(f.getTargetType().getEnumConstants());
        }
        return firstLine(e.getOriginalMessage());
    }

    private static Map<String, byte[]> decode(Secret secret) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getMimeDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return data;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
